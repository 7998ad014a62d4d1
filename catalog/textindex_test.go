package catalog

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestTextIndexMatchesContains compares the automaton with strings.Contains
// on overlapping needles and random texts over a small alphabet.
func TestTextIndexMatchesContains(t *testing.T) {
	needles := []string{"he", "she", "his", "hers", "a", "aa", "aab", "abab", "bab", "user unknown", "unknown", "hers"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 30; n++ {
		var b strings.Builder
		for i := 0; i < 1+rnd.IntN(6); i++ {
			b.WriteByte("abehrsu"[rnd.IntN(7)])
		}
		needles = append(needles, b.String())
	}
	e := &Entry{m: compiled{texts: needles}}
	x, ids, _ := newTextIndex([]*Entry{e})
	for n := 0; n < 2000; n++ {
		var b strings.Builder
		for i := 0; i < rnd.IntN(40); i++ {
			b.WriteByte("abehrsu n"[rnd.IntN(9)])
		}
		text := b.String()
		found := x.scan(text)
		for i, needle := range needles {
			if got, want := anyFound(found, ids[0][i:i+1]), strings.Contains(text, needle); got != want {
				t.Fatalf("text %q needle %q: found %v, want %v", text, needle, got, want)
			}
		}
	}
}
