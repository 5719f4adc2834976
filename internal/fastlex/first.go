package fastlex

import (
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
	preds, nullable, unknown := firstOf(tree.Root)
	if unknown || nullable {
		return firstRunes{any: true}, nil
	}
	return firstRunes{preds: preds}, nil
}

// firstOf returns the ways a match of n can start, whether n can match
// without consuming a rune, and whether n is beyond this analysis (then
// anything may start it).
func firstOf(n *syntax.RegexNode) (preds []runePred, nullable, unknown bool) {
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
		syntax.NtEndZ, syntax.NtEnd, syntax.NtUpdateBumpalong,
		// Lookarounds consume nothing; what follows them starts the match.
		syntax.NtPosLook, syntax.NtNegLook:
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
