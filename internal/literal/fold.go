package literal

import (
	"strings"
	"unicode/utf8"
)

// IndexFold returns the index of the first occurrence of the lower-case
// ASCII needle in s, comparing ASCII letters without regard to case, or -1.
func IndexFold(s, needle string) int { return NewFoldNeedle(needle).Index(s) }

// FoldNeedle is a lower-case ASCII needle prepared for IndexFold: the
// position of its byte least common in mail text, which the search looks
// for with strings.IndexByte (vectorised) before comparing around each hit.
type FoldNeedle struct {
	s    string
	rare int
}

// NewFoldNeedle prepares the lower-case ASCII needle s.
func NewFoldNeedle(s string) FoldNeedle {
	return FoldNeedle{s: s, rare: rarestByte(s)}
}

// String returns the needle.
func (f FoldNeedle) String() string { return f.s }

// Index is IndexFold(s, f.String()).
func (f FoldNeedle) Index(s string) int {
	needle, j := f.s, f.rare
	n := len(needle)
	if n == 0 {
		return 0
	}
	if n > len(s) {
		return -1
	}
	lo, up := needle[j], upper(needle[j])
	// next occurrences of the lower and upper case of the rare byte, at or
	// after the search position (-1: none left).
	nextLo, nextUp := -2, -2
	for from := j; from <= len(s)-(n-j); {
		if nextLo != -1 && nextLo < from {
			nextLo = indexFrom(s, lo, from)
		}
		if lo == up {
			nextUp = nextLo
		} else if nextUp != -1 && nextUp < from {
			nextUp = indexFrom(s, up, from)
		}
		at := minHit(nextLo, nextUp)
		if at < 0 || at-j+n > len(s) {
			return -1
		}
		if start := at - j; equalFoldASCII(s[start:start+n], needle) {
			return start
		}
		from = at + 1
	}
	return -1
}

// ContainsFold reports whether s contains the lower-case ASCII needle,
// ASCII letters compared without regard to case.
func ContainsFold(s, needle string) bool { return IndexFold(s, needle) >= 0 }

func indexFrom(s string, b byte, from int) int {
	if i := strings.IndexByte(s[from:], b); i >= 0 {
		return from + i
	}
	return -1
}

func minHit(a, b int) int {
	switch {
	case a < 0:
		return b
	case b < 0 || a < b:
		return a
	}
	return b
}

func upper(b byte) byte {
	if 'a' <= b && b <= 'z' {
		return b - 'a' + 'A'
	}
	return b
}

// equalFoldASCII compares s with the lower-case needle, folding ASCII
// upper case in s.
func equalFoldASCII(s, needle string) bool {
	for i := 0; i < len(needle); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != needle[i] {
			return false
		}
	}
	return true
}

// rarestByte returns the position in needle of its byte least common in
// mail text, after byteRank.
func rarestByte(needle string) int {
	best := 0
	for i := 1; i < len(needle); i++ {
		if byteRank(needle[i]) < byteRank(needle[best]) {
			best = i
		}
	}
	return best
}

// commonBytes are the bytes of English mail text, most common last (letter
// frequencies, then the space).
const commonBytes = "zqjxkvbpgwyfmculdrhsnioate "

// byteRank orders bytes by how often they occur in text: digits and
// punctuation are rarer than any letter; a higher rank is more common.
func byteRank(b byte) int { return int(byteRanks[b]) }

// byteRanks is byteRank for every byte, both cases of a letter alike.
var byteRanks = func() (r [256]uint8) {
	for i := 0; i < len(commonBytes); i++ {
		c := commonBytes[i]
		r[c] = uint8(i + 1)
		r[upper(c)] = uint8(i + 1)
	}
	return r
}()

// MayContainLower reports false only when strings.ToLower(s) certainly
// does not contain needle: it looks for the longest run of needle's ASCII
// bytes other than "i" and "k" (which strings.ToLower also makes of İ and
// the Kelvin sign) in s, ASCII case folded. A cheap test before lowering
// or splitting a long text; true when needle has no such run.
func MayContainLower(s, needle string) bool {
	best, start := "", 0
	for i := 0; i <= len(needle); i++ {
		if i < len(needle) {
			if c := needle[i]; c < utf8.RuneSelf && c != 'i' && c != 'k' {
				continue
			}
		}
		if i-start > len(best) {
			best = needle[start:i]
		}
		start = i + 1
	}
	return best == "" || IndexFold(s, best) >= 0
}
