// Package literal finds fixed strings in text fast: an Aho-Corasick
// automaton that reports in one pass which of a set of needles occur, and
// Required, which derives from a regexp (RE2 syntax, as package regexp
// reads it) the literals every match must contain, so that the regexp runs
// only on texts that hold one of them.
package literal

// Index finds in one pass which of a fixed set of needles occur in a text
// (Aho-Corasick). It replaces one strings.Contains per needle, whose cost
// grows with the number of needles times the length of the text. Build one
// with a Builder; an Index is read-only and safe for concurrent use.
type Index struct {
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

// Builder collects the needles of an Index. The zero value is not usable;
// call NewBuilder.
type Builder struct {
	x *Index
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{x: &Index{edges: [][]edge{nil}, fail: []int32{0}, out: [][]int32{nil}, ids: map[string]int32{}}}
}

// Add returns the id of needle s, adding it when new. Ids are dense, from 0,
// in order of first addition. Matching is byte for byte: callers that want
// case-insensitive matching add lower-case needles and scan lower-case text.
func (b *Builder) Add(s string) int32 {
	x := b.x
	id, ok := x.ids[s]
	if !ok {
		id = int32(len(x.ids))
		x.ids[s] = id
		x.add(s, id)
	}
	return id
}

// Build computes the failure links and returns the Index. The Builder must
// not be used afterwards.
func (b *Builder) Build() *Index {
	x := b.x
	b.x = nil
	x.link()
	return x
}

// Len returns the number of distinct needles.
func (x *Index) Len() int { return len(x.ids) }

// add inserts needle s with the given id into the trie.
func (x *Index) add(s string, id int32) {
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
func (x *Index) step(state int32, b byte) int32 {
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
func (x *Index) link() {
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

// Scan returns the set of needle ids found in text.
func (x *Index) Scan(text string) Set {
	found := make(Set, (len(x.ids)+63)/64)
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

// Set is a set of needle ids, as Scan returns it.
type Set []uint64

// Has reports whether id is in the set.
func (f Set) Has(id int32) bool { return f[id/64]&(1<<(id%64)) != 0 }

// Any reports whether any of ids is in the set.
func (f Set) Any(ids []int32) bool {
	for _, id := range ids {
		if f.Has(id) {
			return true
		}
	}
	return false
}

// All reports whether every one of ids is in the set.
func (f Set) All(ids []int32) bool {
	for _, id := range ids {
		if !f.Has(id) {
			return false
		}
	}
	return true
}
