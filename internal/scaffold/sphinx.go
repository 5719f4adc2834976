package scaffold

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/docsgen/docsgen/internal/safefile"
	"go.yaml.in/yaml/v3"
)

// Setting is one conf.py setting and what became of it.
type Setting struct {
	Name string // conf.py's name; "html_theme_options.repository_url" for a key of a dict
	Line int
	// Key is the docsgen.yaml key it became (Mapped) or why it did not
	// (Builtin, Unmapped).
	Detail string
}

// Migration is conf.py read for docsgen: the docsgen.yaml text and what
// was mapped, what docsgen does without a setting, and what it could not
// map.
type Migration struct {
	YAML     []byte
	Mapped   []Setting
	Builtin  []Setting
	Unmapped []Setting
	// RST lists the reStructuredText pages of the source folder (slash
	// paths below it): docsgen reads Markdown only.
	RST []string
}

// sphinxYAML is the docsgen.yaml written, its keys in docsgen's order.
type sphinxYAML struct {
	Title         string            `yaml:"title,omitempty"`
	Logo          string            `yaml:"logo,omitempty"`
	Favicon       string            `yaml:"favicon,omitempty"`
	BaseURL       string            `yaml:"base_url,omitempty"`
	Source        string            `yaml:"source"`
	Root          string            `yaml:"root,omitempty"`
	Markdown      map[string]bool   `yaml:"markdown,omitempty"`
	Substitutions map[string]string `yaml:"substitutions,omitempty"`
	Linkcheck     *sphinxLinkcheck  `yaml:"linkcheck,omitempty"`
}

type sphinxLinkcheck struct {
	Ignore      []string `yaml:"ignore,omitempty"`
	Concurrency int      `yaml:"concurrency,omitempty"`
	Timeout     string   `yaml:"timeout,omitempty"`
	Retries     *int     `yaml:"retries,omitempty"`
}

// mystExtensions maps MyST-Parser's myst_enable_extensions to docsgen's
// markdown switches. Switches MyST has off unless listed are written
// false when the list leaves them out; docsgen has them on by default.
var mystExtensions = map[string]string{
	"dollarmath": "dollarmath", "deflist": "deflist", "tasklist": "tasklists", "linkify": "autolinks",
	"strikethrough": "strikethrough", "smartquotes": "typographer", "replacements": "typographer",
}

// mystBuiltin are extensions whose syntax docsgen always reads.
var mystBuiltin = map[string]string{
	"colon_fence":  "docsgen always reads ::: fences",
	"substitution": "docsgen always replaces {{ name }} (substitutions:)",
}

// builtinExtensions are Sphinx extensions whose features docsgen has.
var builtinExtensions = map[string]string{
	"myst_parser":           "docsgen reads MyST Markdown",
	"sphinx_design":         "docsgen has sphinx-design's directives and roles",
	"sphinx.ext.mathjax":    "docsgen typesets math with a vendored KaTeX",
	"sphinxcontrib.mermaid": "docsgen draws mermaid diagrams with a vendored Mermaid",
}

// FromSphinx reads the Sphinx configuration at confPath and returns the
// equivalent docsgen.yaml for a project in projectDir: the content folder
// is conf.py's folder, which must be below projectDir.
func FromSphinx(confPath, projectDir string) (*Migration, error) {
	data, err := safefile.Read(confPath)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read it: %w", confPath, err)
	}
	assigns, err := ParseAssignments(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %v; docsgen reads conf.py's literal assignments without running Python", confPath, err)
	}
	confDir, err := filepath.Abs(filepath.Dir(confPath))
	if err != nil {
		return nil, err
	}
	root, err := filepath.Abs(projectDir)
	if err != nil {
		return nil, err
	}
	source, err := filepath.Rel(root, confDir)
	if err != nil || source == "." || source == ".." || strings.HasPrefix(source, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s: its folder is the Sphinx source folder, and docsgen's content folder must be below the project folder %s: run docsgen init --from-sphinx in a folder above it (the repository's root)",
			confPath, projectDir)
	}
	m := &Migration{}
	out := sphinxYAML{Source: filepath.ToSlash(source)}
	byName := map[string]Assignment{}
	for _, a := range assigns {
		byName[a.Name] = a
	}
	str := func(a Assignment) (string, bool) { s, ok := a.Value.(string); return s, ok }
	mapped := func(a Assignment, key string) { m.Mapped = append(m.Mapped, Setting{a.Name, a.Line, key}) }
	unmapped := func(name string, line int, why string) { m.Unmapped = append(m.Unmapped, Setting{name, line, why}) }
	// path turns a conf.py-relative file into a docsgen.yaml-relative one,
	// inside the project.
	path := func(a Assignment, key string) (string, bool) {
		p, ok := str(a)
		if !ok || p == "" {
			unmapped(a.Name, a.Line, "not a file name")
			return "", false
		}
		if strings.Contains(p, "://") {
			unmapped(a.Name, a.Line, "a URL; docsgen's "+key+" is a file in the project")
			return "", false
		}
		abs := p
		if !filepath.IsAbs(p) {
			abs = filepath.Join(confDir, filepath.FromSlash(p))
		}
		rel, err := filepath.Rel(root, abs)
		if err != nil || strings.HasPrefix(rel, "..") {
			unmapped(a.Name, a.Line, "outside the project folder; copy the file into it")
			return "", false
		}
		mapped(a, key)
		return filepath.ToSlash(rel), true
	}

	for _, a := range assigns {
		if !a.OK {
			unmapped(a.Name, a.Line, "not a literal ("+a.Reason+"); set it by hand if docsgen has a key for it")
			continue
		}
		switch a.Name {
		case "project":
			if _, has := byName["html_title"]; has && byName["html_title"].OK {
				m.Builtin = append(m.Builtin, Setting{a.Name, a.Line, "html_title names the site instead"})
				continue
			}
			if s, ok := str(a); ok {
				out.Title = s
				mapped(a, "title")
			}
		case "html_title":
			if s, ok := str(a); ok {
				out.Title = s
				mapped(a, "title")
			}
		case "html_logo":
			out.Logo, _ = path(a, "logo")
		case "html_favicon":
			out.Favicon, _ = path(a, "favicon")
		case "html_baseurl":
			if s, ok := str(a); ok && s != "" {
				out.BaseURL = s
				mapped(a, "base_url")
			}
		case "root_doc", "master_doc":
			if s, ok := str(a); ok && s != "" {
				if s != "index" {
					out.Root = s
				}
				mapped(a, "root")
			}
		case "myst_enable_extensions":
			out.Markdown = markdownSwitches(m, a, out.Markdown)
		case "myst_dmath_allow_space", "myst_dmath_allow_digits":
			if b, ok := a.Value.(bool); ok {
				key := strings.TrimPrefix(a.Name, "myst_")
				if out.Markdown == nil {
					out.Markdown = map[string]bool{}
				}
				out.Markdown[key] = b
				mapped(a, "markdown."+key)
			}
		case "myst_heading_anchors":
			m.Builtin = append(m.Builtin, Setting{a.Name, a.Line, "docsgen gives every heading its GitHub slug, at every level"})
		case "myst_substitutions":
			d, ok := a.Value.(*Dict)
			if !ok {
				unmapped(a.Name, a.Line, "not a dict")
				continue
			}
			out.Substitutions = map[string]string{}
			for _, k := range d.Keys {
				switch v := d.Values[k].(type) {
				case string:
					out.Substitutions[k] = v
				case int64, float64, bool:
					out.Substitutions[k] = fmt.Sprint(v)
				default:
					unmapped(a.Name+"."+k, a.Line, "not text")
				}
			}
			mapped(a, "substitutions")
		case "extensions":
			exts, _ := a.Value.([]any)
			for _, e := range exts {
				name, _ := e.(string)
				if why, ok := builtinExtensions[name]; ok {
					m.Builtin = append(m.Builtin, Setting{"extensions: " + name, a.Line, why})
				} else {
					unmapped("extensions: "+name, a.Line, "a Python extension; docsgen warns (directive.python-only) where its directives are used")
				}
			}
		case "html_theme":
			unmapped(a.Name, a.Line, "docsgen uses its own theme (or a folder named by theme:)")
		case "html_theme_options":
			d, ok := a.Value.(*Dict)
			if !ok {
				unmapped(a.Name, a.Line, "not a dict")
				continue
			}
			for _, k := range d.Keys {
				unmapped(a.Name+"."+k, a.Line, "docsgen's theme has no such option")
			}
		case "source_suffix":
			m.Builtin = append(m.Builtin, Setting{a.Name, a.Line, "docsgen reads .md files"})
		case "exclude_patterns":
			unmapped(a.Name, a.Line, "docsgen has no exclude setting: it builds the Markdown files of the source folder; move the excluded ones out of it")
		case "linkcheck_ignore":
			for _, v := range listOf(a.Value) {
				if s, ok := v.(string); ok {
					out.lc().Ignore = append(out.lc().Ignore, s)
				}
			}
			mapped(a, "linkcheck.ignore")
		case "linkcheck_timeout":
			if secs, ok := number(a.Value); ok && secs > 0 {
				out.lc().Timeout = fmt.Sprintf("%gs", secs)
				mapped(a, "linkcheck.timeout")
			}
		case "linkcheck_retries":
			if n, ok := a.Value.(int64); ok && n >= 0 {
				// Sphinx counts tries, docsgen retries after the first.
				r := int(max(n-1, 0))
				out.lc().Retries = &r
				mapped(a, "linkcheck.retries")
			}
		case "linkcheck_workers":
			if n, ok := a.Value.(int64); ok && n > 0 {
				out.lc().Concurrency = int(n)
				mapped(a, "linkcheck.concurrency")
			}
		default:
			unmapped(a.Name, a.Line, "docsgen has no setting for it")
		}
	}
	m.RST, err = rstPages(confDir)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# docsgen.yaml, written by docsgen init --from-sphinx from %s.\n# The keys: see docsgen's README (docsgen.yaml).\n", filepath.ToSlash(confPath))
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	m.YAML = buf.Bytes()
	return m, nil
}

func (y *sphinxYAML) lc() *sphinxLinkcheck {
	if y.Linkcheck == nil {
		y.Linkcheck = &sphinxLinkcheck{}
	}
	return y.Linkcheck
}

// markdownSwitches maps myst_enable_extensions onto docsgen's switches.
func markdownSwitches(m *Migration, a Assignment, sw map[string]bool) map[string]bool {
	if sw == nil {
		sw = map[string]bool{}
	}
	var listed []string
	for _, v := range listOf(a.Value) {
		name, _ := v.(string)
		listed = append(listed, name)
		switch key, ok := mystExtensions[name]; {
		case ok:
			sw[key] = true
			m.Mapped = append(m.Mapped, Setting{a.Name + ": " + name, a.Line, "markdown." + key})
		case mystBuiltin[name] != "":
			m.Builtin = append(m.Builtin, Setting{a.Name + ": " + name, a.Line, mystBuiltin[name]})
		default:
			m.Unmapped = append(m.Unmapped, Setting{a.Name + ": " + name, a.Line, "docsgen does not have this MyST extension"})
		}
	}
	// MyST reads these only when listed; docsgen by default, so they are
	// switched off to read pages as Sphinx did.
	for ext, key := range mystExtensions {
		if key == "typographer" || key == "dollarmath" || slices.Contains(listed, ext) {
			continue
		}
		if _, set := sw[key]; !set {
			sw[key] = false
		}
	}
	return sw
}

func listOf(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return nil
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// rstPages lists the .rst files below dir, leaving out hidden folders and
// the build output folders Sphinx writes (_build).
func rstPages(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && p != dir && (strings.HasPrefix(name, ".") || name == "_build") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(name, ".rst") {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	return out, err
}
