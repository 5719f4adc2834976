// Package config loads docsgen.yaml.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/docsgen/docsgen/internal/safefile"
	"go.yaml.in/yaml/v3"
)

// FileName is the configuration file looked for in the working directory.
const FileName = "docsgen.yaml"

// Config is docsgen.yaml. Every key is optional.
type Config struct {
	// Title is the site's name, shown in the header and page titles;
	// without one, the root page's title.
	Title string `yaml:"title"`
	// Logo and Favicon are image files (relative to the config file's
	// folder) shown in the header and as the browser tab's icon.
	Logo    string `yaml:"logo"`
	Favicon string `yaml:"favicon"`
	// BaseURL is the absolute URL the site is served from, for sitemap.xml,
	// each page's canonical link and its OpenGraph tags.
	BaseURL string `yaml:"base_url"`
	// EditURL is the address of a page's source for editing, with {path}
	// standing for its path below the content folder, e.g.
	// https://github.com/org/repo/edit/main/content/{path}; the theme shows
	// "Edit this page" with it.
	EditURL string `yaml:"edit_url"`
	// Source is the content folder (default "content").
	Source string `yaml:"source"`
	// Out is the output folder (default "public").
	Out string `yaml:"out"`
	// Theme is a theme folder; empty means the built-in default theme.
	Theme string `yaml:"theme"`
	// Root is the document that holds the root toctree (default "index").
	Root string `yaml:"root"`
	// Markdown switches optional syntax.
	Markdown Markdown `yaml:"markdown"`
	// Substitutions replace {{ name }} in page text.
	Substitutions map[string]string `yaml:"substitutions"`
	// Linkcheck tunes `docsgen linkcheck --external`.
	Linkcheck Linkcheck `yaml:"linkcheck"`
	// Search is whether the site gets its offline search (the index, the
	// header box and search.html); nil means on. A site searched by an
	// outside service turns it off.
	Search *bool `yaml:"search"`

	// Dir is the folder holding the config file (the project root); the
	// working directory without one. Not read from YAML.
	Dir string `yaml:"-"`
	// File is the config file's path, "" without one.
	File string `yaml:"-"`
	// WorkDir is the working directory when the config was loaded: paths
	// in diagnostics are shown relative to it.
	WorkDir string `yaml:"-"`

	overrides Overrides // what Apply set, for Reload
}

// Display returns path as diagnostics show it: relative to the working
// directory when below it.
func (c *Config) Display(path string) string { return diag.ShortPath(c.WorkDir, path) }

// Markdown holds the syntax switches; nil means on.
type Markdown struct {
	Tables         *bool `yaml:"tables"`
	Strikethrough  *bool `yaml:"strikethrough"`
	TaskLists      *bool `yaml:"tasklists"`
	Autolinks      *bool `yaml:"autolinks"`
	Footnotes      *bool `yaml:"footnotes"`
	DefinitionList *bool `yaml:"deflist"`
	Typographer    *bool `yaml:"typographer"`
	// Dollarmath is MyST's dollarmath extension ($…$, $$…$$), off by
	// default as in MyST-Parser; the dmath switches are its settings.
	Dollarmath       *bool `yaml:"dollarmath"`
	DmathAllowSpace  *bool `yaml:"dmath_allow_space"`
	DmathAllowDigits *bool `yaml:"dmath_allow_digits"`
}

// Linkcheck configures external link checking.
type Linkcheck struct {
	// Ignore lists URL patterns (regular expressions) never fetched; they are
	// counted in the summary.
	Ignore []string `yaml:"ignore"`
	// PerHost is the number of concurrent requests to one host (default 2).
	PerHost int `yaml:"per_host"`
	// Concurrency caps concurrent requests overall (default 16).
	Concurrency int `yaml:"concurrency"`
	// Timeout bounds one request (default 10s).
	Timeout time.Duration `yaml:"timeout"`
	// Budget bounds the whole external check; links left are reported as
	// unchecked warnings (default 2m).
	Budget time.Duration `yaml:"budget"`
	// CacheTTL is how long an OK result is trusted (default 168h, ±20%).
	CacheTTL time.Duration `yaml:"cache_ttl"`
	// Retries is the number of retries of a transient failure (default 3).
	Retries *int `yaml:"retries"`
}

// On returns the value of a switch with its default.
func On(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

// Default is the configuration without a file.
func Default(dir string) *Config {
	return &Config{Source: "content", Out: "public", Root: "index", Dir: dir}
}

// Load reads path if it exists. With path == "" it looks for docsgen.yaml in
// the working directory. A missing default file is not an error.
func Load(path string) (*Config, error) {
	cfg, err := loadFile(path)
	if err != nil {
		return nil, err
	}
	cfg.WorkDir, _ = os.Getwd()
	return cfg, nil
}

func loadFile(path string) (*Config, error) {
	explicit := path != ""
	if !explicit {
		path = FileName
	}
	data, err := safefile.Read(path) // a FIFO named docsgen.yaml must not hang us
	if err != nil {
		if !explicit && errors.Is(err, os.ErrNotExist) {
			wd, err := os.Getwd()
			if err != nil {
				return nil, err
			}
			return Default(wd), nil
		}
		return nil, fmt.Errorf("%s: cannot read the config: %w", path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	cfg := Default(filepath.Dir(abs))
	cfg.File = path
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, positioned(path, err)
	}
	if cfg.Source == "" || cfg.Out == "" {
		return nil, diagError(path, 1, "source and out must not be empty")
	}
	if err := checkURLs(path, data, cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// checkURLs rejects a base_url or edit_url the theme could not use, at the
// key's line: both end up in every page, so a typo must not ship.
func checkURLs(path string, data []byte, cfg *Config) error {
	var errs []error
	if cfg.BaseURL != "" {
		if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, diagError(path, keyLine(data, "base_url"),
				"base_url "+strconv.Quote(cfg.BaseURL)+" is not an absolute http(s) URL; write it like https://docs.example.org/"))
		}
	}
	if cfg.EditURL != "" {
		u, err := url.Parse(strings.ReplaceAll(cfg.EditURL, "{path}", "x"))
		switch {
		case !strings.Contains(cfg.EditURL, "{path}"):
			errs = append(errs, diagError(path, keyLine(data, "edit_url"),
				"edit_url has no {path}; add it where the page's path below the content folder goes, e.g. https://github.com/org/repo/edit/main/content/{path}"))
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			errs = append(errs, diagError(path, keyLine(data, "edit_url"),
				"edit_url "+strconv.Quote(cfg.EditURL)+" is not an absolute http(s) URL"))
		}
	}
	return errors.Join(errs...)
}

// keyLine returns the line of a top-level key in a YAML document, 1 when
// it cannot tell.
func keyLine(data []byte, key string) int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return 1
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i].Line
		}
	}
	return 1
}

var yamlLineRe = regexp.MustCompile(`line (\d+): (.*)`)

// positioned turns a YAML error into "file:line:col: error: ..." lines.
func positioned(path string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		var msgs []error
		for _, e := range te.Errors {
			msgs = append(msgs, lineError(path, e))
		}
		return errors.Join(msgs...)
	}
	return lineError(path, err.Error())
}

func lineError(path, msg string) error {
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return diagError(path, line, m[2]+" (see the keys docsgen.yaml accepts in README.md)")
	}
	return diagError(path, 1, msg)
}

func diagError(path string, line int, msg string) error {
	return &Error{Diag: diag.Diagnostic{Pos: diag.Pos{File: path, Line: line, Col: 1}, Severity: diag.Error, Code: "config", Message: msg}}
}

// Error is a configuration problem with its position.
type Error struct{ Diag diag.Diagnostic }

func (e *Error) Error() string { return e.Diag.String() }

// SourceDir returns the absolute content folder.
func (c *Config) SourceDir() string { return c.abs(c.Source) }

// SearchIndex says whether the build makes the offline search.
func (c *Config) SearchIndex() bool { return c.Search == nil || *c.Search }

// OutDir returns the absolute output folder.
func (c *Config) OutDir() string { return c.abs(c.Out) }

func (c *Config) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, p)
}
