package fastlex

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2/syntax"
)

// firstRunes says at which runes a match of a rule can start. It is
// computed from regexp2's own parse tree of the rule's pattern, and errs
// only towards admitting: a rune it rejects cannot start a match.
type firstRunes struct {
	any   bool // unknown, or the match may be empty: always ask regexp2
	empty bool // the pattern is empty: it matches "" everywhere without asking
	preds []runePred
	// literals, if not nil, are strings one of which starts every match:
	// the next check after the first rune (keyword lists fail most).
	literals literals
	// matcher, if not nil, runs the match in place of regexp2.
	matcher *matcher
	// nullable: in the matcher's follow sets, what follows may also
	// match empty (then the set alone rules nothing out).
	nullable bool
}

// rulesOut reports whether nothing that must start with one of f's runes
// can start at pos: at the end of the text, or at a rune f does not admit.
func (f *firstRunes) rulesOut(text []rune, pos int) bool {
	if f == nil || f.any || f.empty || f.nullable {
		return false
	}
	return pos >= len(text) || !f.admits(text[pos])
}

// runePred is one way a match can start: one rune, any rune but one, or a
// class.
type runePred struct {
	kind predKind
	ch   rune
	set  *syntax.CharSet
	// fold: the node ignores case, so the other cases of the rune count too.
	fold bool
}

type predKind int

const (
	predOne predKind = iota
	predNotOne
	predSet
)

func (f *firstRunes) admits(ch rune) bool {
	if f.any || f.empty {
		return true
	}
	for i := range f.preds {
		if f.preds[i].admits(ch) {
			return true
		}
	}
	return false
}

func (p *runePred) admits(ch rune) bool {
	if p.holds(ch) {
		return true
	}
	if !p.fold {
		return false
	}
	// regexp2 folds case with its own tables; outside ASCII, admit rather
	// than guess. Inside it, try every case of the rune.
	if ch >= utf8.RuneSelf || p.kind == predNotOne {
		return true
	}
	if p.holds(unicode.ToLower(ch)) || p.holds(unicode.ToUpper(ch)) {
		return true
	}
	for c := unicode.SimpleFold(ch); c != ch; c = unicode.SimpleFold(c) {
		if p.holds(c) {
			return true
		}
	}
	return false
}

func (p *runePred) holds(ch rune) bool {
	switch p.kind {
	case predOne:
		return ch == p.ch
	case predNotOne:
		return ch != p.ch
	default:
		return p.set.CharIn(ch)
	}
}

// firstRunesOf parses pattern as regexp2 does and finds the runes its
// matches can start with.
func firstRunesOf(pattern string, empty bool) (firstRunes, error) {
	if empty {
		return firstRunes{empty: true}, nil
	}
	tree, err := syntax.Parse(pattern, syntax.ParseOptions{})
	if err != nil {
		return firstRunes{}, err
	}
	lits := literalsOf(tree.Root)
	preds, nullable, unknown := firstOf(tree.Root)
	if unknown || nullable {
		return firstRunes{any: true, literals: lits}, nil
	}
	return firstRunes{preds: preds, literals: lits}, nil
}

// firstOf returns the ways a match of n can start, whether n can match
// without consuming a rune, and whether n is beyond this analysis (then
// anything may start it).
func firstOf(n *syntax.RegexNode) (preds []runePred, nullable, unknown bool) {
	if n.T == syntax.NtPosLook || n.T == syntax.NtNegLook {
		// Lookarounds (lookbehinds run right to left) consume nothing: what
		// follows them starts the match.
		return nil, true, false
	}
	if n.Options&syntax.RightToLeft != 0 {
		return nil, false, true
	}
	fold := n.Options&syntax.IgnoreCase != 0
	switch n.T {
	case syntax.NtOne:
		return []runePred{{kind: predOne, ch: n.Ch, fold: fold}}, false, false
	case syntax.NtNotone:
		return []runePred{{kind: predNotOne, ch: n.Ch, fold: fold}}, false, false
	case syntax.NtSet:
		return []runePred{{kind: predSet, set: n.Set, fold: fold}}, false, false
	case syntax.NtMulti:
		if len(n.Str) == 0 {
			return nil, true, false
		}
		return []runePred{{kind: predOne, ch: n.Str[0], fold: fold}}, false, false
	case syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		return []runePred{{kind: predOne, ch: n.Ch, fold: fold}}, n.M == 0, false
	case syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic:
		return []runePred{{kind: predNotOne, ch: n.Ch, fold: fold}}, n.M == 0, false
	case syntax.NtSetloop, syntax.NtSetlazy, syntax.NtSetloopatomic:
		return []runePred{{kind: predSet, set: n.Set, fold: fold}}, n.M == 0, false
	case syntax.NtEmpty, syntax.NtBol, syntax.NtEol, syntax.NtBoundary, syntax.NtNonboundary,
		syntax.NtECMABoundary, syntax.NtNonECMABoundary, syntax.NtBeginning, syntax.NtStart,
		syntax.NtEndZ, syntax.NtEnd, syntax.NtUpdateBumpalong:
		return nil, true, false
	case syntax.NtCapture, syntax.NtGroup, syntax.NtAtomic:
		if len(n.Children) != 1 {
			return nil, false, true
		}
		return firstOf(n.Children[0])
	case syntax.NtLoop, syntax.NtLazyloop:
		if len(n.Children) != 1 {
			return nil, false, true
		}
		preds, nullable, unknown = firstOf(n.Children[0])
		return preds, nullable || n.M == 0, unknown
	case syntax.NtConcatenate:
		for _, c := range n.Children {
			p, cNullable, cUnknown := firstOf(c)
			if cUnknown {
				return nil, false, true
			}
			preds = append(preds, p...)
			if !cNullable {
				return preds, false, false
			}
		}
		return preds, true, false
	case syntax.NtAlternate:
		for _, c := range n.Children {
			p, cNullable, cUnknown := firstOf(c)
			if cUnknown {
				return nil, false, true
			}
			preds = append(preds, p...)
			nullable = nullable || cNullable
		}
		return preds, nullable, false
	}
	// Back-references, conditionals, Nothing and anything newer.
	return nil, false, true
}

// literals are strings one of which every match of a rule starts with,
// by first rune; nil when the analysis finds none.
type literals map[rune][][]rune

// admits reports whether text at pos starts with one of the strings.
func (l literals) admits(text []rune, pos int) bool {
	for _, s := range l[text[pos]] {
		if len(text)-pos >= len(s) && slices.Equal(text[pos:pos+len(s)], s) {
			return true
		}
	}
	return false
}

// Bounds on the literal analysis: past them a rule gets no literals.
const (
	maxLiterals   = 512
	maxLiteralLen = 32
)

// literalsOf returns the literal strings one of which starts every match
// of n, or nil.
func literalsOf(n *syntax.RegexNode) literals {
	strs, _, ok := prefixesOf(n)
	if !ok || len(strs) == 0 {
		return nil
	}
	out := literals{}
	for _, s := range strs {
		if len(s) == 0 {
			return nil // a match may start with anything
		}
		out[s[0]] = append(out[s[0]], s)
	}
	return out
}

// prefixesOf returns strings one of which starts every match of n, whether
// they are n's whole matches (so what follows n extends them), and whether
// the analysis succeeded. Case-insensitive nodes and classes are beyond it.
func prefixesOf(n *syntax.RegexNode) (strs [][]rune, exact, ok bool) {
	if n.T == syntax.NtPosLook || n.T == syntax.NtNegLook {
		return [][]rune{{}}, true, true // consumes nothing
	}
	if n.Options&(syntax.IgnoreCase|syntax.RightToLeft) != 0 {
		return nil, false, false
	}
	switch n.T {
	case syntax.NtOne:
		return [][]rune{{n.Ch}}, true, true
	case syntax.NtMulti:
		return [][]rune{slices.Clone(n.Str)}, true, true
	case syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		if n.M < 1 {
			return nil, false, false
		}
		return [][]rune{{n.Ch}}, false, true
	case syntax.NtEmpty, syntax.NtBol, syntax.NtEol, syntax.NtBoundary, syntax.NtNonboundary,
		syntax.NtECMABoundary, syntax.NtNonECMABoundary, syntax.NtBeginning, syntax.NtStart,
		syntax.NtEndZ, syntax.NtEnd, syntax.NtUpdateBumpalong:
		return [][]rune{{}}, true, true // consumes nothing
	case syntax.NtCapture, syntax.NtGroup, syntax.NtAtomic:
		if len(n.Children) != 1 {
			return nil, false, false
		}
		return prefixesOf(n.Children[0])
	case syntax.NtLoop, syntax.NtLazyloop:
		if len(n.Children) != 1 || n.M < 1 {
			return nil, false, false
		}
		strs, _, ok := prefixesOf(n.Children[0])
		return strs, false, ok
	case syntax.NtAlternate:
		exact = true
		for _, c := range n.Children {
			s, e, ok := prefixesOf(c)
			if !ok || len(strs)+len(s) > maxLiterals {
				return nil, false, false
			}
			strs = append(strs, s...)
			exact = exact && e
		}
		return strs, exact, true
	case syntax.NtConcatenate:
		strs, exact = [][]rune{{}}, true
		for _, c := range n.Children {
			s, e, ok := prefixesOf(c)
			if !ok || len(strs)*len(s) > maxLiterals {
				return strs, false, true
			}
			var next [][]rune
			for _, a := range strs {
				for _, b := range s {
					if len(a)+len(b) > maxLiteralLen {
						return strs, false, true
					}
					next = append(next, append(slices.Clone(a), b...))
				}
			}
			strs = next
			if !e {
				return strs, false, true
			}
		}
		return strs, exact, true
	}
	return nil, false, false
}
