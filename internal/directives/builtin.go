package directives

// Builtin returns the directives every build knows, as one explicit list:
// one line per directive (or family). A directive is one file holding its
// Spec, its node types, their renderers and collect hooks.
func Builtin() []*Spec {
	specs := []*Spec{
		genericAdmonition(),
		codeBlockSpec(),
		literalIncludeSpec(),
		includeSpec(),
		toctreeSpec(),
		contentsSpec(),
		imageSpec(),
		figureSpec(),
		glossarySpec(),
		containerSpec(),
		referenceSpec(),
	}
	return append(specs, admonitionSpecs()...)
}

var commonOptions = []OptionSpec{
	{Name: "class", Type: Classes, Doc: "extra CSS classes"},
	{Name: "name", Type: Required, Doc: "a label that `{ref}` can link to"},
}
