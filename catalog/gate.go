package catalog

import (
	"math/bits"
	"sync"
)

// gate is what an entry's code rules need of a query, packed so that the
// lookup can pass over the entries that cannot match without reading them:
// a lookup used to spend most of its time fetching every entry's rules
// from memory only to refuse them on the reply or status class.
type gate struct {
	replyClasses  uint8  // bit 1<<c for each reply pattern of class c; 0: no reply rule
	statusClasses uint8  // bit 1<<c for each status pattern of class c (all bits for x.y.z); 0: no status rule
	subjects      uint64 // bit 1<<(subject%64) for each status pattern's subject (all bits for a wildcard)
	text          bool   // text or regexp rules
}

// allSubjects is the subjects mask of a wildcard subject.
const allSubjects = ^uint64(0)

// gates holds one gate per entry, in catalog order, built on first use.
type gates struct {
	once sync.Once
	g    []gate
}

// get returns the gates of entries, building them on the first call.
func (gs *gates) get(entries []*Entry) []gate {
	gs.once.Do(func() {
		gs.g = make([]gate, len(entries))
		for i, e := range entries {
			gs.g[i] = newGate(&e.m)
		}
	})
	return gs.g
}

// newGate packs m's code rules.
func newGate(m *compiled) gate {
	g := gate{text: m.hasText()}
	for _, r := range m.replies {
		g.replyClasses |= 1 << (r.code / 100)
	}
	for _, s := range m.statuses {
		if s.c[0] == wildcard {
			g.statusClasses = 0xff
		} else {
			g.statusClasses |= 1 << s.c[0]
		}
		if s.c[1] == wildcard {
			g.subjects = allSubjects
		} else {
			g.subjects |= 1 << (s.c[1] % 64)
		}
	}
	return g
}

// queryGate is the query's side of a gate: the bits its codes set.
type queryGate struct {
	replyClass  uint8  // 1<<class of the reply code; 1 (no rule's bit) without one
	statusClass uint8  // 1<<class of the status; 1 without one
	subject     uint64 // 1<<(subject%64) of the status; 0 without one
}

// newQueryGate is p's side of the gates.
func newQueryGate(p *prepared) queryGate {
	q := queryGate{replyClass: 1, statusClass: 1}
	if p.reply != 0 {
		q.replyClass = 1 << (p.reply / 100)
	}
	if p.hasStatus {
		q.statusClass = 1 << p.status[0]
		q.subject = 1 << (p.status[1] % 64)
	}
	return q
}

// may reports whether an entry with gate g could match a query with gate
// q: false only when codeScore would refuse it on its reply or status
// rules (every status match, the X.Y.0 one of matchKind included, needs
// the class and the subject).
func (g gate) may(q queryGate) bool {
	if g.replyClasses != 0 && g.replyClasses&q.replyClass == 0 {
		return false
	}
	if g.statusClasses != 0 && (g.statusClasses&q.statusClass == 0 || g.subjects&q.subject == 0) {
		return false
	}
	return true
}

// textGates says which entries with text or regexp rules (gate.text) a
// scanned text may match: those of a needle found in it (a text rule, or
// a required literal of a regexp of an entry without text rules), and
// those with a regexp that has no required literal. The lookup then skips
// every other wording entry without reading it (mayMatch still decides).
type textGates struct {
	once     sync.Once
	byNeedle [][]int32 // per needle id, the entries it may let through
	always   []int32   // entries that may match any text
}

// get returns the index for the needle set s of entries, built on the
// first call.
func (t *textGates) get(entries []*Entry, s *needleSet) *textGates {
	t.once.Do(func() {
		t.byNeedle = make([][]int32, len(s.needles))
		for i, e := range entries {
			switch {
			case len(e.m.texts) > 0: // mayMatch needs one of them
				for _, id := range s.textIDs[i] {
					t.byNeedle[id] = append(t.byNeedle[id], int32(i))
				}
			case len(e.m.regexps) > 0: // one regexp without literals, or one's literal
				for _, ids := range s.litIDs[i] {
					if ids == nil {
						t.always = append(t.always, int32(i))
						break
					}
					for _, id := range ids {
						t.byNeedle[id] = append(t.byNeedle[id], int32(i))
					}
				}
			}
		}
	})
	return t
}

// marks sets, in a bit set over the entries, those that the needles found
// (a bit set over the needle ids) may let through.
func (t *textGates) marks(found []uint64, n int) []uint64 {
	m := make([]uint64, (n+63)/64)
	for _, i := range t.always {
		m[i/64] |= 1 << (i % 64)
	}
	for w, word := range found {
		for ; word != 0; word &= word - 1 {
			if id := w*64 + bits.TrailingZeros64(word); id < len(t.byNeedle) {
				for _, i := range t.byNeedle[id] {
					m[i/64] |= 1 << (i % 64)
				}
			}
		}
	}
	return m
}
