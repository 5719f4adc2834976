package deployenv

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/sirupsen/logrus"
	"go.yaml.in/yaml/v3"
)

// File names the guide uses.
const (
	ComposeFile = "production.yml"
	StackFile   = "stack.env"
	ConfigDir   = "deploy/config"
)

// Options say which deployment to read and how.
type Options struct {
	// Dir is the deployment folder (holding production.yml).
	Dir string
	// Service is the service to resolve; "" picks the Django service.
	Service string
	// Environ is the system environment ("KEY=value" entries); nil leaves it out.
	Environ []string
}

// Origin is where a value was set.
type Origin struct {
	Layer string `json:"layer"`
	File  string `json:"file"`
	Line  int    `json:"line,omitempty"`
	// Via explains an indirect value, e.g. "${DJANGO_DOMAIN} from the system environment".
	Via string `json:"via,omitempty"`
}

func (o Origin) String() string {
	s := o.Layer
	if o.File != "" {
		s = o.File
		if o.Line > 0 {
			s += ":" + strconv.Itoa(o.Line)
		}
	}
	if o.Via != "" {
		s += ", " + o.Via
	}
	return s
}

// Var is one variable of a container's effective environment.
type Var struct {
	Name  string
	Value string
	// Origin is the layer that won; Overrode lists the ones it beat, nearest first.
	Origin   Origin
	Overrode []Origin
	// Raw is the text written in production.yml before substitution, if set there.
	Raw string
}

// Service is one service's effective environment.
type Service struct {
	Name string
	Vars map[string]*Var
	// Unset are keys declared without a value that nothing provided.
	Unset []string
	// EnvFiles are the service's env files, in order, relative to the deployment.
	EnvFiles []string
	// MergedFrom is the anchor the service merges (<<: *name), if any.
	MergedFrom string
	// OwnKeys are the keys the service itself sets in production.yml (not merged).
	OwnKeys []string
	Config  types.ServiceConfig
	// Line is where the service is defined in production.yml.
	Line int
}

// Names returns the service's variable names, sorted.
func (s *Service) Names() []string {
	names := make([]string, 0, len(s.Vars))
	for n := range s.Vars {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Get returns a variable's value and whether it is set.
func (s *Service) Get(name string) (string, bool) {
	if v, ok := s.Vars[name]; ok {
		return v.Value, true
	}
	return "", false
}

// Reference is a ${VAR} written in production.yml.
type Reference struct {
	Name       string
	Line       int
	HasDefault bool
	Required   bool
}

// Deployment is a resolved deployment folder.
type Deployment struct {
	Dir     string
	Project *types.Project
	// Services by name; Main is the one asked for (or the Django service).
	Services map[string]*Service
	Main     string
	// Interp is the interpolation environment: system env over stack.env.
	Interp map[string]Var
	// References are every ${VAR} in production.yml, in file order.
	References []Reference
	// Notes say where the deployment's reality differs from the guide's list.
	Notes []string
	// Root is production.yml as a YAML tree, for positions and raw values.
	Root *yaml.Node
	// Lines is production.yml's text, line by line.
	Lines []string
}

// Error is a deployment that cannot be read, with where and what to do.
type Error struct {
	Pos  diag.Pos
	Msg  string
	Hint string
}

func (e *Error) Error() string {
	s := e.Pos.String() + ": " + e.Msg
	if e.Hint != "" {
		s += "\n\thint: " + e.Hint
	}
	return s
}

// Load resolves the deployment in opts.Dir.
func Load(ctx context.Context, opts Options) (*Deployment, error) {
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	d := &Deployment{Dir: dir, Services: map[string]*Service{}, Interp: map[string]Var{}}
	composePath := filepath.Join(dir, ComposeFile)
	show := func(p string) string { return filepath.ToSlash(filepath.Clean(p)) }
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return nil, &Error{Pos: diag.Pos{File: show(dir)}, Msg: "deployment folder not found or not readable", Hint: "pass --dir with the folder that holds production.yml"}
	}
	data, err := os.ReadFile(composePath)
	if err != nil {
		return nil, &Error{Pos: diag.Pos{File: show(composePath)}, Msg: "cannot read production.yml: " + errText(err), Hint: "run from the deployment folder or pass --dir"}
	}
	d.Lines = strings.Split(string(data), "\n")
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(show(composePath), err)
	}
	d.Root = &root

	// The interpolation environment: stack.env, overridden by the system.
	stackPath := filepath.Join(dir, StackFile)
	if _, err := os.Stat(stackPath); err == nil {
		vals, lines, err := readEnvFile(stackPath, nil)
		if err != nil {
			return nil, err
		}
		for k, v := range vals {
			d.Interp[k] = Var{Name: k, Value: v, Origin: Origin{Layer: LayerStack, File: StackFile, Line: lines[k]}}
		}
	}
	system := map[string]string{}
	for _, kv := range opts.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			system[k] = v
			prev, had := d.Interp[k]
			nv := Var{Name: k, Value: v, Origin: Origin{Layer: LayerSystem}}
			if had {
				nv.Overrode = []Origin{prev.Origin}
			}
			d.Interp[k] = nv
		}
	}

	// compose-go logs unset variables through logrus' global logger; they
	// are findings here (compose.E002), so only real errors may print.
	logrus.SetLevel(logrus.ErrorLevel)
	// Compose's own load: interpolation, anchors and merges, env files.
	project, err := loadProject(ctx, dir, composePath, stackPath, opts.Environ)
	if err != nil {
		return nil, composeError(show(composePath), d.Lines, err)
	}
	d.Project = project
	d.References = references(d.Lines)

	services := serviceNodes(&root)
	for _, name := range project.ServiceNames() {
		sc := project.Services[name]
		s, err := d.resolveService(name, sc, services[name])
		if err != nil {
			return nil, err
		}
		d.Services[name] = s
	}
	d.Main, err = pickMain(d, opts.Service, show(composePath))
	if err != nil {
		return nil, err
	}
	d.notes()
	return d, nil
}

func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func loadProject(ctx context.Context, dir, composePath, stackPath string, environ []string) (*types.Project, error) {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	var envFiles []string
	if _, err := os.Stat(stackPath); err == nil {
		envFiles = []string{stackPath}
	}
	po, err := cli.NewProjectOptions([]string{composePath},
		cli.WithWorkingDirectory(absDir),
		cli.WithName("deployment"),
		cli.WithEnv(environ),
		// WithEnvFiles must come before WithDotEnv, or the file is ignored.
		cli.WithEnvFiles(envFiles...),
		cli.WithDotEnv,
		cli.WithLoadOptions(func(o *loader.Options) {
			// Unset variables are reported as findings, not logged.
			if o.Interpolate != nil {
				o.Interpolate.Substitute = func(s string, m template.Mapping) (string, error) {
					return template.SubstituteWithOptions(s, m, template.WithoutLogging)
				}
			}
			o.SkipConsistencyCheck = true
		}),
	)
	if err != nil {
		return nil, err
	}
	if len(envFiles) == 0 {
		po.EnvFiles = nil // no implicit .env: the guide's layers only
	}
	return po.LoadProject(ctx)
}

var lineRe = regexp.MustCompile(`line (\d+)`)

func yamlError(file string, err error) error {
	line := 0
	if m := lineRe.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	msg := lineRe.ReplaceAllString(strings.TrimPrefix(err.Error(), "yaml: "), "")
	return &Error{Pos: diag.Pos{File: file, Line: line}, Msg: "production.yml is not valid YAML: " + strings.TrimPrefix(msg, ": "),
		Hint: "fix the YAML syntax at that line (indentation, a missing colon, an unclosed quote)"}
}

var missingEnvFileRe = regexp.MustCompile(`env file (\S+) not found`)

// composeError maps a compose-go load error to the production.yml line it is about.
func composeError(file string, lines []string, err error) error {
	msg := err.Error()
	if m := missingEnvFileRe.FindStringSubmatch(msg); m != nil {
		base := filepath.Base(m[1])
		line := findLine(lines, base)
		return &Error{Pos: diag.Pos{File: file, Line: line}, Msg: "env_file " + base + " not found",
			Hint: "create the file, fix the path (relative to production.yml), or mark it `required: false`"}
	}
	var inv *template.InvalidTemplateError
	if errors.As(err, &inv) {
		return &Error{Pos: diag.Pos{File: file, Line: findLine(lines, inv.Template)}, Msg: "invalid ${...} substitution: " + inv.Template,
			Hint: "close the brace, or write $$ for a literal $"}
	}
	var req *template.MissingRequiredError
	if errors.As(err, &req) {
		return &Error{Pos: diag.Pos{File: file, Line: findLine(lines, "${"+req.Variable)}, Msg: "required variable " + req.Variable + " is not set: " + req.Reason,
			Hint: "set " + req.Variable + " in stack.env"}
	}
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		l, _ := strconv.Atoi(m[1])
		return &Error{Pos: diag.Pos{File: file, Line: l}, Msg: msg}
	}
	return &Error{Pos: diag.Pos{File: file}, Msg: "Compose cannot load this file: " + msg, Hint: "`docker compose -f production.yml config` shows the same problem"}
}

func findLine(lines []string, needle string) int {
	for i, l := range lines {
		if strings.Contains(l, needle) {
			return i + 1
		}
	}
	return 0
}

var envKeyRe = regexp.MustCompile(`^\s*(?:export\s+)?([A-Za-z0-9_.\-\[\]]+)\s*(?:[=:]|$)`)

// readEnvFile parses an env file with Compose's dotenv parser and finds the
// line of each key (the last one, as a later duplicate wins).
func readEnvFile(path string, lookup func(string) (string, bool)) (map[string]string, map[string]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, &Error{Pos: diag.Pos{File: filepath.ToSlash(path)}, Msg: "cannot read env file: " + errText(err)}
	}
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	vals, err := dotenv.ParseWithLookup(bytes.NewReader(data), lookup)
	if err != nil {
		line := 0
		if m := lineRe.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		return nil, nil, &Error{Pos: diag.Pos{File: filepath.ToSlash(path), Line: line}, Msg: "bad env file line: " + err.Error(),
			Hint: "write KEY=value; quote values with spaces or #"}
	}
	lines := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1024*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		if m := envKeyRe.FindStringSubmatch(sc.Text()); m != nil && !strings.HasPrefix(strings.TrimSpace(sc.Text()), "#") {
			lines[m[1]] = n
		}
	}
	return vals, lines, nil
}

var refRe = regexp.MustCompile(`\$\{([_a-zA-Z][_a-zA-Z0-9]*)((:?[-?+])[^}]*)?\}|\$([_a-zA-Z][_a-zA-Z0-9]*)`)

// references lists the ${VAR}s of production.yml with their lines ($$ is an escape).
func references(lines []string) []Reference {
	var out []Reference
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		l = strings.ReplaceAll(l, "$$", "")
		for _, m := range refRe.FindAllStringSubmatch(l, -1) {
			name := m[1] + m[4]
			op := m[3]
			out = append(out, Reference{Name: name, Line: i + 1, HasDefault: strings.Contains(op, "-") || strings.Contains(op, "+"), Required: strings.Contains(op, "?")})
		}
	}
	return out
}

// pickMain chooses the service to report on: the one asked for, else
// "django", else the service the others merge from.
func pickMain(d *Deployment, want, file string) (string, error) {
	if want != "" {
		if _, ok := d.Services[want]; !ok {
			names := mapsKeys(d.Services)
			return "", &Error{Pos: diag.Pos{File: file}, Msg: "no service " + strconv.Quote(want), Hint: "services: " + strings.Join(names, ", ")}
		}
		return want, nil
	}
	if _, ok := d.Services["django"]; ok {
		return "django", nil
	}
	counts := map[string]int{}
	for _, s := range d.Services {
		if s.MergedFrom != "" {
			counts[s.MergedFrom]++
		}
	}
	for name, s := range d.Services {
		if _, ok := s.Vars["DJANGO_SETTINGS_MODULE"]; ok && counts[name] > 0 {
			return name, nil
		}
	}
	var candidates []string
	for name, s := range d.Services {
		if _, ok := s.Vars["DJANGO_SETTINGS_MODULE"]; ok && s.MergedFrom == "" {
			candidates = append(candidates, name)
		}
	}
	if len(candidates) == 1 {
		return candidates[0], nil
	}
	return "", &Error{Pos: diag.Pos{File: file}, Msg: "cannot tell which service runs Django", Hint: "name it django, or pass --service"}
}

func mapsKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
