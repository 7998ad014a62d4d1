package catalog

import (
	"strings"
	"sync"
	"sync/atomic"
)

// needleSet lists the needles of a catalog's text matching, each once: the
// lower-case text rules of its entries and the required literals of their
// regexps (literal.Required). Per entry it holds the ids (indexes in
// needles) of the entry's text rules and, per regexp, of its literals (nil
// for a regexp without). A lookup with text first finds which needles
// occur in the text (textRules.scan), then checks entries against that set.
type needleSet struct {
	needles []string
	textIDs [][]int32   // per entry
	litIDs  [][][]int32 // per entry and regexp
}

// newNeedleSet collects the needles of entries, numbered in order of first
// appearance.
func newNeedleSet(entries []*Entry) *needleSet {
	s := &needleSet{textIDs: make([][]int32, len(entries)), litIDs: make([][][]int32, len(entries))}
	ids := map[string]int32{}
	id := func(n string) int32 {
		i, ok := ids[n]
		if !ok {
			i = int32(len(s.needles))
			ids[n] = i
			s.needles = append(s.needles, n)
		}
		return i
	}
	for i, e := range entries {
		for _, t := range e.m.texts {
			s.textIDs[i] = append(s.textIDs[i], id(t))
		}
		for _, set := range e.m.prefilt {
			var lits []int32
			for _, l := range set {
				lits = append(lits, id(l))
			}
			s.litIDs[i] = append(s.litIDs[i], lits)
		}
	}
	return s
}

// naiveScanBudget is how many bytes of query text a catalog scans needle by
// needle (strings.Contains) before it builds its Aho-Corasick automaton
// (default 8 KiB). For the built-in catalog, scanning 8 KiB needle by
// needle costs about as much as building the automaton (BenchmarkTextScan:
// about 5 MB/s against 2 ms), so a short-lived process (explain, inspect of
// a few files) never builds it, a milter builds it after a few dozen
// lookups, and neither pays more than twice what the better choice would
// have cost. A text longer than the budget goes to the automaton at once.
const naiveScanBudget = 8 << 10

// textRules finds the needles of a catalog in query texts. Everything it
// needs is built on first use: a catalog used only for codes builds
// nothing.
type textRules struct {
	static *needleSet // generated needles (the built-in catalog), or nil

	setOnce sync.Once
	set     *needleSet

	scanned   atomic.Int64 // bytes of text scanned needle by needle
	indexOnce sync.Once
	index     *textIndex
}

// needles returns the catalog's needle set, collecting it on first use.
func (t *textRules) needles(entries []*Entry) *needleSet {
	if t.static != nil {
		return t.static
	}
	t.setOnce.Do(func() { t.set = newNeedleSet(entries) })
	return t.set
}

// scan returns the set of the needles of s (the catalog's needle set)
// found in text (lower case), as a bit set indexed by needle id.
func (t *textRules) scan(s *needleSet, text string) []uint64 {
	if t.scanned.Add(int64(len(text))) <= naiveScanBudget {
		return scanEach(s.needles, text)
	}
	return t.automaton(s).scan(text)
}

// automaton returns the Aho-Corasick automaton of the needles of s, the
// catalog's needle set, building it on first use.
func (t *textRules) automaton(s *needleSet) *textIndex {
	t.indexOnce.Do(func() { t.index = automatonOf(s.needles) })
	return t.index
}

// scanEach is textIndex.scan without an automaton: one strings.Contains
// per needle.
func scanEach(needles []string, text string) []uint64 {
	found := make([]uint64, (len(needles)+63)/64)
	for id, n := range needles {
		if len(n) <= len(text) && strings.Contains(text, n) {
			found[id/64] |= 1 << (id % 64)
		}
	}
	return found
}

// automatonOf builds the Aho-Corasick automaton of needles (distinct, as a
// needleSet holds them): as the text rules of one entry, so that the
// automaton numbers them as the set does.
func automatonOf(needles []string) *textIndex {
	x, _, _ := newTextIndex([]*Entry{{m: compiled{texts: needles}}})
	return x
}
