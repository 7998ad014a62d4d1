package catalog

import "github.com/bouncenote/bouncenote/internal/literal"

// textIndex finds in one pass which of a fixed set of lower-case needles
// occur in a text (the Aho-Corasick automaton of internal/literal). It
// replaces one strings.Contains per needle and entry, which dominated the
// cost of a lookup with text.
type textIndex struct{ x *literal.Index }

// newTextIndex builds the automaton over every text rule of entries and
// every required literal of their regexps (literal.Required), and returns,
// per entry, the needle ids of its text rules and, per regexp, the ids of
// its literals (nil for a regexp without).
func newTextIndex(entries []*Entry) (*textIndex, [][]int32, [][][]int32) {
	b := literal.NewBuilder()
	texts := make([][]int32, len(entries))
	lits := make([][][]int32, len(entries))
	for i, e := range entries {
		for _, t := range e.m.texts {
			texts[i] = append(texts[i], b.Add(t))
		}
		for _, set := range e.m.prefilt {
			var ids []int32
			for _, l := range set {
				ids = append(ids, b.Add(l))
			}
			lits[i] = append(lits[i], ids)
		}
	}
	return &textIndex{b.Build()}, texts, lits
}

// scan returns the set of needle ids found in text (lower case).
func (x *textIndex) scan(text string) []uint64 { return x.x.Scan(text) }

// anyFound reports whether any of ids is in the set.
func anyFound(found []uint64, ids []int32) bool { return literal.Set(found).Any(ids) }
