package fastlex

import (
	"math"
	"slices"

	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// matcher runs an anchored match of a rule without regexp2's per-call
// set-up, by interpreting regexp2's own parse tree of the pattern the way
// regexp2's backtracking engine executes it: alternatives in order, greedy
// loops longest first, lazy ones shortest first, atomic nodes without
// backtracking, the same character classes (the same CharSet values). It
// takes only the node types whose semantics are simple to state; a rule with
// any other (back-references, conditionals, case-insensitive nodes, loops
// that can match empty, lookbehinds other than a fixed string or class,
// named groups) keeps regexp2. The differential test holds it to regexp2's
// results.
type matcher struct {
	root *syntax.RegexNode
	ngrp int // groups, with group 0
	// steps are the loop bodies that match exactly one rune in at most one
	// way, capturing nothing: their loops run like loops of a class.
	steps map[*syntax.RegexNode]bool
	// follow holds, for loops of one rune or one step, what can start
	// whatever comes after the loop: giving back runes is tried only where
	// that can start at the rune given back (regexp2 tries, and fails, at
	// the others).
	follow map[*syntax.RegexNode]*firstRunes
}

// newMatcher returns a matcher for pattern, or nil if the pattern is beyond
// it. re is the compiled regexp, whose group numbering the matcher must
// reproduce.
func newMatcher(pattern string, re *regexp2.Regexp) *matcher {
	tree, err := syntax.Parse(pattern, syntax.ParseOptions{})
	if err != nil || len(tree.Capnames) > 0 {
		return nil
	}
	nums := re.GetGroupNumbers()
	for i, n := range nums {
		if n != i {
			return nil
		}
	}
	maxCap := 0
	if !supported(tree.Root, &maxCap) || maxCap+1 != len(nums) {
		return nil
	}
	// Writing the program gives the tree's classes the ASCII lookup tables
	// regexp2's own matching uses, now, before the matcher is shared.
	code, err := syntax.Write(tree)
	if err != nil {
		return nil
	}
	code.PrepareCharSetASCIIBitmaps()
	m := &matcher{root: tree.Root, ngrp: len(nums), steps: map[*syntax.RegexNode]bool{},
		follow: map[*syntax.RegexNode]*firstRunes{}}
	m.findSteps(tree.Root)
	m.findFollows(tree.Root, firstRunes{any: true})
	return m
}

// supported reports whether the matcher can run n, and records the largest
// group number.
func supported(n *syntax.RegexNode, maxCap *int) bool {
	if n.Options&(syntax.IgnoreCase|syntax.RightToLeft) != 0 && n.T != syntax.NtPosLook && n.T != syntax.NtNegLook {
		return false
	}
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet, syntax.NtMulti,
		syntax.NtOneloop, syntax.NtNotoneloop, syntax.NtSetloop,
		syntax.NtOnelazy, syntax.NtNotonelazy, syntax.NtSetlazy,
		syntax.NtOneloopatomic, syntax.NtNotoneloopatomic, syntax.NtSetloopatomic,
		syntax.NtBol, syntax.NtEol, syntax.NtBoundary, syntax.NtNonboundary,
		syntax.NtBeginning, syntax.NtStart, syntax.NtEndZ, syntax.NtEnd,
		syntax.NtEmpty, syntax.NtNothing, syntax.NtUpdateBumpalong:
		return len(n.Children) == 0
	case syntax.NtCapture:
		// N is a balancing group's other group; -1 for a plain capture.
		if n.N != -1 || n.M < 0 || len(n.Children) != 1 {
			return false
		}
		*maxCap = max(*maxCap, n.M)
		return supported(n.Children[0], maxCap)
	case syntax.NtGroup, syntax.NtAtomic:
		return len(n.Children) == 1 && supported(n.Children[0], maxCap)
	case syntax.NtLoop, syntax.NtLazyloop:
		if len(n.Children) != 1 {
			return false
		}
		// regexp2 ends a loop when an iteration matches empty; a child that
		// cannot is plain backtracking.
		if _, nullable, unknown := firstOf(n.Children[0]); nullable || unknown {
			return false
		}
		return supported(n.Children[0], maxCap)
	case syntax.NtConcatenate, syntax.NtAlternate:
		for _, c := range n.Children {
			if !supported(c, maxCap) {
				return false
			}
		}
		return true
	case syntax.NtPosLook, syntax.NtNegLook:
		if len(n.Children) != 1 || hasCapture(n.Children[0]) {
			return false
		}
		if n.Options&syntax.RightToLeft != 0 {
			_, ok := lookbehindWidth(n.Children[0])
			return ok
		}
		return supported(n.Children[0], maxCap)
	}
	return false
}

// findSteps records the loop bodies under n that are one-rune steps.
func (m *matcher) findSteps(n *syntax.RegexNode) {
	if (n.T == syntax.NtLoop || n.T == syntax.NtLazyloop) && isStep(n.Children[0]) {
		m.steps[n.Children[0]] = true
	}
	for _, c := range n.Children {
		m.findSteps(c)
	}
}

// findFollows records, for the loops under n, what can start what comes
// after them, given what can start what comes after n.
func (m *matcher) findFollows(n *syntax.RegexNode, after firstRunes) {
	switch n.T {
	case syntax.NtOneloop, syntax.NtNotoneloop, syntax.NtSetloop, syntax.NtOnelazy, syntax.NtNotonelazy, syntax.NtSetlazy:
		m.follow[n] = &after
	case syntax.NtLoop, syntax.NtLazyloop:
		m.follow[n] = &after
		first := firstOfNodes(n.Children[:1])
		m.findFollows(n.Children[0], union(first, after)) // another iteration, or what follows
	case syntax.NtConcatenate:
		for i, c := range n.Children {
			rest := firstOfNodes(n.Children[i+1:])
			if rest.nullable {
				rest = union(rest, after)
			}
			m.findFollows(c, rest)
		}
	case syntax.NtAlternate, syntax.NtCapture, syntax.NtGroup:
		for _, c := range n.Children {
			m.findFollows(c, after)
		}
	case syntax.NtAtomic, syntax.NtPosLook, syntax.NtNegLook:
		// Their bodies take the first way that matches, whatever follows.
		for _, c := range n.Children {
			m.findFollows(c, firstRunes{any: true})
		}
	}
}

// firstOfNodes is what can start a match of nodes in sequence; nullable
// if they can all match empty.
func firstOfNodes(nodes []*syntax.RegexNode) firstRunes {
	var preds []runePred
	for _, c := range nodes {
		p, nullable, unknown := firstOf(c)
		if unknown {
			return firstRunes{any: true}
		}
		preds = append(preds, p...)
		if !nullable {
			return firstRunes{preds: preds}
		}
	}
	return firstRunes{preds: preds, nullable: true}
}

// union is what can start either; it is nullable if both are (then what
// follows still counts).
func union(a, b firstRunes) firstRunes {
	if a.any || b.any {
		return firstRunes{any: true}
	}
	return firstRunes{preds: append(slices.Clone(a.preds), b.preds...), nullable: a.nullable && b.nullable}
}

// isStep reports whether n consumes exactly one rune, captures nothing,
// and ends at the same place whichever way it matches: a class, or
// alternatives of those, or one of those with lookaheads and assertions
// around it.
func isStep(n *syntax.RegexNode) bool {
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		return true
	case syntax.NtGroup, syntax.NtAtomic:
		return isStep(n.Children[0])
	case syntax.NtAlternate:
		return len(n.Children) > 0 && !slices.ContainsFunc(n.Children, func(c *syntax.RegexNode) bool { return !isStep(c) })
	case syntax.NtConcatenate:
		steps := 0
		for _, c := range n.Children {
			switch {
			case isStep(c):
				steps++
			case zeroWidth(c):
			default:
				return false
			}
		}
		return steps == 1
	}
	return false
}

// zeroWidth reports whether n consumes nothing and captures nothing.
func zeroWidth(n *syntax.RegexNode) bool {
	switch n.T {
	case syntax.NtBol, syntax.NtEol, syntax.NtBeginning, syntax.NtStart, syntax.NtEndZ, syntax.NtEnd,
		syntax.NtBoundary, syntax.NtNonboundary, syntax.NtEmpty, syntax.NtUpdateBumpalong:
		return true
	case syntax.NtPosLook, syntax.NtNegLook:
		return !hasCapture(n.Children[0])
	}
	return false
}

// look tests a lookaround at pos.
func (s *state) look(n *syntax.RegexNode, start, pos int) bool {
	text := s.text
	var found bool
	if c := n.Children[0]; n.Options&syntax.RightToLeft != 0 {
		w, _ := lookbehindWidth(c)
		if pos-w >= 0 {
			if c.T == syntax.NtMulti {
				found = slices.Equal(text[pos-w:pos], c.Str)
			} else {
				found = charAt(c, text, pos-1)
			}
		}
	} else if end, ok := s.once(c, start, pos); ok {
		found = end >= 0
	} else {
		found = s.node(c, start, pos, contAny)
	}
	return found == (n.T == syntax.NtPosLook)
}

// step matches a step node at pos: whether it matches (then it ends at
// pos+1).
func (s *state) step(n *syntax.RegexNode, start, pos int) bool {
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		return charAt(n, s.text, pos)
	case syntax.NtGroup, syntax.NtAtomic:
		return s.step(n.Children[0], start, pos)
	case syntax.NtAlternate:
		return slices.ContainsFunc(n.Children, func(c *syntax.RegexNode) bool { return s.step(c, start, pos) })
	}
	// A concatenation of one step and zero-width nodes.
	p := pos
	for _, c := range n.Children {
		switch {
		case c.T == syntax.NtPosLook || c.T == syntax.NtNegLook:
			if !s.look(c, start, p) {
				return false
			}
		case zeroWidth(c):
			if !assertion(c, s.text, start, p) {
				return false
			}
		default:
			if !s.step(c, start, p) {
				return false
			}
			p++
		}
	}
	return true
}

// once matches a node that can match at most one way, without a
// continuation: it returns where the match ends (-1 for no match) and
// whether n is such a node (if not, the caller must use node).
func (s *state) once(n *syntax.RegexNode, start, pos int) (end int, ok bool) {
	text := s.text
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		if !charAt(n, text, pos) {
			return -1, true
		}
		return pos + 1, true
	case syntax.NtMulti:
		if len(text)-pos < len(n.Str) || !slices.Equal(text[pos:pos+len(n.Str)], n.Str) {
			return -1, true
		}
		return pos + len(n.Str), true
	case syntax.NtBol, syntax.NtEol, syntax.NtBeginning, syntax.NtStart, syntax.NtEndZ, syntax.NtEnd,
		syntax.NtBoundary, syntax.NtNonboundary, syntax.NtEmpty, syntax.NtUpdateBumpalong, syntax.NtNothing:
		if !assertion(n, text, start, pos) {
			return -1, true
		}
		return pos, true
	case syntax.NtOneloopatomic, syntax.NtNotoneloopatomic, syntax.NtSetloopatomic:
		c := 0
		for (n.N == math.MaxInt32 || c < n.N) && charAt(n, text, pos+c) {
			c++
		}
		if c < n.M {
			return -1, true
		}
		return pos + c, true
	case syntax.NtGroup:
		return s.once(n.Children[0], start, pos)
	case syntax.NtConcatenate:
		p := pos
		for _, c := range n.Children {
			e, ok := s.once(c, start, p)
			if !ok {
				return 0, false
			}
			if e < 0 {
				return -1, true
			}
			p = e
		}
		return p, true
	}
	return 0, false
}

func hasCapture(n *syntax.RegexNode) bool {
	if n.T == syntax.NtCapture {
		return true
	}
	return slices.ContainsFunc(n.Children, hasCapture)
}

// lookbehindWidth is the width of a lookbehind the matcher takes: one
// rune, one class, one string.
func lookbehindWidth(n *syntax.RegexNode) (int, bool) {
	if n.Options&syntax.IgnoreCase != 0 || len(n.Children) != 0 {
		return 0, false
	}
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		return 1, true
	case syntax.NtMulti:
		return len(n.Str), true
	}
	return 0, false
}

// state is one match attempt: the text and the groups so far, as
// [start, end) pairs, -1 when unset. One lexing run reuses one state for
// all its attempts (most fail: a state's rules are tried in turn), so an
// attempt allocates nothing until it matches.
type state struct {
	text []rune
	caps []int
	m    *matcher
	end  int // where the whole match ended
	// frames are the continuations of the nodes being matched, innermost
	// last: a node that can match several ways calls its continuation
	// with each end in turn until one accepts. They are values on a stack,
	// not closures, so that matching allocates nothing.
	frames []frame
	saved  []int // the groups as they were before each atomic group, innermost last
}

// A frame is what to do when a node has matched up to some end e.
type frame struct {
	kind  contKind
	next  int32 // the frame to go on with
	start int   // where the whole match began
	// kindCapture: the group, where it starts, and its bounds before.
	g, pos, oldStart, oldEnd int
	rest                     []*syntax.RegexNode // kindSeq: the nodes after
	loop                     *syntax.RegexNode   // kindLoop: the loop node
	count                    int                 // kindLoop: iterations done, this one included
	end                      int                 // kindFound: the end met
}

type contKind uint8

const (
	kindAccept  contKind = iota // the whole match ends at e
	kindAny                     // a lookaround: any end will do
	kindFound                   // an atomic group: note the first end, stop
	kindCapture                 // the group ends at e; go on, and unset it if that fails
	kindSeq                     // match the rest of a sequence from e
	kindLoop                    // one more iteration from e, or what follows the loop
)

// The first two frames of every match.
const (
	contAccept int32 = iota
	contAny
)

// push adds a frame and returns its index; the caller pops it (drop) when
// the node it continues has returned.
func (s *state) push(f frame) int32 {
	s.frames = append(s.frames, f)
	return int32(len(s.frames) - 1)
}

func (s *state) drop(k int32) { s.frames = s.frames[:k] }

// cont calls the continuation k with end e.
func (s *state) cont(k int32, e int) bool {
	f := &s.frames[k]
	switch f.kind {
	case kindAccept:
		s.end = e
		return true
	case kindAny:
		return true
	case kindFound:
		f.end = e
		return true
	case kindCapture:
		g, next := f.g, f.next
		s.caps[2*g], s.caps[2*g+1] = f.pos, e
		if s.cont(next, e) {
			return true
		}
		f = &s.frames[k] // the stack may have grown (and moved)
		s.caps[2*g], s.caps[2*g+1] = f.oldStart, f.oldEnd
		return false
	case kindSeq:
		return s.seq(f.rest, f.start, e, f.next)
	default: // kindLoop
		return s.loop(f.loop, f.start, e, f.count, f.next)
	}
}

// match tries the rule at pos and returns its groups (as chroma reads them:
// the text of each, "" when unset), or nil. s is scratch space, reused
// from one call to the next by one goroutine.
func (m *matcher) match(s *state, text []rune, pos int) []string {
	if cap(s.caps) < 2*m.ngrp {
		s.caps = make([]int, 2*m.ngrp)
	}
	caps := s.caps[:2*m.ngrp]
	for i := range caps {
		caps[i] = -1
	}
	s.text, s.caps, s.m, s.end = text, caps, m, -1
	s.frames = append(s.frames[:0], frame{kind: kindAccept}, frame{kind: kindAny})
	s.saved = s.saved[:0]
	if !s.node(m.root, pos, pos, contAccept) {
		return nil
	}
	groups := make([]string, m.ngrp)
	groups[0] = string(text[pos:s.end])
	for g := 1; g < m.ngrp; g++ {
		if caps[2*g] >= 0 {
			groups[g] = string(text[caps[2*g]:caps[2*g+1]])
		}
	}
	return groups
}

// charAt tests one rune node against the rune at pos.
func charAt(n *syntax.RegexNode, text []rune, pos int) bool {
	if pos >= len(text) {
		return false
	}
	switch n.T {
	case syntax.NtOne, syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		return text[pos] == n.Ch
	case syntax.NtNotone, syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic:
		return text[pos] != n.Ch
	default:
		return n.Set.CharIn(text[pos])
	}
}

func isWordAt(text []rune, i int) bool {
	return i >= 0 && i < len(text) && syntax.IsWordChar(text[i])
}

// node matches n at pos and then calls k with where it ended; it returns
// k's answer for the first way n can match that k accepts, trying ways in
// regexp2's order. start is where the whole match began (\G).
func (s *state) node(n *syntax.RegexNode, start, pos int, k int32) bool {
	text := s.text
	switch n.T {
	case syntax.NtOne, syntax.NtNotone, syntax.NtSet:
		return charAt(n, text, pos) && s.cont(k, pos+1)
	case syntax.NtMulti:
		if len(text)-pos < len(n.Str) || !slices.Equal(text[pos:pos+len(n.Str)], n.Str) {
			return false
		}
		return s.cont(k, pos+len(n.Str))
	case syntax.NtOneloop, syntax.NtNotoneloop, syntax.NtSetloop,
		syntax.NtOneloopatomic, syntax.NtNotoneloopatomic, syntax.NtSetloopatomic:
		c := 0
		for (n.N == math.MaxInt32 || c < n.N) && charAt(n, text, pos+c) {
			c++
		}
		if c < n.M {
			return false
		}
		if n.T == syntax.NtOneloopatomic || n.T == syntax.NtNotoneloopatomic || n.T == syntax.NtSetloopatomic {
			return s.cont(k, pos+c)
		}
		next := s.m.follow[n]
		for ; c >= n.M; c-- {
			if next.rulesOut(text, pos+c) {
				continue
			}
			if s.cont(k, pos+c) {
				return true
			}
		}
		return false
	case syntax.NtOnelazy, syntax.NtNotonelazy, syntax.NtSetlazy:
		for c := 0; c < n.M; c++ {
			if !charAt(n, text, pos+c) {
				return false
			}
		}
		next := s.m.follow[n]
		for c := n.M; ; c++ {
			if !next.rulesOut(text, pos+c) && s.cont(k, pos+c) {
				return true
			}
			if (n.N != math.MaxInt32 && c >= n.N) || !charAt(n, text, pos+c) {
				return false
			}
		}
	case syntax.NtBol, syntax.NtEol, syntax.NtBeginning, syntax.NtStart, syntax.NtEndZ, syntax.NtEnd,
		syntax.NtBoundary, syntax.NtNonboundary, syntax.NtEmpty, syntax.NtUpdateBumpalong, syntax.NtNothing:
		return assertion(n, text, start, pos) && s.cont(k, pos)
	case syntax.NtGroup:
		return s.node(n.Children[0], start, pos, k)
	case syntax.NtCapture:
		g := n.M
		oldStart, oldEnd := s.caps[2*g], s.caps[2*g+1]
		if e, ok := s.once(n.Children[0], start, pos); ok {
			if e < 0 {
				return false
			}
			s.caps[2*g], s.caps[2*g+1] = pos, e
			if s.cont(k, e) {
				return true
			}
			s.caps[2*g], s.caps[2*g+1] = oldStart, oldEnd
			return false
		}
		f := s.push(frame{kind: kindCapture, next: k, g: g, pos: pos, oldStart: oldStart, oldEnd: oldEnd})
		ok := s.node(n.Children[0], start, pos, f)
		s.drop(f)
		return ok
	case syntax.NtAtomic:
		base := len(s.saved)
		s.saved = append(s.saved, s.caps...)
		f := s.push(frame{kind: kindFound, end: -1})
		found := s.node(n.Children[0], start, pos, f)
		end := s.frames[f].end
		s.drop(f)
		ok := found && s.cont(k, end)
		if found && !ok {
			copy(s.caps, s.saved[base:])
		}
		s.saved = s.saved[:base]
		return ok
	case syntax.NtConcatenate:
		return s.seq(n.Children, start, pos, k)
	case syntax.NtAlternate:
		for _, c := range n.Children {
			if s.node(c, start, pos, k) {
				return true
			}
		}
		return false
	case syntax.NtLoop, syntax.NtLazyloop:
		if s.m.steps[n.Children[0]] {
			return s.stepLoop(n, start, pos, k)
		}
		return s.loop(n, start, pos, 0, k)
	case syntax.NtPosLook, syntax.NtNegLook:
		return s.look(n, start, pos) && s.cont(k, pos)
	}
	panic("fastlex: unsupported node reached the matcher") // supported() lets none through
}

// assertion tests a node that consumes nothing.
func assertion(n *syntax.RegexNode, text []rune, start, pos int) bool {
	switch n.T {
	case syntax.NtBol:
		return pos == 0 || text[pos-1] == '\n'
	case syntax.NtEol:
		return pos == len(text) || text[pos] == '\n'
	case syntax.NtBeginning:
		return pos == 0
	case syntax.NtStart:
		return pos == start
	case syntax.NtEndZ:
		return pos == len(text) || pos == len(text)-1 && text[pos] == '\n'
	case syntax.NtEnd:
		return pos == len(text)
	case syntax.NtBoundary, syntax.NtNonboundary:
		boundary := isWordAt(text, pos-1) != isWordAt(text, pos)
		return boundary == (n.T == syntax.NtBoundary)
	case syntax.NtEmpty, syntax.NtUpdateBumpalong:
		return true
	}
	return false // NtNothing
}

// seq matches nodes one after another. Nodes that match at most one way
// (a rune, a string, an assertion, an atomic loop of runes) are matched in
// place: there is nothing to backtrack into, so no continuation is needed.
func (s *state) seq(nodes []*syntax.RegexNode, start, pos int, k int32) bool {
	for ; len(nodes) > 0; nodes = nodes[1:] {
		n := nodes[0]
		if e, ok := s.once(n, start, pos); ok {
			if e < 0 {
				return false
			}
			pos = e
			continue
		}
		if n.T == syntax.NtPosLook || n.T == syntax.NtNegLook {
			if !s.look(n, start, pos) {
				return false
			}
			continue
		}
		if len(nodes) == 1 {
			return s.node(n, start, pos, k)
		}
		f := s.push(frame{kind: kindSeq, next: k, start: start, rest: nodes[1:]})
		ok := s.node(n, start, pos, f)
		s.drop(f)
		return ok
	}
	return s.cont(k, pos)
}

// stepLoop matches a loop of a step as regexp2 matches a loop of a class:
// each iteration is one rune, so the ways to match are the run lengths.
func (s *state) stepLoop(n *syntax.RegexNode, start, pos int, k int32) bool {
	child, next := n.Children[0], s.m.follow[n]
	c := 0
	for ; c < n.M; c++ {
		if !s.step(child, start, pos+c) {
			return false
		}
	}
	if n.T == syntax.NtLazyloop {
		for ; ; c++ {
			if !next.rulesOut(s.text, pos+c) && s.cont(k, pos+c) {
				return true
			}
			if (n.N != math.MaxInt32 && c >= n.N) || !s.step(child, start, pos+c) {
				return false
			}
		}
	}
	for (n.N == math.MaxInt32 || c < n.N) && s.step(child, start, pos+c) {
		c++
	}
	for ; c >= n.M; c-- {
		if !next.rulesOut(s.text, pos+c) && s.cont(k, pos+c) {
			return true
		}
	}
	return false
}

// loop matches iterations count.. of a loop node whose child cannot match
// empty.
func (s *state) loop(n *syntax.RegexNode, start, pos, count int, k int32) bool {
	if n.T == syntax.NtLazyloop {
		return (count >= n.M && s.cont(k, pos)) || s.iterate(n, start, pos, count, k)
	}
	return s.iterate(n, start, pos, count, k) || (count >= n.M && s.cont(k, pos))
}

// iterate matches one more iteration of a loop, then the loop on.
func (s *state) iterate(n *syntax.RegexNode, start, pos, count int, k int32) bool {
	if n.N != math.MaxInt32 && count >= n.N {
		return false
	}
	f := s.push(frame{kind: kindLoop, next: k, start: start, loop: n, count: count + 1})
	ok := s.node(n.Children[0], start, pos, f)
	s.drop(f)
	return ok
}
