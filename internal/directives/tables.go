package directives

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/docsgen/docsgen/internal/diag"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// The docutils table directives: {list-table}, {csv-table} and {table}
// (a caption and options around a Markdown table). All three make a Table,
// rendered as Sphinx renders tables (class "docutils align-…", th.head,
// th.stub, row-odd/row-even, a caption) inside a focusable scroll container
// so a wide table scrolls on its own and a keyboard can scroll it.

var KindTable = ast.NewNodeKind("DocutilsTable")

// Table is a table built by a directive. Its children are the nodes its
// cells come from (the parsed body, or one Fragment per CSV cell) and the
// caption, so roles in cells are resolved like any others; Rows points into
// them and is what renders.
type Table struct {
	ast.BaseBlock
	Caption     *Fragment // nil without a title
	Label       string    // the caption as plain text, for the scroll region's name
	ID          string
	Classes     []string
	Align       string // "", left, center, right
	Width       string
	WidthMode   string // "", "auto", "grid" or "given"
	Widths      []int  // relative column widths for "grid" and "given"
	HeaderRows  int
	StubColumns int
	Rows        [][]TableCell
}

// TableCell is the content of one cell: nodes whose text is in Source.
type TableCell struct {
	Nodes  []ast.Node
	Source []byte
	Align  string // text alignment of a Markdown table column
}

func (n *Table) Kind() ast.NodeKind     { return KindTable }
func (n *Table) Dump(src []byte, l int) { ast.DumpHelper(n, src, l, nil, nil) }

var tableNodes = []NodeSpec{{Kind: KindTable, Render: renderTable, Collect: func(n ast.Node, c Collector) {
	t := n.(*Table)
	c.Uses("docutils")
	if t.Caption != nil {
		t.Label = c.Text(t.Caption)
	}
	t.ID = c.Name(t.ID, t.Label)
}}}

var tableAlign = OptionSpec{Name: "align", Type: Choice, Choices: []string{"left", "center", "right"}, Doc: "horizontal alignment of the table"}

func tableOptions(extra ...OptionSpec) []OptionSpec {
	return append(extra,
		OptionSpec{Name: "widths", Type: Required, Doc: "column widths: `auto` (the browser decides), `grid` (equal, or as drawn), or relative numbers like `1 2 1` or `20,60,20`"},
		OptionSpec{Name: "width", Type: Length, Doc: "width of the whole table, like 80% or 30em"},
		tableAlign,
		OptionSpec{Name: "class", Type: Classes, Doc: "extra CSS classes"},
		OptionSpec{Name: "name", Type: Required, Doc: "a label that `{ref}` can link to (shows the caption)"},
	)
}

var headerRowsOptions = []OptionSpec{
	{Name: "header-rows", Type: NonNegInt, Doc: "how many leading rows are header rows"},
	{Name: "stub-columns", Type: NonNegInt, Doc: "how many leading columns are row headers"},
}

func listTableSpec() *Spec {
	return &Spec{
		Name: "list-table", Doc: "A table written as a two-level bullet list: each item is a row, its sub-items are the cells. The argument is the caption.",
		OptionalArgs: 1, FinalArgWhitespace: true,
		Options: tableOptions(headerRowsOptions...),
		Body:    Markdown, BodyRequired: true,
		Run: runListTable, Nodes: tableNodes,
	}
}

func runListTable(c *Call) []ast.Node {
	body := c.ParseBody()
	list, ok := body.FirstChild().(*ast.List)
	if !ok || list.IsOrdered() || body.ChildCount() != 1 {
		c.Errorf(c.Pos, "error parsing content block for the %q directive: exactly one bullet list expected", c.Name)
		return nil
	}
	var rows [][]TableCell
	cols := 0
	for i, item := 0, list.FirstChild(); item != nil; i, item = i+1, item.NextSibling() {
		sub, ok := item.FirstChild().(*ast.List)
		if !ok || sub.IsOrdered() || item.ChildCount() != 1 {
			c.Errorf(c.Pos, "error parsing content block for the %q directive: two-level bullet list expected, but row %d does not contain a second-level bullet list", c.Name, i+1)
			return nil
		}
		if i == 0 {
			cols = sub.ChildCount()
		} else if sub.ChildCount() != cols {
			c.Errorf(c.Pos, "error parsing content block for the %q directive: uniform two-level bullet list expected, but row %d does not contain the same number of items as row 1 (%d vs %d)", c.Name, i+1, sub.ChildCount(), cols)
			return nil
		}
		var row []TableCell
		for cell := sub.FirstChild(); cell != nil; cell = cell.NextSibling() {
			row = append(row, TableCell{Nodes: childNodes(cell), Source: body.Source.Text})
		}
		rows = append(rows, row)
	}
	if !checkTableDimensions(c, rows) {
		return nil
	}
	t := newTable(c, rows, cols)
	if t == nil {
		return nil
	}
	t.AppendChild(t, body)
	return []ast.Node{t}
}

func childNodes(n ast.Node) []ast.Node {
	var out []ast.Node
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		out = append(out, ch)
	}
	return out
}

// checkTableDimensions checks the rows against header-rows and
// stub-columns as docutils does, reporting at the option.
func checkTableDimensions(c *Call, rows [][]TableCell) bool {
	header, stubs := c.IntOpt("header-rows", 0), c.IntOpt("stub-columns", 0)
	switch {
	case len(rows) < header:
		c.Errorf(c.OptPos("header-rows"), "%d header row(s) specified but only %d row(s) of data supplied (%q directive)", header, len(rows), c.Name)
		return false
	case header > 0 && len(rows) == header:
		c.Errorf(c.OptPos("header-rows"), "insufficient data supplied (%d row(s)); no data remaining for table body, required by %q directive", len(rows), c.Name)
		return false
	}
	for i, row := range rows {
		switch {
		case len(row) < stubs:
			c.Errorf(c.OptPos("stub-columns"), "%d stub column(s) specified but row %d has only %d column(s) of data (%q directive)", stubs, i+1, len(row), c.Name)
			return false
		case stubs > 0 && len(row) == stubs:
			c.Errorf(c.OptPos("stub-columns"), "insufficient data supplied (%d column(s)); no data remaining for table body, required by %q directive", len(row), c.Name)
			return false
		}
	}
	return true
}

// newTable builds the Table with the options every table directive
// shares (widths are checked against cols); nil after an error.
func newTable(c *Call, rows [][]TableCell, cols int) *Table {
	t := &Table{Rows: rows, HeaderRows: c.IntOpt("header-rows", 0), StubColumns: c.IntOpt("stub-columns", 0), ID: MakeID(c.Opt("name")),
		Classes: c.ClassesOpt("class"), Align: c.Opt("align"), Width: c.Opt("width")}
	if c.Has("widths") {
		mode, widths, err := parseWidths(c.Opt("widths"))
		if err != nil {
			c.Errorf(c.OptPos("widths"), "invalid value for option \"widths\" of %q: %v", c.Name, err)
			return nil
		}
		if mode == "given" && len(widths) != cols {
			c.Errorf(c.OptPos("widths"), "%q widths do not match the number of columns in table (%d)", c.Name, cols)
			return nil
		}
		if mode == "grid" && cols > 0 {
			widths = make([]int, cols)
			for i := range widths {
				widths[i] = 1
			}
		}
		t.WidthMode, t.Widths = mode, widths
	}
	if len(c.Args) > 0 {
		t.Caption = c.ParseInline(c.Args[0], c.ArgPos)
		t.AppendChild(t, t.Caption)
	}
	return t
}

// parseWidths reads a widths option: auto, grid, or positive integers
// separated by commas or spaces.
func parseWidths(v string) (mode string, widths []int, err error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "auto", "grid":
		return strings.ToLower(strings.TrimSpace(v)), nil, nil
	}
	parts := strings.Fields(v)
	if strings.Contains(v, ",") {
		parts = strings.Split(v, ",")
	}
	for _, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 {
			return "", nil, fmt.Errorf("%q is not auto, grid or a list of positive integers", v)
		}
		widths = append(widths, n)
	}
	return "given", widths, nil
}

func csvTableSpec() *Spec {
	return &Spec{
		Name: "csv-table", Doc: "A table from comma-separated values, in the body or a file; each cell is Markdown. The argument is the caption.",
		OptionalArgs: 1, FinalArgWhitespace: true,
		Options: tableOptions(append([]OptionSpec{
			{Name: "header", Type: Required, Doc: "header rows, as CSV, kept apart from the data"},
		}, append(headerRowsOptions,
			OptionSpec{Name: "file", Type: Required, Doc: "read the CSV from this file (relative to the page, or `/` for the content folder)"},
			OptionSpec{Name: "encoding", Type: Required, Doc: "encoding of the file (default utf-8)"},
			OptionSpec{Name: "delim", Type: Required, Doc: "the separator: one character, `tab`, `space` or a code like `U+003B`"},
			OptionSpec{Name: "quote", Type: Required, Doc: "the quote character (default `\"`)"},
			OptionSpec{Name: "escape", Type: Required, Doc: "an escape character for the separator and quote (default: none; a quote is doubled)"},
			OptionSpec{Name: "keepspace", Type: Flag, Doc: "keep spaces after a separator (they are dropped by default)"},
		)...)...),
		Body: RawBody,
		Run:  runCSVTable, Nodes: tableNodes,
	}
}

func runCSVTable(c *Call) []ast.Node {
	d := CSVDialect{Delim: ',', Quote: '"', SkipInitialSpace: !c.Has("keepspace")}
	for _, o := range []struct {
		name  string
		into  *rune
		words bool
	}{{"delim", &d.Delim, true}, {"quote", &d.Quote, false}, {"escape", &d.Escape, false}} {
		if !c.Has(o.name) {
			continue
		}
		r, err := csvChar(c.Opt(o.name), o.words)
		if err != nil {
			c.Errorf(c.OptPos(o.name), "invalid value for option %q of %q: %v", o.name, c.Name, err)
			return nil
		}
		*o.into = r
	}
	// lineAt gives the file position of a 0-based line of the CSV data.
	data, fromFile, ok := bodyOrFile(c)
	if !ok {
		return nil
	}
	// lineAt gives the file position of a 0-based line of the CSV data.
	lineAt := c.Body.LinePos
	if fromFile {
		lineAt = func(int) diag.Pos { return c.OptPos("file") }
	} else {
		data = strings.TrimRight(data, " \t\r\n")
	}
	var head []CSVRow
	headAt := func(int) diag.Pos { return c.OptPos("header") }
	if c.Has("header") {
		var err error
		if head, err = ParseCSV(headerOption(c.Opt("header"), d), d); err != nil {
			c.Errorf(c.OptPos("header"), "error with CSV data in the header option of %q: %v", c.Name, err)
			return nil
		}
	}
	rows, err := ParseCSV(data, d)
	if err != nil {
		e := err.(*CSVError)
		c.Errorf(fieldPos(lineAt, e.Line, e.Col), "error with CSV data in %q directive: %v", c.Name, err)
		return nil
	}
	cols := 0
	for _, r := range append(head, rows...) {
		cols = max(cols, len(r))
	}
	if cols == 0 {
		c.Errorf(c.Pos, "no table data detected in CSV data of %q", c.Name)
		return nil
	}
	var frags []*Fragment
	cellsOf := func(rows []CSVRow, lineAt func(int) diag.Pos) [][]TableCell {
		cells := make([][]TableCell, len(rows))
		for i, r := range rows {
			for _, f := range r {
				src := NewSource(c.Pos.File, []byte(f.Text))
				for j := range src.ownOrigins() {
					src.origins[j] = fieldPos(lineAt, f.Line+j, map[bool]int{true: f.Col, false: 0}[j == 0])
				}
				src.Via = c.Env.Src.Via
				frag := c.Env.Parse(src)
				frags = append(frags, frag)
				cells[i] = append(cells[i], TableCell{Nodes: []ast.Node{frag}})
			}
			for len(cells[i]) < cols {
				cells[i] = append(cells[i], TableCell{})
			}
		}
		return cells
	}
	headCells, bodyCells := cellsOf(head, headAt), cellsOf(rows, lineAt)
	// header-rows and stub-columns are checked against the data, as
	// docutils does; the header option's rows come before it.
	if !checkTableDimensions(c, bodyCells) {
		return nil
	}
	t := newTable(c, append(headCells, bodyCells...), cols)
	if t == nil {
		return nil
	}
	t.HeaderRows += len(headCells)
	for _, f := range frags {
		t.AppendChild(t, f)
	}
	return []ast.Node{t}
}

// headerOption undoes the option reader's unquoting of a header written
// the docutils way, `"Treat", "Quantity"`: read as one quoted string, it
// lost its first and last quote and no longer parses.
func headerOption(v string, d CSVDialect) string {
	if _, err := ParseCSV(v, d); err == nil || (d.Quote != '"' && d.Quote != '\'') {
		return v
	}
	q := string(d.Quote)
	if _, err := ParseCSV(q+v+q, d); err == nil {
		return q + v + q
	}
	return v
}

// fieldPos is the position of a 0-based rune column of a 0-based line.
func fieldPos(lineAt func(int) diag.Pos, line, col int) diag.Pos {
	p := lineAt(line)
	if p.Line > 0 && col > 0 {
		p.Col += col
	}
	return p
}

// bodyOrFile returns a directive's text: its body, or the file its "file"
// option names; both, or neither, is an error.
func bodyOrFile(c *Call) (text string, fromFile, ok bool) {
	switch {
	case c.Body != nil && c.Has("file"):
		c.Errorf(c.Pos, "%q directive may not both specify an external file and have content", c.Name)
	case c.Body != nil:
		return string(c.Body.Text), false, true
	case c.Has("file"):
		txt, ok := readDirectiveFile(c, c.Opt("file"), c.OptPos("file"))
		return txt, true, ok
	default:
		c.Errorf(c.Pos, "the %q directive requires content or a \"file\" option; none supplied", c.Name)
	}
	return "", false, false
}

// readDirectiveFile reads a file a directive option names, through Files
// (which refuses paths outside the project), decoded with :encoding:.
func readDirectiveFile(c *Call, path string, pos diag.Pos) (string, bool) {
	abs, err := c.Env.Files.Resolve(c.Pos.File, path)
	if abs != "" {
		*c.Env.Deps = append(*c.Env.Deps, abs)
	}
	if err != nil {
		c.Env.Diags.Add(diag.Diagnostic{Pos: pos, Via: c.Env.Src.Via, Severity: diag.Error, Code: "ref.include",
			Message: fmt.Sprintf("%s: %v", c.Spec.Name, err), Target: path})
		return "", false
	}
	data, err := c.Env.Files.Read(abs)
	if err != nil {
		c.Errorf(pos, "%s: cannot read %q: %v", c.Spec.Name, path, err)
		return "", false
	}
	txt, err := decode(data, c.Opt("encoding"), path)
	if err != nil {
		c.Errorf(c.OptPos("encoding"), "%v", err)
		return "", false
	}
	return txt, true
}

// csvChar reads a one-character option the way docutils does: the
// character itself, a code (U+263A, 0x3b, \x3b, u263a, &#x3b;, or a decimal
// number), and for delim also "tab" and "space".
func csvChar(v string, words bool) (rune, error) {
	if words {
		switch v {
		case "tab":
			return '\t', nil
		case "space":
			return ' ', nil
		}
	}
	s := v
	if v != "" && strings.Trim(v, "0123456789") == "" {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n > utf8.MaxRune {
			return 0, fmt.Errorf("code %q is too large", v)
		}
		s = string(rune(n))
	} else if m := unicodeCodeRe.FindStringSubmatch(v); m != nil {
		n, err := strconv.ParseUint(m[1]+m[2], 16, 32)
		if err != nil || n > utf8.MaxRune {
			return 0, fmt.Errorf("code %q is too large", v)
		}
		s = string(rune(n))
	}
	if utf8.RuneCountInString(s) != 1 {
		return 0, fmt.Errorf("%q invalid; must be a single character or a Unicode code", v)
	}
	r, _ := utf8.DecodeRuneInString(s)
	return r, nil
}

var unicodeCodeRe = regexp.MustCompile(`(?i)^(?:0x|x|\\x|U\+?|\\u)([0-9a-f]+)$|^&#x([0-9a-f]+);$`)

// CSVDialect is how ParseCSV reads: Python's csv module as docutils sets it
// up (strict, doubled quotes unless an escape character is given, spaces
// after a separator skipped unless keepspace).
type CSVDialect struct {
	Delim, Quote, Escape rune // Escape 0: none
	SkipInitialSpace     bool
}

// CSVField is one parsed field and where it starts in the input (0-based
// line, 0-based column in runes).
type CSVField struct {
	Text      string
	Line, Col int
}

// CSVRow is one record.
type CSVRow []CSVField

// CSVError is malformed CSV at a 0-based line and rune column.
type CSVError struct {
	Line, Col int
	Msg       string
}

func (e *CSVError) Error() string { return e.Msg }

// ParseCSV splits text into records. A blank line is an empty record, as
// in Python; a quoted field may run over several lines.
func ParseCSV(text string, d CSVDialect) ([]CSVRow, error) {
	const (
		startRecord = iota
		startField
		inField
		inQuoted
		escaped
		escapedInQuoted
		quoteInQuoted
	)
	var rows []CSVRow
	var row CSVRow
	var field strings.Builder
	fieldLine, fieldCol := 0, 0
	state := startRecord
	line, col := 0, 0
	save := func() {
		row = append(row, CSVField{Text: field.String(), Line: fieldLine, Col: fieldCol})
		field.Reset()
	}
	endRecord := func() {
		rows = append(rows, row)
		row = nil
		state = startRecord
	}
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	for _, r := range text {
		if r == '\r' {
			continue
		}
		here := func() { fieldLine, fieldCol = line, col }
		switch state {
		case startRecord:
			if r == '\n' {
				endRecord()
				break
			}
			state = startField
			fallthrough
		case startField:
			switch {
			case r == '\n':
				here()
				save()
				endRecord()
			case r == d.Quote:
				here()
				fieldCol++
				state = inQuoted
			case d.Escape != 0 && r == d.Escape:
				here()
				state = escaped
			case r == ' ' && d.SkipInitialSpace:
			case r == d.Delim:
				here()
				save()
			default:
				here()
				field.WriteRune(r)
				state = inField
			}
		case inField:
			switch {
			case r == '\n':
				save()
				endRecord()
			case d.Escape != 0 && r == d.Escape:
				state = escaped
			case r == d.Delim:
				save()
				state = startField
			default:
				field.WriteRune(r)
			}
		case escaped:
			field.WriteRune(r)
			state = inField
		case escapedInQuoted:
			field.WriteRune(r)
			state = inQuoted
		case inQuoted:
			switch {
			case d.Escape != 0 && r == d.Escape:
				state = escapedInQuoted
			case r == d.Quote && d.Escape == 0:
				state = quoteInQuoted
			case r == d.Quote:
				state = inField
			default:
				field.WriteRune(r)
			}
		case quoteInQuoted:
			switch {
			case r == d.Quote:
				field.WriteRune(r)
				state = inQuoted
			case r == d.Delim:
				save()
				state = startField
			case r == '\n':
				save()
				endRecord()
			default:
				return nil, &CSVError{Line: line, Col: col, Msg: fmt.Sprintf("%q expected after %q", d.Delim, d.Quote)}
			}
		}
		if r == '\n' {
			line, col = line+1, 0
		} else {
			col++
		}
	}
	if state == inQuoted || state == escapedInQuoted || state == escaped {
		return nil, &CSVError{Line: fieldLine, Col: fieldCol, Msg: "unexpected end of data (a quoted field is never closed)"}
	}
	return rows, nil
}

func tableSpec() *Spec {
	return &Spec{
		Name: "table", Doc: "A caption (the argument) and options around one Markdown table in the body.",
		OptionalArgs: 1, FinalArgWhitespace: true,
		Options: tableOptions(),
		Body:    Markdown, BodyRequired: true,
		Run: func(c *Call) []ast.Node {
			body := c.ParseBody()
			md, ok := body.FirstChild().(*east.Table)
			if !ok || body.ChildCount() != 1 {
				c.Errorf(c.Pos, "error parsing content block for the %q directive: exactly one Markdown table expected", c.Name)
				return nil
			}
			var rows [][]TableCell
			header := 0
			for r := md.FirstChild(); r != nil; r = r.NextSibling() {
				if _, ok := r.(*east.TableHeader); ok {
					header++
				}
				var row []TableCell
				for cell := r.FirstChild(); cell != nil; cell = cell.NextSibling() {
					tc := TableCell{Nodes: childNodes(cell), Source: body.Source.Text}
					if a := cell.(*east.TableCell).Alignment; a != east.AlignNone {
						tc.Align = a.String()
					}
					row = append(row, tc)
				}
				rows = append(rows, row)
			}
			t := newTable(c, rows, len(md.Alignments))
			if t == nil {
				return nil
			}
			t.HeaderRows = header
			if t.WidthMode == "grid" {
				if w := delimiterWidths(c.Body, len(md.Alignments)); w != nil {
					t.Widths = w
				}
			}
			t.AppendChild(t, body)
			return []ast.Node{t}
		},
		Nodes: tableNodes,
	}
}

var delimRowRe = regexp.MustCompile(`^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$`)

// delimiterWidths reads the widths of a Markdown table's columns as drawn:
// the lengths of the cells of its delimiter row (|---|:-----:|).
func delimiterWidths(body *Source, cols int) []int {
	for _, l := range body.Lines() {
		if !delimRowRe.MatchString(l) || !strings.Contains(l, "-") {
			continue
		}
		l = strings.Trim(strings.TrimSpace(l), "|")
		var out []int
		for _, p := range strings.Split(l, "|") {
			out = append(out, max(1, len(strings.TrimSpace(p))))
		}
		if len(out) == cols {
			return out
		}
		return nil
	}
	return nil
}

func renderTable(w util.BufWriter, n ast.Node, entering bool, r RenderContext) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	t := n.(*Table)
	// The scroll container is a focusable region, so keyboard users can
	// scroll a wide table; its name is the caption.
	w.WriteString(`<div class="table-wrapper" tabindex="0" role="region"`)
	attr(w, "aria-label", cmpOr(t.Label, "Table"))
	w.WriteString(">\n<table")
	cls := []string{"docutils", "align-" + cmpOr(t.Align, "default")}
	switch t.WidthMode {
	case "auto":
		cls = append(cls, "colwidths-auto")
	case "given":
		cls = append(cls, "colwidths-given")
	case "grid":
		cls = append(cls, "colwidths-grid")
	}
	attr(w, "class", strings.Join(append(cls, t.Classes...), " "))
	attr(w, "id", t.ID)
	if t.Width != "" {
		attr(w, "style", "width: "+cssLength(t.Width))
	}
	w.WriteString(">\n")
	if t.Caption != nil {
		w.WriteString(`<caption><span class="caption-text">`)
		if err := r.Render(w, nil, t.Caption); err != nil {
			return ast.WalkStop, err
		}
		w.WriteString("</span>")
		if t.ID != "" {
			fmt.Fprintf(w, `<a class="headerlink" href="#%s" title="Link to this table">¶</a>`, html.EscapeString(t.ID))
		}
		w.WriteString("</caption>\n")
	}
	if len(t.Widths) > 0 {
		total := 0
		for _, x := range t.Widths {
			total += x
		}
		w.WriteString("<colgroup>\n")
		for _, x := range t.Widths {
			fmt.Fprintf(w, "<col style=\"width: %.1f%%\" />\n", float64(x)*100/float64(total))
		}
		w.WriteString("</colgroup>\n")
	}
	for i, row := range t.Rows {
		switch i {
		case 0:
			if t.HeaderRows > 0 {
				w.WriteString("<thead>\n")
			} else {
				w.WriteString("<tbody>\n")
			}
		case t.HeaderRows:
			w.WriteString("</thead>\n<tbody>\n")
		}
		fmt.Fprintf(w, `<tr class="%s">`, map[bool]string{true: "row-odd", false: "row-even"}[i%2 == 0])
		for j, cell := range row {
			if err := renderTableCell(w, r, cell, i < t.HeaderRows, j < t.StubColumns); err != nil {
				return ast.WalkStop, err
			}
		}
		w.WriteString("</tr>\n")
	}
	if len(t.Rows) > t.HeaderRows {
		w.WriteString("</tbody>\n")
	} else if len(t.Rows) > 0 {
		w.WriteString("</thead>\n")
	}
	w.WriteString("</table>\n</div>\n")
	return ast.WalkSkipChildren, nil
}

func renderTableCell(w util.BufWriter, r RenderContext, cell TableCell, head, stub bool) error {
	tag := "td"
	var cls []string
	scope := ""
	switch {
	case head:
		tag, scope = "th", "col"
		cls = append(cls, "head")
		if stub {
			cls = append(cls, "stub")
		}
	case stub:
		tag, scope = "th", "row"
		cls = append(cls, "stub")
	}
	if cell.Align != "" {
		cls = append(cls, "text-"+cell.Align)
	}
	w.WriteString("<" + tag)
	attr(w, "class", strings.Join(cls, " "))
	attr(w, "scope", scope)
	w.WriteString(">")
	for _, n := range cell.Nodes {
		// A cell's text is a paragraph, as in Sphinx's tables, also when
		// it is a tight list item's or a Markdown table cell's bare text.
		if _, ok := n.(*ast.TextBlock); ok {
			w.WriteString("<p>")
			for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
				if err := r.Render(w, cell.Source, ch); err != nil {
					return err
				}
			}
			w.WriteString("</p>\n")
			continue
		}
		if err := r.Render(w, cell.Source, n); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "</%s>", tag)
	return nil
}
