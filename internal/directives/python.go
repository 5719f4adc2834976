package directives

import (
	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark/ast"
)

// Directives that need Python (or a program) at build time: autodoc and
// its relatives import the documented code, the notebook directives run a
// kernel, eval-rst needs docutils' reStructuredText parser, graphviz the
// dot program. docsgen accepts them whatever their arguments, options and
// body, shows readers nothing, and warns once per use with the code
// directive.python-only, naming what the directive needs.

const pythonOnlyCode = "directive.python-only"

// Extensions the Python-only directives belong to.
const (
	autodocExt     = "Sphinx's autodoc extension"
	autosummaryExt = "Sphinx's autosummary extension"
	autodoc2Ext    = "the sphinx-autodoc2 extension"
	graphvizExt    = "Sphinx's graphviz extension and the Graphviz dot program"
)

// pythonOnly is a directive that needs ext; a build warns at each use.
func pythonOnly(name, ext string) *Spec {
	return &Spec{
		Name: name, Doc: "Needs " + ext + " (Python); docsgen accepts it, warns (`" + pythonOnlyCode + "`) and renders nothing.",
		// Everything on the opening line is one argument and the option
		// block stays in the raw body, so no option is ever unknown.
		OptionalArgs: 1, FinalArgWhitespace: true, Body: RawBody,
		Run: func(c *Call) []ast.Node {
			c.Env.Diags.Add(diag.Diagnostic{Pos: c.Pos, Via: c.Env.Src.Via, Severity: diag.Warning, Code: pythonOnlyCode,
				Message: c.Spec.Name + " needs " + ext + " (Python); docsgen renders nothing for it"})
			return nil
		},
	}
}
