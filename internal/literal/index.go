// Package literal finds fixed strings in text fast: an Aho-Corasick
// automaton that reports in one pass which of a set of needles occur, and
// Required, which derives from a regexp (RE2 syntax, as package regexp
// reads it) the literals every match must contain, so that the regexp runs
// only on texts that hold one of them.
package literal

import "math/bits"

// Index finds in one pass which of a fixed set of needles occur in a text
// (Aho-Corasick). It replaces one strings.Contains per needle, whose cost
// grows with the number of needles times the length of the text. Build one
// with a Builder; an Index is read-only and safe for concurrent use.
//
// The automaton lives in flat arrays, not in a slice per state: building
// the reason table's (some 1,300 needles, 26,000 states) is then a handful
// of allocations, which matters because every start of the program that
// reads a diagnostic builds it.
type Index struct {
	root  [256]int32 // transitions of the root state (0)
	nodes []node     // the states; nodes[0] is the root
	// The transitions of the states with more than one: the bytes that
	// have one in a bitmap per state (masks), the targets in byte order
	// (to), so that a lookup is a bit test and a count of the bits below.
	masks [][4]uint64
	to    []int32
	term  []int32 // 1 + the id of the needle that ends at each state, 0 for none
	dict  []int32 // nearest state on each state's fail chain with a needle ending there, 0 for none
	n     int     // distinct needles
}

// node is one state. Most states (those inside a single needle) have one
// transition, held in the node itself.
type node struct {
	one    int32 // the only transition's target, 0 when there is not exactly one
	b      byte  // the only transition's byte
	mask   int32 // 1 + index in masks when there is more than one, else 0
	lo     int32 // index in to of the first target of a state with more than one
	fail   int32 // longest proper suffix that is also a prefix
	report int32 // the state itself when a needle ends there, else its dict link
}

// Builder collects the needles of an Index. The zero value is not usable;
// call NewBuilder.
type Builder struct {
	ids map[string]int32
	// the trie, children in linked lists: the first child of each state,
	// each state's next sibling and the byte that leads to it.
	first, next []int32
	by          []byte
	term        []int32
	root        [256]int32
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{ids: map[string]int32{}, first: []int32{0}, next: []int32{0}, by: []byte{0}, term: []int32{0}}
}

// Add returns the id of needle s, adding it when new. Ids are dense, from 0,
// in order of first addition. Matching is byte for byte: callers that want
// case-insensitive matching add lower-case needles and scan lower-case text.
func (b *Builder) Add(s string) int32 {
	id, ok := b.ids[s]
	if !ok {
		id = int32(len(b.ids))
		b.ids[s] = id
		b.add(s, id)
	}
	return id
}

// add inserts needle s with the given id into the trie.
func (b *Builder) add(s string, id int32) {
	var state int32
	for i := 0; i < len(s); i++ {
		next := b.child(state, s[i])
		if next == 0 {
			next = int32(len(b.first))
			b.first = append(b.first, 0)
			b.by = append(b.by, s[i])
			b.term = append(b.term, 0)
			if state == 0 {
				b.root[s[i]] = next
				b.next = append(b.next, 0)
			} else {
				b.next = append(b.next, b.first[state])
				b.first[state] = next
			}
		}
		state = next
	}
	b.term[state] = id + 1
}

// child returns the trie child of state for c, or 0.
func (b *Builder) child(state int32, c byte) int32 {
	if state == 0 {
		return b.root[c]
	}
	for t := b.first[state]; t != 0; t = b.next[t] {
		if b.by[t] == c {
			return t
		}
	}
	return 0
}

// Build lays the trie out flat, computes the failure links and returns the
// Index. The Builder must not be used afterwards.
func (b *Builder) Build() *Index {
	n := len(b.first)
	x := &Index{root: b.root, nodes: make([]node, n), term: b.term, dict: make([]int32, n), n: len(b.ids)}
	for s := 1; s < n; s++ {
		t := b.first[s]
		switch {
		case t == 0: // a leaf
		case b.next[t] == 0:
			x.nodes[s].one, x.nodes[s].b = t, b.by[t]
		default:
			var m [4]uint64
			lo := len(x.to)
			for ; t != 0; t = b.next[t] {
				m[b.by[t]>>6] |= 1 << (b.by[t] & 63)
				x.to = append(x.to, t)
			}
			// in byte order, as target counts them (insertion sort: a few)
			to := x.to[lo:]
			for i := 1; i < len(to); i++ {
				for j := i; j > 0 && b.by[to[j]] < b.by[to[j-1]]; j-- {
					to[j], to[j-1] = to[j-1], to[j]
				}
			}
			x.masks = append(x.masks, m)
			x.nodes[s].mask, x.nodes[s].lo = int32(len(x.masks)), int32(lo)
		}
	}
	*b = Builder{}
	x.link()
	return x
}

// Len returns the number of distinct needles.
func (x *Index) Len() int { return x.n }

// step returns the trie child of state for c, or -1 (0 from the root).
func (x *Index) step(state int32, c byte) int32 {
	if state == 0 {
		return x.root[c]
	}
	return x.stepNode(&x.nodes[state], c)
}

// stepNode returns the trie child of the state nd for c, or -1.
func (x *Index) stepNode(nd *node, c byte) int32 {
	switch {
	case nd.one != 0:
		if nd.b == c {
			return nd.one
		}
	case nd.mask != 0:
		if m := &x.masks[nd.mask-1]; m[c>>6]&(1<<(c&63)) != 0 {
			return x.target(nd, m, c)
		}
	}
	return -1
}

// target returns the child for c of the state nd with more than one, whose
// bitmap m has c's bit set: the one after as many as m has bits below c.
func (x *Index) target(nd *node, m *[4]uint64, c byte) int32 {
	w := c >> 6
	rank := bits.OnesCount64(m[w] & (1<<(c&63) - 1))
	for i := range w {
		rank += bits.OnesCount64(m[i])
	}
	return x.to[int(nd.lo)+rank]
}

// children calls fn for each transition of state s.
func (x *Index) children(s int32, fn func(c byte, t int32)) {
	nd := &x.nodes[s]
	if nd.one != 0 {
		fn(nd.b, nd.one)
		return
	}
	if nd.mask == 0 {
		return
	}
	k := nd.lo
	for w, bitsLeft := range x.masks[nd.mask-1] {
		for ; bitsLeft != 0; bitsLeft &= bitsLeft - 1 {
			fn(byte(w<<6+bits.TrailingZeros64(bitsLeft)), x.to[k])
			k++
		}
	}
}

// link computes the failure and dictionary links breadth first.
func (x *Index) link() {
	queue := make([]int32, 0, len(x.nodes))
	for c := 0; c < 256; c++ {
		if s := x.root[c]; s != 0 {
			queue = append(queue, s)
			x.nodes[s].report = x.reportOf(s)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		x.children(s, func(c byte, t int32) {
			f := x.nodes[s].fail
			for f != 0 && x.step(f, c) < 0 {
				f = x.nodes[f].fail
			}
			u := x.step(f, c)
			if u < 0 || u == t {
				u = 0
			}
			x.nodes[t].fail = u
			if x.term[u] != 0 {
				x.dict[t] = u
			} else {
				x.dict[t] = x.dict[u]
			}
			x.nodes[t].report = x.reportOf(t)
			queue = append(queue, t)
		})
	}
}

// reportOf returns the first state whose needle Scan reports at s: s
// itself when a needle ends there, else its dict link.
func (x *Index) reportOf(s int32) int32 {
	if x.term[s] != 0 {
		return s
	}
	return x.dict[s]
}

// Scan returns the set of needle ids found in text.
func (x *Index) Scan(text string) Set {
	found := make(Set, (x.n+63)/64)
	if id := x.term[0] - 1; id >= 0 && len(text) > 0 {
		found[id/64] |= 1 << (id % 64) // the empty needle, found at every byte
	}
	nodes := x.nodes
	nd := &nodes[0] // the state reached so far
	for i := 0; i < len(text); i++ {
		c := text[i]
		s := int32(-1)
		for nd != &nodes[0] {
			if nd.one != 0 { // stepNode, by hand: the compiler does not inline it
				if nd.b == c {
					s = nd.one
					break
				}
			} else if nd.mask != 0 {
				if m := &x.masks[nd.mask-1]; m[c>>6]&(1<<(c&63)) != 0 {
					s = x.target(nd, m, c)
					break
				}
			}
			nd = &nodes[nd.fail]
		}
		if s < 0 {
			s = x.root[c]
		}
		nd = &nodes[s]
		for o := nd.report; o != 0; o = x.dict[o] {
			id := x.term[o] - 1
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
