// Package fastlex tokenises with chroma's own rule tables, as chroma's
// RegexLexer does, without most of the cost of regexp2.
//
// chroma tries every rule of the current state in order at each position,
// each an anchored regexp2 match, and most attempts fail; each attempt, even
// a failing one, pays regexp2's set-up and allocations. That is most of a
// build's CPU. A Lexer keeps chroma's patterns, flags, states, mutators and
// emitters, and changes only how a rule is tried:
//
//   - a rule is skipped when the rune at the position cannot start a match
//     (its first-rune set, from regexp2's parse tree of the same pattern), or
//     the text there starts with none of the literal strings every match
//     starts with (keyword lists);
//   - the rules left are matched by interpreting that parse tree as
//     regexp2's backtracking engine executes it (matcher.go), or, for the
//     few constructs the interpreter does not take, by regexp2 itself.
//
// Nothing is translated to another regexp dialect. TestDifferential holds
// the token stream to chroma's, token for token, on real code (and
// FuzzTokens on any text); any difference is a failure, never a fallback.
package fastlex

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/dlclark/regexp2/v2"
)

// matchTimeout is the per-match timeout chroma gives every rule; kept equal
// so that a timed-out match (treated as no match by both) behaves alike.
const matchTimeout = 250 * time.Millisecond

// Set holds fast lexers standing in for chroma lexers. Lexers of one Set
// find each other for chroma's Using emitter (Bash Session and Docker lex
// their commands as Bash). A Set is immutable once made and safe for
// concurrent use.
type Set struct {
	registry *chroma.LexerRegistry
	byBase   map[chroma.Lexer]*Lexer
}

// NewSet makes fast lexers for bases, each a *chroma.RegexLexer, resolving
// the lexers their rules name in registry as chroma does.
func NewSet(registry *chroma.LexerRegistry, bases ...chroma.Lexer) (*Set, error) {
	s := &Set{registry: registry, byBase: map[chroma.Lexer]*Lexer{}}
	for _, b := range bases {
		base, ok := b.(*chroma.RegexLexer)
		if !ok {
			return nil, fmt.Errorf("fastlex: %T is not a regexp lexer", b)
		}
		l, err := compile(base, registry)
		if err != nil {
			return nil, err
		}
		s.byBase[b] = l
	}
	// Emitters refer to other lexers by name: resolve them once all exist.
	for _, l := range s.byBase {
		for _, t := range l.states {
			for i, r := range t.rules {
				if r.Type != nil {
					if e, changed := s.rewriteEmitter(l, r.Type); changed {
						c := *r
						c.Type = e
						t.rules[i] = &c
					}
				}
				t.names[i] = !knownEmitter(t.rules[i].Type) || !knownMutator(t.rules[i].Mutator)
			}
		}
	}
	return s, nil
}

// Get returns the fast lexer standing in for base, or nil if there is none.
func (s *Set) Get(base chroma.Lexer) *Lexer {
	if s == nil || base == nil {
		return nil
	}
	return s.byBase[base]
}

// rewriteEmitter returns e with chroma's nested-lexing emitters replaced by
// ones that lex with this Set's fast lexers (same lexer, same options, so
// the same tokens), and whether it replaced any. Emitters are compared by
// this flag, never with ==: an EmitterFunc is not comparable.
func (s *Set) rewriteEmitter(self *Lexer, e chroma.Emitter) (chroma.Emitter, bool) {
	se, ok := e.(chroma.SerialisableEmitter)
	if !ok {
		return e, false
	}
	switch se.EmitterKind() {
	case "bygroups":
		inner, ok := exportedField(e, "Emitters").(chroma.Emitters)
		if !ok {
			return e, false
		}
		changed := false
		out := make([]chroma.Emitter, len(inner))
		for i, sub := range inner {
			if sub != nil {
				var c bool
				out[i], c = s.rewriteEmitter(self, sub)
				changed = changed || c
			}
		}
		if !changed {
			return e, false
		}
		return chroma.ByGroups(out...), true
	case "using":
		name, ok := exportedField(e, "Lexer").(string)
		if !ok {
			return e, false
		}
		// chroma resolves the name at emit time in the same registry, which
		// does not change once lexers are registered.
		fast := s.Get(s.registry.Get(name))
		if fast == nil {
			return e, false
		}
		return nestedEmitter{lexer: fast, state: "root"}, true
	case "usingself":
		state, ok := exportedField(e, "State").(string)
		if !ok {
			return e, false
		}
		return nestedEmitter{lexer: self, state: state}, true
	}
	return e, false
}

// knownEmitter reports whether e is one of chroma's emitters that read
// only the groups by number (or this package's): for its rules the loop
// need not build the map of groups by name.
func knownEmitter(e chroma.Emitter) bool {
	switch e := e.(type) {
	case nil, chroma.TokenType, nestedEmitter:
		return true
	case chroma.SerialisableEmitter:
		switch e.EmitterKind() {
		case "using":
			return true
		case "bygroups":
			inner, ok := exportedField(e, "Emitters").(chroma.Emitters)
			if !ok {
				return false
			}
			for _, sub := range inner {
				if !knownEmitter(sub) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// knownMutator reports whether m is one of chroma's stack mutators, which
// read no groups.
func knownMutator(m chroma.Mutator) bool {
	sm, ok := m.(chroma.SerialisableMutator)
	if m == nil {
		return true
	}
	if !ok {
		return false
	}
	switch sm.MutatorKind() {
	case "push", "pop":
		return true
	case "mutators":
		inner, ok := exportedField(m, "Mutators").([]chroma.Mutator)
		if !ok {
			return false
		}
		for _, sub := range inner {
			if !knownMutator(sub) {
				return false
			}
		}
		return true
	}
	return false
}

// exportedField reads an exported field of the struct e points to; chroma's
// emitter types are unexported but their configuration fields are not.
func exportedField(e any, name string) any {
	v := reflect.ValueOf(e)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName(name)
	if !f.IsValid() || !f.CanInterface() {
		return nil
	}
	return f.Interface()
}

// nestedEmitter lexes a match with a fast lexer, as chroma's Using and
// UsingSelf emitters do with the lexer it stands in for.
type nestedEmitter struct {
	lexer *Lexer
	state string
}

func (n nestedEmitter) Emit(groups []string, _ *chroma.LexerState) chroma.Iterator {
	it, err := n.lexer.Tokenise(&chroma.TokeniseOptions{State: n.state, Nested: true}, groups[0])
	if err != nil {
		panic(err) // as chroma's emitters do
	}
	return it
}

// Lexer is a chroma.Lexer giving the tokens of the chroma lexer it was made
// from, faster.
type Lexer struct {
	base     *chroma.RegexLexer
	registry *chroma.LexerRegistry
	rules    chroma.CompiledRules
	states   map[string]*stateTable
}

// stateTable is one state's rules, in chroma's order, with what can start
// a match of each.
type stateTable struct {
	rules []*chroma.CompiledRule
	first []firstRunes
	// names: the rule's emitter or mutator may read the groups by name.
	names []bool
	// byASCII lists, for each ASCII rune, the rules that can match at it,
	// in order: at most positions the loop asks only these.
	byASCII [utf8.RuneSelf][]int
	// all lists every rule, for the other runes.
	all []int
}

func newStateTable(rules []*chroma.CompiledRule, first []firstRunes) *stateTable {
	t := &stateTable{rules: rules, first: first, all: make([]int, len(rules)), names: make([]bool, len(rules))}
	for i := range rules {
		t.all[i] = i
		for c := range rune(utf8.RuneSelf) {
			if first[i].admits(c) {
				t.byASCII[c] = append(t.byASCII[c], i)
			}
		}
	}
	return t
}

// candidates are the rules that can match at a rune.
func (t *stateTable) candidates(ch rune) []int {
	if ch >= 0 && ch < utf8.RuneSelf {
		return t.byASCII[ch]
	}
	return t.all
}

// compile builds base's rule tables as chroma compiles them: the same
// patterns with the same flags and anchor, and the same compile-time
// mutators (Include, Combined) applied.
func compile(base *chroma.RegexLexer, registry *chroma.LexerRegistry) (*Lexer, error) {
	raw, err := base.Rules()
	if err != nil {
		return nil, err
	}
	cfg := base.Config()
	flags := ""
	if !cfg.NotMultiline {
		flags += "m"
	}
	if cfg.CaseInsensitive {
		flags += "i"
	}
	if cfg.DotAll {
		flags += "s"
	}
	firsts := map[*chroma.CompiledRule]firstRunes{}
	rules := chroma.CompiledRules{}
	for state, rs := range raw {
		rules[state] = nil
		for i, r := range rs {
			pattern := "(?:" + r.Pattern + ")"
			if flags != "" {
				pattern = "(?" + flags + ")" + pattern
			}
			pattern = `\G` + pattern
			re, err := regexp2.Compile(pattern)
			if err != nil {
				return nil, fmt.Errorf("fastlex: %s: rule %s.%d: %w", cfg.Name, state, i, err)
			}
			re.MatchTimeout = matchTimeout
			first, err := firstRunesOf(pattern, r.Pattern == "")
			if err != nil {
				return nil, fmt.Errorf("fastlex: %s: rule %s.%d: %w", cfg.Name, state, i, err)
			}
			c := &chroma.CompiledRule{Rule: r, Regexp: re}
			if r.Pattern != "" {
				first.matcher = newMatcher(pattern, re)
			}
			firsts[c] = first
			rules[state] = append(rules[state], c)
		}
	}
	if err := applyLexerMutators(rules); err != nil {
		return nil, fmt.Errorf("fastlex: %s: %w", cfg.Name, err)
	}
	l := &Lexer{base: base, registry: registry, rules: rules, states: map[string]*stateTable{}}
	for state, rs := range rules {
		first := make([]firstRunes, len(rs))
		for i, r := range rs {
			first[i] = firsts[r]
		}
		l.states[state] = newStateTable(rs, first)
	}
	return l, nil
}

// applyLexerMutators runs the compile-time mutators the way chroma does:
// one at a time, starting over after each, since one may add or remove rules.
func applyLexerMutators(rules chroma.CompiledRules) error {
	for {
		applied := false
		for state := range rules {
			for i, r := range rules[state] {
				m, ok := r.Mutator.(chroma.LexerMutator)
				if !ok {
					continue
				}
				if err := m.MutateLexer(rules, state, i); err != nil {
					return err
				}
				applied = true
				break
			}
			if applied {
				break
			}
		}
		if !applied {
			return nil
		}
	}
}

// Config is the configuration of the chroma lexer this one stands in for.
func (l *Lexer) Config() *chroma.Config { return l.base.Config() }

// SetRegistry is part of chroma.Lexer; a fast lexer keeps the registry it was made with.
func (l *Lexer) SetRegistry(*chroma.LexerRegistry) chroma.Lexer { return l }

// SetAnalyser is part of chroma.Lexer; analysis is the chroma lexer's.
func (l *Lexer) SetAnalyser(func(string) float32) chroma.Lexer { return l }

// AnalyseText scores text as the chroma lexer does.
func (l *Lexer) AnalyseText(text string) float32 { return l.base.AnalyseText(text) }

// Tokenise lexes text into chroma's tokens, with chroma's options.
func (l *Lexer) Tokenise(options *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	if options == nil {
		options = &chroma.TokeniseOptions{State: "root", EnsureLF: true}
	}
	if options.EnsureLF {
		text = lineFeedsOnly(text)
	}
	newlineAdded := false
	if !options.Nested && l.base.Config().EnsureNL && !strings.HasSuffix(text, "\n") {
		text += "\n"
		newlineAdded = true
	}
	buf, _ := tokenSlices.Get().(*[]chroma.Token)
	if buf == nil {
		buf = new([]chroma.Token)
	}
	out, i := l.tokens((*buf)[:0], text, options.State, newlineAdded), 0
	return func() chroma.Token {
		if buf == nil {
			return chroma.EOF
		}
		if i == len(out) {
			// Read to the end: every token was copied out of the slice,
			// which the next block lexes into.
			clear(out) // holds no block's text
			*buf = out[:0]
			tokenSlices.Put(buf)
			buf, out = nil, nil
			return chroma.EOF
		}
		i++
		return out[i-1]
	}, nil
}

// tokenSlices are the slices blocks are lexed into, each back once its
// iterator was read to the end (the formatter reads every block so): a
// code block's tokens were 7 % of what a build allocated.
var tokenSlices sync.Pool

// tokens is chroma's lexing loop: match the rules of the state on top of
// the stack at the position, apply the rule's mutator, emit its tokens;
// where nothing matches, emit the rune as an error (or, at a newline
// outside the initial state, start over in the initial state).
func (l *Lexer) tokens(out []chroma.Token, text, initial string, newlineAdded bool) []chroma.Token {
	st := &chroma.LexerState{
		Lexer:          l.base,
		Registry:       l.registry,
		Text:           []rune(text),
		Rules:          l.rules,
		Stack:          []string{initial},
		MutatorContext: map[any]any{},
	}
	end := len(st.Text)
	if newlineAdded {
		end-- // the added newline is emitted only as part of a longer match
	}
	var scratch state
	var table *stateTable
	var tableOf string
	for st.Pos < end && len(st.Stack) > 0 {
		st.State = st.Stack[len(st.Stack)-1]
		// Most tokens leave the state as it was: its table is looked up
		// only when it changes.
		if table == nil || st.State != tableOf {
			var ok bool
			if table, ok = l.states[st.State]; !ok {
				panic("unknown state " + st.State) // as chroma does
			}
			tableOf = st.State
		}
		i, groups, named := table.match(&scratch, st.Text, st.Pos)
		if i < 0 {
			if st.Text[st.Pos] == '\n' && st.State != initial {
				st.Stack = []string{initial}
				continue
			}
			out = append(out, chroma.Token{Type: chroma.Error, Value: string(st.Text[st.Pos : st.Pos+1])})
			st.Pos++
			continue
		}
		rule := table.rules[i]
		st.Rule, st.Groups, st.NamedGroups = i, groups, named
		st.Pos += utf8.RuneCountInString(groups[0])
		if rule.Mutator != nil {
			if err := rule.Mutator.Mutate(st); err != nil {
				panic(err) // as chroma does
			}
		}
		if tt, ok := rule.Type.(chroma.TokenType); ok {
			// TokenType.Emit's one token, without making its iterator (most
			// rules emit this way).
			if t := (chroma.Token{Type: tt, Value: st.Groups[0]}); t != chroma.EOF && t.Type != chroma.Ignore {
				out = append(out, t)
			}
		} else if rule.Type != nil {
			it := rule.Type.Emit(st.Groups, st)
			for t := it(); t != chroma.EOF; t = it() {
				if t.Type != chroma.Ignore {
					out = append(out, t)
				}
			}
		}
	}
	if st.Pos != len(st.Text) && len(st.Stack) == 0 {
		out = append(out, chroma.Token{Type: chroma.Error, Value: string(st.Text[st.Pos:])})
	}
	return out
}

// match returns the index of the first rule of the state matching at pos,
// with the match's groups by number and by name, or -1.
func (t *stateTable) match(scratch *state, text []rune, pos int) (int, []string, map[string]string) {
	ch := text[pos]
	for _, i := range t.candidates(ch) {
		r, f := t.rules[i], &t.first[i]
		if f.empty {
			if !t.names[i] {
				return i, []string{""}, nil
			}
			return i, []string{""}, map[string]string{"0": ""}
		}
		if !f.admits(ch) || f.literals != nil && !f.literals.admits(text, pos) {
			continue
		}
		if f.matcher != nil {
			groups := f.matcher.match(scratch, text, pos)
			if groups == nil {
				continue
			}
			if !t.names[i] {
				return i, groups, nil
			}
			// Without named groups, each group's name is its number.
			named := make(map[string]string, len(groups))
			for j, g := range groups {
				named[strconv.Itoa(j)] = g
			}
			return i, groups, named
		}
		m, err := r.Regexp.FindRunesMatchStartingAt(text, pos)
		if m == nil || err != nil || m.RuneIndex != pos {
			continue
		}
		gs := m.Groups()
		groups := make([]string, len(gs))
		for j := range gs {
			groups[j] = gs[j].String()
		}
		if !t.names[i] {
			return i, groups, nil
		}
		named := make(map[string]string, len(gs))
		for j := range gs {
			named[gs[j].Name] = groups[j]
		}
		return i, groups, named
	}
	return -1, nil, nil
}

// lineFeedsOnly turns CRLF and lone CR into LF, as chroma's EnsureLF does.
func lineFeedsOnly(text string) string {
	if !strings.ContainsRune(text, '\r') {
		return text
	}
	return strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
}
