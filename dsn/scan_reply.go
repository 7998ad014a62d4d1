package dsn

import "strings"

// Hand-written scanners for FindReplyCode's four reply shapes and
// FindCommand's command wording, which run on every recipient's
// diagnostic. Each does what one regexp did (quoted beside it, and kept in
// scan_reply_test.go, which compares the two by table and fuzz test):
// the regexps cost a machine set-up per call and a step per rune, more
// than reading the dsn of a whole message.

// hasReplyShape reports whether s holds `[245][0-5]\d` anywhere, which
// every reply shape needs.
func hasReplyShape(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if replyAt(s, i, true) >= 0 {
			return true
		}
	}
	return false
}

// notDigitDot reports whether the byte before i (as the regexp reads it:
// any non-ASCII byte belongs to a rune that is neither) is not a digit or
// a dot, or i is 0: `(?:^|[^\d.])` before i.
func notDigitDot(s string, i int) bool {
	return i == 0 || !isDigit(s[i-1]) && s[i-1] != '.'
}

// replyEnhanced finds
// `(?:^|[^\d.])([245][0-5]\d)[ -]+[(#]?[245]\.\d{1,3}\.\d{1,3}(?:[^\d.]|$)`
// and returns the span of its reply code, or -1. A match at a later code
// starts later, so the first code that fits is the regexp's leftmost
// match; [ -]+ and [(#]? are greedy and what follows them cannot start
// with what they take, so no backtracking finds another match.
func replyEnhanced(s string) (int, int) {
	for q := 0; q+2 < len(s); q++ {
		end := replyAt(s, q, true)
		if end < 0 || !notDigitDot(s, q) {
			continue
		}
		i := end
		for i < len(s) && (s[i] == ' ' || s[i] == '-') {
			i++
		}
		if i == end {
			continue
		}
		if i < len(s) && (s[i] == '(' || s[i] == '#') {
			i++
		}
		if st := statusAt(s, i); st >= 0 && (st == len(s) || !isDigit(s[st]) && s[st] != '.') {
			return q, end
		}
	}
	return -1, -1
}

// foldWord returns the end of word (lower-case ASCII letters and other
// bytes) matched at i as a (?i) regexp matches it: ASCII letters in either
// case, and the two non-ASCII runes that fold to ASCII letters, ſ (U+017F)
// for s and the Kelvin sign (U+212A) for k; or -1.
func foldWord(s string, i int, word string) int {
	for k := 0; k < len(word); k++ {
		c := word[k]
		switch {
		case i >= len(s):
			return -1
		case s[i] == c || 'a' <= c && c <= 'z' && s[i] == c-'a'+'A':
			i++
		case c == 's' && strings.HasPrefix(s[i:], "\u017f"):
			i += len("\u017f")
		case c == 'k' && strings.HasPrefix(s[i:], "\u212a"):
			i += len("\u212a")
		default:
			return -1
		}
	}
	return i
}

// foldLetter reports the length of the rune at i if it is one that
// (?i)[a-z] matches (an ASCII letter, ſ or the Kelvin sign), else 0.
func foldLetter(s string, i int) int {
	switch {
	case isLetter(s[i]):
		return 1
	case strings.HasPrefix(s[i:], "\u017f"):
		return len("\u017f")
	case strings.HasPrefix(s[i:], "\u212a"):
		return len("\u212a")
	}
	return 0
}

// skipSpace returns the end of the run of \s at i.
func skipSpace(s string, i int) int {
	for i < len(s) && isSpaceRE(s[i]) {
		i++
	}
	return i
}

// replyStart finds `(?i)^\s*(?:(?:smtp|x-[a-z-]+)\s*;\s*)?\(?([245][0-5]\d)(?:[ -]|$)`
// and returns the span of its reply code, or -1. The optional group is
// taken when it matches: without it the text goes on with s or x, where no
// code can be.
func replyStart(s string) (int, int) {
	i := skipSpace(s, 0)
	if j := diagPrefix(s, i); j >= 0 {
		i = j
	}
	if i < len(s) && s[i] == '(' {
		i++
	}
	end := replyAt(s, i, true)
	if end < 0 || end < len(s) && s[end] != ' ' && s[end] != '-' {
		return -1, -1
	}
	return i, end
}

// diagPrefix returns the end of `(?i)(?:smtp|x-[a-z-]+)\s*;\s*` at i, or -1.
func diagPrefix(s string, i int) int {
	j := foldWord(s, i, "smtp")
	if j < 0 {
		if j = foldWord(s, i, "x-"); j < 0 {
			return -1
		}
		k := j
		for k < len(s) {
			if s[k] == '-' {
				k++
			} else if n := foldLetter(s, k); n > 0 {
				k += n
			} else {
				break
			}
		}
		if k == j {
			return -1
		}
		j = k
	}
	j = skipSpace(s, j)
	if j >= len(s) || s[j] != ';' {
		return -1
	}
	return skipSpace(s, j+1)
}

// replyWords are the words of replyAfter, in the regexp's order.
var replyWords = []string{"said", "replied", "reply", "response", "responded", "answered", "error", "<<<", "code", "status"}

// replyAfter finds
// `(?i)(?:said|replied|reply|response|responded|answered|error|<<<|code|status)\s*(?:was|is)?\s*[:=]?\s*\(?([245][0-5]\d)(?:[ -.]|$)`
// and returns the span of its reply code, or -1. No two words match at one
// place, and each optional piece after the word, when it matches, must be
// taken: without it the text goes on with a byte nothing later accepts.
func replyAfter(s string) (int, int) {
	for a := 0; a < len(s); a++ {
		if !replyWordStart(s[a]) {
			continue
		}
		for _, w := range replyWords {
			j := foldWord(s, a, w)
			if j < 0 {
				continue
			}
			if q, end := replyAfterWord(s, j); q >= 0 {
				return q, end
			}
		}
	}
	return -1, -1
}

// replyWordStart reports the bytes a word of replyAfter can start with
// (0xc5 starts ſ).
func replyWordStart(c byte) bool {
	switch c | 0x20 {
	case 's', 'r', 'a', 'e', 'c':
		return true
	}
	return c == '<' || c == 0xc5
}

// replyAfterWord matches `\s*(?:was|is)?\s*[:=]?\s*\(?([245][0-5]\d)(?:[ -.]|$)`
// at i.
func replyAfterWord(s string, i int) (int, int) {
	i = skipSpace(s, i)
	if j := foldWord(s, i, "was"); j >= 0 {
		i = j
	} else if j := foldWord(s, i, "is"); j >= 0 {
		i = j
	}
	i = skipSpace(s, i)
	if i < len(s) && (s[i] == ':' || s[i] == '=') {
		i++
	}
	i = skipSpace(s, i)
	if i < len(s) && s[i] == '(' {
		i++
	}
	end := replyAt(s, i, true)
	if end < 0 || end < len(s) && (s[end] < ' ' || s[end] > '.') {
		return -1, -1
	}
	return i, end
}

// replyColon finds `[:;>]\s*([245][0-5]\d)[ -][A-Za-z<(#]` and returns the
// span of its reply code, or -1.
func replyColon(s string) (int, int) {
	for a := 0; a < len(s); a++ {
		if c := s[a]; c != ':' && c != ';' && c != '>' {
			continue
		}
		q := skipSpace(s, a+1)
		end := replyAt(s, q, true)
		if end < 0 || end+1 >= len(s) || s[end] != ' ' && s[end] != '-' {
			continue
		}
		if c := s[end+1]; isLetter(c) || c == '<' || c == '(' || c == '#' {
			return q, end
		}
	}
	return -1, -1
}

// findCommand finds
//
//	(?i)(?:in reply to|after(?:\s+pipelined)?|>>>|response to|while (?:sending|performing|receiving)|during)\s+(?:the\s+)?(end\s+of\s+data|end\s+of\s+message|message\s+body|rcpt\s+to|mail\s+from|data|rcpt|mail|ehlo|helo|starttls|auth|initial\s+(?:server\s+)?(?:connection|greeting)|connect(?:ion)?|greeting|banner)\b
//
// and returns the span of its group, or -1. No two of the leading words
// match at one place, and after them every optional piece, when it
// matches, must be taken.
func findCommand(s string) (int, int) {
	for a := 0; a < len(s); a++ {
		if !commandLeadStart(s[a]) {
			continue
		}
		j := commandLead(s, a)
		if j < 0 {
			continue
		}
		i := skipSpace(s, j)
		if i == j {
			continue
		}
		if k := foldWord(s, i, "the"); k >= 0 {
			if l := skipSpace(s, k); l > k {
				i = l
			}
		}
		if end := commandAt(s, i); end >= 0 {
			return i, end
		}
	}
	return -1, -1
}

// commandLeadStart reports the bytes a leading word of findCommand can
// start with.
func commandLeadStart(c byte) bool {
	switch c | 0x20 {
	case 'i', 'a', 'r', 'w', 'd':
		return true
	}
	return c == '>'
}

// commandLead returns the end of
// `(?i)in reply to|after(?:\s+pipelined)?|>>>|response to|while (?:sending|performing|receiving)|during`
// at i, or -1.
func commandLead(s string, i int) int {
	for _, w := range []string{"in reply to", ">>>", "response to", "during"} {
		if j := foldWord(s, i, w); j >= 0 {
			return j
		}
	}
	if j := foldWord(s, i, "after"); j >= 0 {
		if k := skipSpace(s, j); k > j {
			if l := foldWord(s, k, "pipelined"); l >= 0 {
				return l
			}
		}
		return j
	}
	if j := foldWord(s, i, "while "); j >= 0 {
		for _, w := range []string{"sending", "performing", "receiving"} {
			if k := foldWord(s, j, w); k >= 0 {
				return k
			}
		}
	}
	return -1
}

// commandWordsAt are the alternatives of findCommand's group, in order:
// words separated by \s+ (see wordsAt).
var commandWordsAt = [][]string{
	{"end", "of", "data"},
	{"end", "of", "message"},
	{"message", "body"},
	{"rcpt", "to"},
	{"mail", "from"},
	{"data"},
	{"rcpt"},
	{"mail"},
	{"ehlo"},
	{"helo"},
	{"starttls"},
	{"auth"},
	{"initial", "server?", "connection"},
	{"initial", "server?", "greeting"},
	{"connection"},
	{"connect"},
	{"greeting"},
	{"banner"},
}

// commandAt returns the end of the first alternative of findCommand's
// group that matches at i and is followed by \b, or -1.
func commandAt(s string, i int) int {
	for _, words := range commandWordsAt {
		if end := wordsAt(s, i, words); end >= 0 && wordBoundary(s, end) {
			return end
		}
	}
	return -1
}

// wordsAt returns the end of words, separated by \s+, at i, or -1. A word
// ending in "?" (never the last) stands for `(?:word\s+)?`: taken with the
// white space after it when both are there, else skipped.
func wordsAt(s string, i int, words []string) int {
	space := false // the next word must follow white space
	for _, w := range words {
		if space {
			j := skipSpace(s, i)
			if j == i {
				return -1
			}
			i = j
		}
		if opt, ok := strings.CutSuffix(w, "?"); ok {
			if j := foldWord(s, i, opt); j >= 0 {
				if k := skipSpace(s, j); k > j {
					i = k
				}
			}
			space = false
			continue
		}
		j := foldWord(s, i, w)
		if j < 0 {
			return -1
		}
		i, space = j, true
	}
	return i
}

// wordBoundary reports RE2's \b at a position after a word character's
// place: the bytes either side differ in being ASCII word characters.
func wordBoundary(s string, i int) bool {
	before := i > 0 && isWordByte(s[i-1])
	after := i < len(s) && isWordByte(s[i])
	return before != after
}

func isWordByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' }

// boundedStatus finds `\b([245]\.\d{1,3}\.\d{1,3})\b` and returns its
// span, or -1. Each run of digits takes up to three, greedily; a shorter
// run leaves a digit next, which neither the dot nor \b accepts.
func boundedStatus(s string) (int, int) {
	for i := 0; i+4 < len(s); {
		k := strings.IndexByte(s[i+1:], '.')
		if k < 0 {
			break
		}
		i += k // s[i+1] is the dot
		if end := statusAt(s, i); end >= 0 && (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end])) {
			return i, end
		}
		i++
	}
	return -1, -1
}
