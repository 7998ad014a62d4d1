package catalog

// textIndex finds in one pass which of a fixed set of lower-case needles
// occur in a text (Aho-Corasick). It replaces one strings.Contains per
// needle and entry, which dominated the cost of a lookup with text.
type textIndex struct {
	root  [256]int32 // transitions of the root state (0)
	edges [][]edge   // transitions of the other states
	fail  []int32    // longest proper suffix that is also a prefix
	out   [][]int32  // needles ending at each state, through fail links too
	ids   map[string]int32
}

type edge struct {
	b  byte
	to int32
}

// newTextIndex builds the automaton over every text rule of entries and
// every required literal of their regexps (requiredLiterals), and returns,
// per entry, the needle ids of its text rules and, per regexp, the ids of
// its literals (nil for a regexp without).
func newTextIndex(entries []*Entry) (*textIndex, [][]int32, [][][]int32) {
	x := &textIndex{edges: [][]edge{nil}, fail: []int32{0}, out: [][]int32{nil}, ids: map[string]int32{}}
	texts := make([][]int32, len(entries))
	lits := make([][][]int32, len(entries))
	for i, e := range entries {
		for _, t := range e.m.texts {
			texts[i] = append(texts[i], x.needle(t))
		}
		for _, set := range e.m.prefilt {
			var ids []int32
			for _, l := range set {
				ids = append(ids, x.needle(l))
			}
			lits[i] = append(lits[i], ids)
		}
	}
	x.link()
	return x, texts, lits
}

// needle returns the id of needle s, adding it when new.
func (x *textIndex) needle(s string) int32 {
	id, ok := x.ids[s]
	if !ok {
		id = int32(len(x.ids))
		x.ids[s] = id
		x.add(s, id)
	}
	return id
}

// add inserts needle s with the given id into the trie.
func (x *textIndex) add(s string, id int32) {
	var state int32
	for i := 0; i < len(s); i++ {
		next := x.step(state, s[i])
		if next <= 0 { // no child yet (the root answers 0, other states -1)
			next = int32(len(x.edges))
			x.edges = append(x.edges, nil)
			x.fail = append(x.fail, 0)
			x.out = append(x.out, nil)
			if state == 0 {
				x.root[s[i]] = next
			} else {
				x.edges[state] = append(x.edges[state], edge{s[i], next})
			}
		}
		state = next
	}
	x.out[state] = append(x.out[state], id)
}

// step returns the trie child of state for b, or -1 (0 from the root).
func (x *textIndex) step(state int32, b byte) int32 {
	if state == 0 {
		return x.root[b]
	}
	for _, e := range x.edges[state] {
		if e.b == b {
			return e.to
		}
	}
	return -1
}

// link computes the failure links breadth first and merges outputs.
func (x *textIndex) link() {
	var queue []int32
	for b := 0; b < 256; b++ {
		if s := x.root[b]; s != 0 {
			queue = append(queue, s)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, e := range x.edges[s] {
			f := x.fail[s]
			for f != 0 && x.step(f, e.b) < 0 {
				f = x.fail[f]
			}
			t := x.step(f, e.b)
			if t < 0 || t == e.to {
				t = 0
			}
			x.fail[e.to] = t
			x.out[e.to] = append(x.out[e.to], x.out[t]...)
			queue = append(queue, e.to)
		}
	}
}

// scan returns the set of needle ids found in text (lower case).
func (x *textIndex) scan(text string) []uint64 {
	found := make([]uint64, (len(x.ids)+63)/64)
	var s int32
	for i := 0; i < len(text); i++ {
		b := text[i]
		for s != 0 && x.step(s, b) < 0 {
			s = x.fail[s]
		}
		s = x.step(s, b)
		if s < 0 {
			s = 0
		}
		for _, id := range x.out[s] {
			found[id/64] |= 1 << (id % 64)
		}
	}
	return found
}

// anyFound reports whether any of ids is in the set.
func anyFound(found []uint64, ids []int32) bool {
	for _, id := range ids {
		if found[id/64]&(1<<(id%64)) != 0 {
			return true
		}
	}
	return false
}
