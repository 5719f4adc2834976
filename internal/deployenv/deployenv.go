package deployenv

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/docsgen/docsgen/internal/diag"
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
	// AllowOutside are folders outside Dir that the deployment's files may
	// resolve into (through .., an absolute path or a symlink).
	AllowOutside []string
	// MaxFileSize is the largest file Load reads, in bytes; 0 means
	// DefaultMaxFileSize (64 MiB), and a negative one is an error. A
	// larger file is refused unread.
	MaxFileSize int64
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
	// MergedFrom is the (first) anchor the service merges (<<: *name), if any.
	MergedFrom string
	// Merges are all the anchors it merges (<<: [*a, *b]), in order.
	Merges []string
	// Anchor is the anchor the service's own definition carries (django: &django).
	Anchor string
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
	// envData is the text of each env file read, by absolute path, and
	// lines the line of each of its keys (see keyLines), once asked for.
	envData map[string][]byte
	lines   map[string]map[string]int
	budget  *budget
}

// keyLines returns the line of each key of an env file read (by absolute
// path), computed once per file.
func (d *Deployment) keyLines(path string) map[string]int {
	if l, ok := d.lines[path]; ok {
		return l
	}
	if d.lines == nil {
		d.lines = map[string]map[string]int{}
	}
	l := keyLines(d.envData[path])
	d.lines[path] = l
	return l
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

// Load resolves the deployment in opts.Dir. It reads only regular files
// inside opts.Dir or opts.AllowOutside (see guard), and its errors never
// quote a value.
func Load(ctx context.Context, opts Options) (_ *Deployment, err error) {
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	d := &Deployment{Dir: dir, Services: map[string]*Service{}, Interp: map[string]Var{}, envData: map[string][]byte{}}
	// Messages are built from names, lines and paths; this is the last line
	// of defence should a value slip into one anyway.
	secrets := &Masker{}
	defer func() {
		if err != nil {
			err = scrubError(err, secrets)
		}
	}()
	if opts.MaxFileSize < 0 {
		return nil, &Error{Msg: "the file size limit must be at least 1 MiB", Hint: "pass --max-file-size with a number of MiB, such as 64 (the default)"}
	}
	composePath := filepath.Join(dir, ComposeFile)
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return nil, &Error{Pos: diag.Pos{File: show(dir)}, Msg: "deployment folder not found or not readable", Hint: "pass --dir with the folder that holds production.yml"}
	}
	g, err := newGuard(dir, opts.AllowOutside, opts.MaxFileSize)
	if err != nil {
		return nil, err
	}
	d.budget = newBudget(g.maxSize)
	data, err := g.readFile(composePath)
	if err != nil {
		return nil, fileError(composePath, g.name(composePath), err, "run from the deployment folder or pass --dir")
	}
	d.Lines = strings.Split(string(data), "\n")
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(show(composePath), err)
	}
	d.Root = &root
	yamlScalars(&root, "", func(k, v string) {
		// A ${VAR} reference is no secret; what it stands for is added below.
		if strings.TrimSpace(refRe.ReplaceAllString(v, "")) != "" {
			secrets.addVar(k, v)
		}
	}, nil)
	if n := topKey(&root, "include"); n != nil {
		return nil, &Error{Pos: diag.Pos{File: show(composePath), Line: n.Line}, Msg: "production.yml uses include:, which docsgen does not follow",
			Hint: "copy the included services into production.yml: include: makes Compose read other compose files and their .env files, which docsgen cannot check before Compose opens them"}
	}

	// The interpolation environment: stack.env, overridden by the system.
	system := map[string]string{}
	for _, kv := range opts.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			system[k] = v
		}
	}
	stackPath := filepath.Join(dir, StackFile)
	stack := map[string]string{}
	if _, err := os.Lstat(stackPath); err == nil {
		data, err := g.readFile(stackPath)
		if err != nil {
			return nil, fileError(stackPath, StackFile, err, "")
		}
		d.envData[absPath(stackPath)] = data
		// As Compose reads an --env-file: ${VAR} is looked up in the system
		// environment first, then in the lines above.
		lookup := func(k string) (string, bool) { v, ok := system[k]; return v, ok }
		if err := parseEnv(show(stackPath), data, "", stack, lookup, d.budget); err != nil {
			return nil, err
		}
		lines := d.keyLines(absPath(stackPath))
		for k, v := range stack {
			d.Interp[k] = Var{Name: k, Value: v, Origin: Origin{Layer: LayerStack, File: StackFile, Line: lines[k]}}
			secrets.addVar(k, v)
		}
	}
	for _, kv := range opts.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			prev, had := d.Interp[k]
			nv := Var{Name: k, Value: v, Origin: Origin{Layer: LayerSystem}}
			if had {
				nv.Overrode = []Origin{prev.Origin}
			}
			d.Interp[k] = nv
			secrets.addVar(k, v)
		}
	}

	// Compose's own load: interpolation, anchors and merges. Env files are
	// read below, once their paths are checked.
	env := types.Mapping{}
	maps.Copy(env, stack)
	maps.Copy(env, system) // the system beats stack.env
	project, err := loadProject(ctx, g, composePath, data, env, d.budget)
	if err != nil {
		return nil, composeError(show(composePath), d.Lines, err, d.composeValues(g, &root, stack, system))
	}
	d.Project = project
	d.References = references(d.Lines)
	if err := d.resolveFiles(g, project, show(composePath), secrets); err != nil {
		return nil, err
	}

	services := serviceNodes(&root)
	for _, name := range project.ServiceNames() {
		sc := project.Services[name]
		d.Services[name] = d.resolveService(name, sc, services[name])
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

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

// fileError explains why a file Load needs could not be read.
func fileError(path, name string, err error, hint string) error {
	var de *Error
	if errors.As(err, &de) {
		return de
	}
	return &Error{Pos: diag.Pos{File: show(path)}, Msg: "cannot read " + name + ": " + errText(err), Hint: hint}
}

// scrubError masks known secrets in an error's text.
func scrubError(err error, m *Masker) error {
	var de *Error
	if errors.As(err, &de) {
		c := *de
		c.Msg, c.Hint = m.Scrub(c.Msg), m.Scrub(c.Hint)
		return &c
	}
	return &Error{Msg: m.Scrub(err.Error())}
}

func loadProject(ctx context.Context, g *guard, composePath string, content []byte, env types.Mapping, b *budget) (*types.Project, error) {
	// The compose file's text is handed over, so compose-go reads no file
	// but the extends: bases, and those only through the guard.
	details := types.ConfigDetails{
		WorkingDir:  g.absDir,
		ConfigFiles: []types.ConfigFile{{Filename: absPath(composePath), Content: content}},
		Environment: env,
	}
	return loader.LoadWithContext(ctx, details, func(o *loader.Options) {
		o.SetProjectName("deployment", true)
		// compose-go's substitution, in linear time and within the
		// budget (see dotenv.go); unset variables are reported as findings,
		// not logged.
		if o.Interpolate != nil {
			o.Interpolate.Substitute = func(s string, m template.Mapping) (string, error) {
				sub := substituter{lookup: m, b: b}
				return sub.substitute(s)
			}
		}
		o.SkipConsistencyCheck = true
		// env_file and label_file entries are read by resolveFiles, after
		// their paths are checked; include: is refused before loading.
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.SkipInclude = true
		o.ResourceLoaders = []loader.ResourceLoader{g.loader()}
	})
}

// resolveFiles reads the env_file and label_file entries of every service
// and pre_start hook, the way compose-go's WithServicesEnvironmentResolved
// and WithServicesLabelsResolved do, but through the guard.
func (d *Deployment) resolveFiles(g *guard, p *types.Project, composeFile string, secrets *Masker) error {
	for _, name := range p.ServiceNames() {
		svc := p.Services[name]
		if err := d.resolveEnvironment(g, &svc.ContainerSpec, p.Environment, composeFile, secrets); err != nil {
			return err
		}
		if err := d.resolveLabels(g, &svc.ContainerSpec, composeFile); err != nil {
			return err
		}
		for j := range svc.PreStart {
			hook := &svc.PreStart[j].ContainerSpec
			if len(hook.Environment) > 0 || len(hook.EnvFiles) > 0 {
				if err := d.resolveEnvironment(g, hook, p.Environment, composeFile, secrets); err != nil {
					return err
				}
			}
			if err := d.resolveLabels(g, hook, composeFile); err != nil {
				return err
			}
		}
		p.Services[name] = svc
	}
	return nil
}

// resolveEnvironment is compose-go's: bare keys from the project
// environment, env files in order into one map, environment: on top.
func (d *Deployment) resolveEnvironment(g *guard, spec *types.ContainerSpec, projectEnv types.Mapping, composeFile string, secrets *Masker) error {
	spec.Environment = spec.Environment.Resolve(projectEnv.Resolve)
	environment := spec.Environment.ToMapping()
	for _, ef := range spec.EnvFiles {
		data, err := d.readListed(g, ef.Path, "env_file", bool(ef.Required), composeFile)
		if err != nil {
			return err
		}
		if data == nil {
			continue
		}
		lookup := func(k string) (string, bool) {
			// The project environment wins, then the service's environment:.
			if v, ok := projectEnv.Resolve(k); ok {
				return v, true
			}
			if v, ok := spec.Environment[k]; ok && v != nil {
				return *v, true
			}
			return "", false
		}
		if err := parseEnv(g.display(ef.Path), data, ef.Format, environment, lookup, d.budget); err != nil {
			return err
		}
	}
	for k, v := range environment {
		secrets.addVar(k, v)
	}
	spec.Environment = environment.ToMappingWithEquals().OverrideBy(spec.Environment)
	return nil
}

// resolveLabels is compose-go's: label files in order, labels: on top.
func (d *Deployment) resolveLabels(g *guard, spec *types.ContainerSpec, composeFile string) error {
	if len(spec.LabelFiles) == 0 {
		return nil
	}
	labels := types.MappingWithEquals{}
	resolve := func(k string) (string, bool) {
		if v, ok := labels[k]; ok && v != nil {
			return *v, true
		}
		return "", false
	}
	for _, lf := range spec.LabelFiles {
		data, err := d.readListed(g, lf, "label_file", true, composeFile)
		if err != nil {
			return err
		}
		vars := types.Mapping{}
		if err := parseEnv(g.display(lf), data, "", vars, resolve, d.budget); err != nil {
			return err
		}
		labels.OverrideBy(vars.ToMappingWithEquals())
	}
	labels = labels.OverrideBy(spec.Labels.ToMappingWithEquals())
	if len(labels) > 0 {
		spec.Labels = types.NewLabelsFromMappingWithEquals(labels)
	}
	return nil
}

// readListed reads a file production.yml lists (key is env_file or
// label_file), once. A missing optional file gives nil; a missing required
// one, or one the guard refuses, an error at the line that lists it.
func (d *Deployment) readListed(g *guard, path, key string, required bool, composeFile string) ([]byte, error) {
	path = absPath(path)
	if data, ok := d.envData[path]; ok {
		return data, nil
	}
	base := filepath.Base(path)
	at := diag.Pos{File: composeFile, Line: findLine(d.Lines, base)}
	data, err := g.readFile(path)
	switch {
	case isNotFound(err) && !required:
		return nil, nil
	case isNotFound(err):
		return nil, &Error{Pos: at, Msg: key + " " + base + " not found",
			Hint: "create the file, fix the path (relative to production.yml), or mark it `required: false`"}
	case err != nil:
		var de *Error
		if errors.As(err, &de) {
			return nil, &Error{Pos: at, Msg: key + ": " + de.Msg, Hint: de.Hint}
		}
		return nil, &Error{Pos: at, Msg: key + ": cannot read " + g.name(path) + ": " + errText(err)}
	}
	d.envData[path] = data
	return data, nil
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

var interpPathRe = regexp.MustCompile(`(?:invalid interpolation format for|error while interpolating) ([A-Za-z0-9_.\-\[\]]+?)[.:]\s`)

// composeError maps a compose-go load error to the production.yml line it
// is about. compose-go quotes values in its messages (a bad ${...} comes
// with its whole value), so what is known is rebuilt from names, and the
// rest has every value read so far masked.
func composeError(file string, lines []string, err error, values *Masker) error {
	var de *Error
	if errors.As(err, &de) {
		return de // the guard refused an extends: file
	}
	where := ""
	if m := interpPathRe.FindStringSubmatch(err.Error()); m != nil {
		where = " in " + m[1]
	}
	var le *limitError
	if errors.As(err, &le) {
		msg := le.What
		if where != "" {
			msg = strings.TrimPrefix(where, " in ") + ": " + msg
		}
		return &Error{Pos: diag.Pos{File: file, Line: findLine(lines, firstLine(le.template))}, Msg: msg, Hint: le.Hint}
	}
	var inv *template.InvalidTemplateError
	if errors.As(err, &inv) {
		return &Error{Pos: diag.Pos{File: file, Line: findLine(lines, inv.Template)}, Msg: "invalid ${...} substitution" + where,
			Hint: "close the brace, or write $$ for a literal $"}
	}
	var req *template.MissingRequiredError
	if errors.As(err, &req) {
		// Its message is part of the value, so it is not repeated.
		return &Error{Pos: diag.Pos{File: file, Line: findLine(lines, "${"+req.Variable)}, Msg: "required variable " + req.Variable + " is not set" + where,
			Hint: "set " + req.Variable + " in stack.env"}
	}
	msg := values.Scrub(err.Error())
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		l, _ := strconv.Atoi(m[1])
		return &Error{Pos: diag.Pos{File: file, Line: l}, Msg: msg}
	}
	return &Error{Pos: diag.Pos{File: file}, Msg: "Compose cannot load this file: " + msg, Hint: "`docker compose -f production.yml config` shows the same problem"}
}

// composeValues is every value compose-go may have seen: the scalars of
// production.yml and of the extends: files it read, stack.env, and the
// system variables they refer to.
func (d *Deployment) composeValues(g *guard, root *yaml.Node, stack, system map[string]string) *Masker {
	m := &Masker{}
	keys := map[string]bool{}
	texts := []string{strings.Join(d.Lines, "\n")}
	add := func(_, v string) { m.addWords(v) }
	yamlScalars(root, "", add, keys)
	for _, data := range g.extended {
		var n yaml.Node
		if yaml.Unmarshal(data, &n) == nil {
			yamlScalars(&n, "", add, keys)
		}
		texts = append(texts, string(data))
	}
	for _, v := range stack {
		m.addWords(v)
	}
	for _, t := range texts {
		for _, r := range references(strings.Split(t, "\n")) {
			if v, ok := system[r.Name]; ok {
				m.addWords(v)
			}
		}
	}
	// Keys are names, which messages need (services.django…), and
	// compose-go's messages use words such as "false": a value that happens
	// to equal one is left alone.
	for _, w := range []string{"true", "false", "null", "none", "True", "False"} {
		keys[w] = true
	}
	m.values = slices.DeleteFunc(m.values, func(v string) bool { return keys[v] })
	for k := range keys {
		delete(m.words, k)
	}
	return m
}

// yamlScalars calls fn with every scalar value under n and the key it
// stands under ("" in a list, but NAME for a NAME=value item), and records
// the mapping keys in keys.
func yamlScalars(n *yaml.Node, key string, fn func(key, value string), keys map[string]bool) {
	if n == nil {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			yamlScalars(c, key, fn, keys)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if keys != nil {
				keys[n.Content[i].Value] = true
			}
			yamlScalars(n.Content[i+1], n.Content[i].Value, fn, keys)
		}
	case yaml.SequenceNode:
		for _, c := range n.Content {
			if c.Kind == yaml.ScalarNode {
				if k, v, ok := strings.Cut(c.Value, "="); ok {
					fn(k, v)
				}
			}
			yamlScalars(c, "", fn, keys)
		}
	case yaml.ScalarNode:
		fn(key, n.Value)
	}
}

// topKey returns the value of a top-level key of a YAML document.
func topKey(root *yaml.Node, key string) *yaml.Node {
	v, _ := mapValue(root, key)
	return v
}

// firstLine is the first line of a multi-line text.
func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func findLine(lines []string, needle string) int {
	for i, l := range lines {
		if strings.Contains(l, needle) {
			return i + 1
		}
	}
	return 0
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
// "django", else the service the others merge from, else the one service
// that sets DJANGO_SETTINGS_MODULE, else the one whose command starts a
// Django server (gunicorn, uvicorn, daphne, manage.py runserver) or whose
// image is named for Django.
func pickMain(d *Deployment, want, file string) (string, error) {
	names := mapsKeys(d.Services)
	if want != "" {
		if _, ok := d.Services[want]; !ok {
			return "", &Error{Pos: diag.Pos{File: file}, Msg: "no service " + strconv.Quote(want), Hint: "services: " + strings.Join(names, ", ")}
		}
		return want, nil
	}
	if _, ok := d.Services["django"]; ok {
		return "django", nil
	}
	counts := map[string]int{}
	for _, s := range d.Services {
		for _, a := range s.Merges {
			counts[a]++
		}
	}
	for _, name := range names {
		s := d.Services[name]
		if _, ok := s.Vars["DJANGO_SETTINGS_MODULE"]; ok && (counts[name] > 0 || s.Anchor != "" && counts[s.Anchor] > 0) {
			return name, nil
		}
	}
	var candidates []string
	for _, name := range names {
		s := d.Services[name]
		if _, ok := s.Vars["DJANGO_SETTINGS_MODULE"]; ok && len(s.Merges) == 0 {
			candidates = append(candidates, name)
		}
	}
	if len(candidates) == 1 {
		return candidates[0], nil
	}
	var servers []string
	for _, name := range names {
		if runsDjango(d.Services[name]) {
			servers = append(servers, name)
		}
	}
	if len(servers) == 1 {
		return servers[0], nil
	}
	hint := "pass --service NAME with the service that runs Django (services: " + strings.Join(names, ", ") + ")"
	if len(servers) > 1 {
		hint = "pass --service NAME with one of " + strings.Join(servers, ", ") + ", which all look like Django servers"
	}
	return "", &Error{Pos: diag.Pos{File: file}, Msg: "cannot tell which service runs Django", Hint: hint}
}

// djangoServer matches a command that serves a Django application; Celery
// and Flower commands load Django too, but do not serve it.
var djangoServer = regexp.MustCompile(`\b(gunicorn|uvicorn|daphne|hypercorn|uwsgi)\b|manage\.py\s+runserver|\brunserver\b`)

// runsDjango reports whether a service's command or image says it serves Django.
func runsDjango(s *Service) bool {
	cmd := strings.Join(s.Config.Command, " ") + " " + strings.Join(s.Config.Entrypoint, " ")
	if strings.Contains(cmd, "celery") || strings.Contains(cmd, "flower") {
		return false
	}
	if djangoServer.MatchString(cmd) {
		return true
	}
	image := strings.ToLower(s.Config.Image)
	return strings.Contains(image, "django") && !strings.Contains(image, "celery") && !strings.Contains(image, "flower") && strings.TrimSpace(cmd) == ""
}

func mapsKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
