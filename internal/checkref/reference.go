package checkref

import (
	"fmt"
	"strings"

	"github.com/docsgen/docsgen/internal/directives"
	"github.com/yuin/goldmark/ast"
)

// castDocs say how django-environ 0.10 reads each kind of variable, traps
// included; the settings reference prints them above the tables.
var castDocs = []struct {
	Cast Cast
	Doc  string
}{
	{CastBool, "If Python's `int()` accepts the value (surrounding whitespace, a sign, `1_0`, any Unicode digits), it is true when not 0. " +
		"Otherwise it is true only when it is exactly `true`, `on`, `ok`, `y`, `yes` or `1` in any case, **with nothing stripped**: " +
		"`\"True \"`, `\" true\"` and a tab before `true` are false, and so are an empty value and any unknown word."},
	{CastList, "Split on `,`; empty items are dropped; **nothing is trimmed**, so `a.org, b.org` gives ` b.org` with its space, which never matches a host."},
	{CastStr, "Taken as it is."},
	{CastInt, "Python's `int()`; anything else stops the application at start."},
	{CastDBURL, "django-environ's database URL: the scheme picks the engine (`postgres`, `postgresql`, `pgsql`, `psql`, `postgis`, `mysql`, `sqlite`, …), the path is the database name. " +
		"An empty value or one with no scheme gives an empty configuration (fairdm.E102), not the default."},
	{CastRaw, "Read from the process environment by exact value; no proxy rule, no parsing."},
}

// proxyDoc is the `$` trap, shared by every cast but raw.
const proxyDoc = "**A value starting with `$`** names another variable: the leading `$` signs are stripped and that variable is read instead, " +
	"the same way (chains are followed). If it is unset, **the setting's default applies**, whatever the first variable looked like. " +
	"A generated secret key starting with `$` therefore becomes another variable's value, usually empty; and a list variable read " +
	"this way stops the application at start (env.E002). Compose itself reads `$` too: write `$$` in production.yml and env files for a literal `$`."

// SettingsReferenceMarkdown renders the settings model: how values are
// read, every variable, the hard-coded settings, the ignored variables and
// the development profile.
func SettingsReferenceMarkdown() string {
	var b strings.Builder
	b.WriteString("The portal's settings as the validator models them: the same tables drive `docsgen check`, so this reference and the checks cannot disagree.\n\n")
	b.WriteString("### How values are read\n\nThe portal reads its variables with django-environ 0.10:\n\n")
	for _, c := range castDocs {
		fmt.Fprintf(&b, "- **%s**: %s\n", c.Cast, c.Doc)
	}
	fmt.Fprintf(&b, "\n%s\n\n", proxyDoc)

	b.WriteString("### Variables the portal reads\n\n| Variable | Type | Default | Setting | Checks | Notes |\n|---|---|---|---|---|---|\n")
	for _, v := range AppVars {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", v.Name, v.Cast, cell(codeOr(v.Default)), cell(v.Setting), checkLinks(v.Checks), cell(v.Doc))
	}
	b.WriteString("\n### Settings the portal fixes\n\nThese are written in the portal's code; no variable changes them in production.\n\n" +
		"| Setting | Value | Checks | Variable that has no effect |\n|---|---|---|---|\n")
	for _, h := range HardCodedSettings {
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | `%s` |\n", h.Setting, h.Value, checkLinks(h.Checks), h.Ignored)
	}
	b.WriteString("\n### Variables that have no effect\n\nDeployments set these, but the portal never reads them ([env.I006](#env-i006) reports them).\n\n" +
		"| Variable | What decides instead |\n|---|---|\n")
	for _, v := range IgnoredVars {
		fmt.Fprintf(&b, "| `%s` | %s |\n", v.Name, cell(v.Instead))
	}
	fmt.Fprintf(&b, "\n### The development profile\n\n`DJANGO_ENV=%s` (exactly; [env.E001](#env-e001)) replaces these settings, whatever the variables say:\n\n"+
		"| Setting | Value | Variable it overrides |\n|---|---|---|\n", Development.Name)
	for _, f := range Development.Forced {
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", f.Setting, cell(f.Value), codeOr(f.Overrides))
	}
	b.WriteString("\n### The portal's checks that no environment reaches\n\n`manage.py check --deploy` has these too; the validator leaves them out because no variable decides them:\n\n")
	for _, c := range AppOnlyChecks {
		fmt.Fprintf(&b, "- `%s` %s.\n", c.ID, c.Why)
	}
	b.WriteString("\n")
	return b.String()
}

func codeOr(s string) string {
	if s == "" {
		return "–"
	}
	return "`" + s + "`"
}

// checkLinks links check IDs to their catalog entries on the same page.
func checkLinks(ids []string) string {
	var out []string
	for _, id := range ids {
		c := Check{ID: id}
		out = append(out, fmt.Sprintf("[%s](#%s)", id, c.Anchor()))
	}
	if len(out) == 0 {
		return "–"
	}
	return strings.Join(out, ", ")
}

func settingsReferenceSpec() *directives.Spec {
	return &directives.Spec{
		Name: "settings-reference",
		Doc:  "The portal's settings reference, generated from the settings model the checks use: how values are read, each variable, the hard-coded settings, the ignored variables and the development profile.",
		Run: func(c *directives.Call) []ast.Node {
			return generated(c, SettingsReferenceMarkdown())
		},
	}
}
