package literal

import (
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Required returns lower-case ASCII literals such that every match of the
// case-insensitive regexp pattern contains at least one of them, or nil
// when there are none ("spamhaus|spamcop" gives ["spam"], "\b(rbl|dnsbl)\b"
// gives ["rbl"]). Callers check them in the lower-cased text (with an
// Index or strings.Contains) before running the regexp: Go's regexp engine
// cannot skip ahead to a case-folded literal by itself, and most texts hold
// none of them.
//
// QUIRK: a case-insensitive "k" or "s" also matches the Kelvin sign
// (U+212A) and the long s (U+017F), which strings.ToLower does not turn
// into "s"; a text that spells a word with "ſ" may thus match the regexp
// and still lack the literal. RequiredFolded has no such gap.
func Required(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl|syntax.FoldCase)
	if err != nil {
		return nil
	}
	return literalSet(re.Simplify(), maxDepth, false)
}

// RequiredFolded returns lower-case ASCII literals such that every match of
// the regexp pattern (parsed as regexp.Compile parses it, case-sensitive
// unless it says (?i)) contains one of them, compared with ASCII case
// folding (IndexFold), or nil when there are none. Literals of
// case-insensitive parts leave out "k" and "s", whose case folding reaches
// beyond ASCII ("(?i)mailbox is full" gives ["mailbox i"]), so the test is
// a necessary condition for a match on any UTF-8 text.
func RequiredFolded(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	return literalSet(re.Simplify(), maxDepth, true)
}

// maxDepth bounds the descent of literalSet into nested groups.
const maxDepth = 16

// literalSet is Required (RequiredFolded when folded) for a parsed
// expression, depth levels deep at most.
func literalSet(re *syntax.Regexp, depth int, folded bool) []string {
	if depth == 0 {
		return nil
	}
	switch re.Op {
	case syntax.OpLiteral:
		if folded {
			if lit := longestASCIIRun(re.Rune, re.Flags&syntax.FoldCase != 0); lit != "" {
				return []string{lit}
			}
			return nil
		}
		if lit := strings.ToLower(string(re.Rune)); isASCII(lit) {
			return []string{lit}
		}
	case syntax.OpCapture, syntax.OpPlus:
		return literalSet(re.Sub[0], depth-1, folded)
	case syntax.OpConcat:
		var best []string
		for _, sub := range re.Sub {
			if set := literalSet(sub, depth-1, folded); betterSet(set, best) {
				best = set
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			set := literalSet(sub, depth-1, folded)
			if set == nil {
				return nil
			}
			all = append(all, set...)
		}
		return all
	}
	return nil
}

// longestASCIIRun returns, lower-cased, the longest run of a literal that
// IndexFold finds wherever the literal matches: ASCII runes (in a
// case-insensitive literal no "k" or "s", whose case folding reaches
// beyond ASCII: the Kelvin sign, the long s) and runes without other case
// forms (CJK, digits), compared byte for byte.
func longestASCIIRun(runes []rune, fold bool) string {
	best, start := "", 0
	for i := 0; i <= len(runes); i++ {
		if i < len(runes) && foldSafe(runes[i], fold) {
			continue
		}
		if i-start > len([]rune(best)) {
			best = ASCIILower(string(runes[start:i]))
		}
		start = i + 1
	}
	return best
}

// foldSafe reports whether r, in a literal matched case-insensitively when
// fold is set, matches only r or its ASCII other case.
func foldSafe(r rune, fold bool) bool {
	switch {
	case r == utf8.RuneError:
		return false // an invalid byte in the text also reads as U+FFFD
	case !fold:
		return true
	case r < utf8.RuneSelf:
		return !strings.ContainsRune("kKsS", r)
	}
	return unicode.SimpleFold(r) == r
}

// ASCIILower lower-cases the ASCII letters of s only, so byte offsets stay those of s.
func ASCIILower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// betterSet prefers the set whose shortest literal is longer, then the
// smaller set.
func betterSet(a, b []string) bool {
	if a == nil {
		return false
	}
	if b == nil {
		return true
	}
	if ma, mb := minLen(a), minLen(b); ma != mb {
		return ma > mb
	}
	return len(a) < len(b)
}

func minLen(set []string) int {
	n := -1
	for _, s := range set {
		if n < 0 || len(s) < n {
			n = len(s)
		}
	}
	return n
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
