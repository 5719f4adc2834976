package directives_test

import (
	"strings"
	"testing"

	"github.com/docsgen/docsgen/internal/checkref"
	"github.com/docsgen/docsgen/internal/directives"
)

// registry is every directive a build knows: the built-in ones and the
// ones checkref adds.
func registry() *directives.Registry {
	return directives.NewRegistry(append(directives.Builtin(), checkref.Directives()...)...)
}

func TestEverySpecIsDocumented(t *testing.T) {
	r := registry()
	for _, s := range r.Specs() {
		if strings.TrimSpace(s.Doc) == "" {
			t.Errorf("directive %q has no Doc", s.Name)
		}
		if s.Run == nil {
			t.Errorf("directive %q has no Run", s.Name)
		}
		for _, o := range s.Options {
			if strings.TrimSpace(o.Doc) == "" {
				t.Errorf("option %q of directive %q has no Doc", o.Name, s.Name)
			}
		}
		for _, n := range s.Nodes {
			if n.Render == nil {
				t.Errorf("directive %q lists node kind %v without a renderer", s.Name, n.Kind)
			}
		}
	}
	roles := r.Roles()
	if len(roles) == 0 {
		t.Fatal("no roles registered")
	}
	for _, ro := range roles {
		if strings.TrimSpace(ro.Doc) == "" {
			t.Errorf("role %q has no Doc", ro.Name)
		}
		if ro.Render == nil {
			t.Errorf("role %q has no renderer", ro.Name)
		}
	}
}

// TestReferenceListsEverything keeps the generated reference page from
// drifting: every directive, alias, option and role is on it, each option
// in its own directive's section.
func TestReferenceListsEverything(t *testing.T) {
	r := registry()
	md := directives.ReferenceMarkdown(r)
	sections := map[string]string{}
	for _, part := range strings.Split(md, "\n### `")[1:] {
		name, _, _ := strings.Cut(part, "`")
		sections[name] = part
	}
	for _, s := range r.Specs() {
		sec, ok := sections[s.Name]
		if !ok {
			t.Errorf("directive %q is not in the reference", s.Name)
			continue
		}
		if !strings.Contains(md, "(directive-"+s.Name+")=") {
			t.Errorf("directive %q has no label in the reference", s.Name)
		}
		for _, a := range s.Aliases {
			if !strings.Contains(sec, "`"+a+"`") {
				t.Errorf("alias %q of %q is not in its section", a, s.Name)
			}
		}
		for _, o := range s.Options {
			if !strings.Contains(sec, "| `:"+o.Name+":` |") {
				t.Errorf("option %q of %q is not in its section", o.Name, s.Name)
			}
		}
	}
	if len(sections) != len(r.Specs()) {
		t.Errorf("the reference has %d directive sections for %d directives", len(sections), len(r.Specs()))
	}
	_, roles, ok := strings.Cut(md, "\n## Roles\n")
	if !ok {
		t.Fatal("the reference has no Roles section")
	}
	for _, ro := range r.Roles() {
		if !strings.Contains(roles, "| `{"+ro.Name+"}` |") {
			t.Errorf("role %q is not in the reference", ro.Name)
		}
	}
}
