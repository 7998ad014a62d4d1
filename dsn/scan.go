package dsn

import "strings"

// Hand-written scanners for the code shapes the classifier and Finish look
// for in every diagnostic text. Each does what one regexp did (quoted
// beside it, and kept in scan_test.go, which compares the two), in one pass
// over the bytes: Go's regexp engine runs these patterns, which have no
// literal to skip ahead to, at a few MB/s, and diagnostic texts can be
// megabytes long.

// isSpaceRE reports the bytes of RE2's \s: [\t\n\f\r ].
func isSpaceRE(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

func isClassDigit(c byte) bool { return c == '2' || c == '4' || c == '5' }

// digits returns the end of the run of 1 to 3 digits at i, or -1.
func digits(s string, i int) int {
	j := i
	for j < len(s) && j-i < 3 && isDigit(s[j]) {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// statusAt returns the end of `[245]\.\d{1,3}\.\d{1,3}` at i, or -1. (Each
// run of digits takes up to three, greedily; a shorter run cannot be
// followed by the dot or space the pattern needs, so no backtracking
// would find another match.)
func statusAt(s string, i int) int {
	if i+1 >= len(s) || !isClassDigit(s[i]) || s[i+1] != '.' {
		return -1
	}
	j := digits(s, i+2)
	if j < 0 || j >= len(s) || s[j] != '.' {
		return -1
	}
	return digits(s, j+1)
}

// replyAt returns the end of `[245]\d\d` at i, or -1; tight restricts the
// second digit to [0-5].
func replyAt(s string, i int, tight bool) int {
	if i+2 >= len(s) || !isClassDigit(s[i]) || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
		return -1
	}
	if tight && s[i+1] > '5' {
		return -1
	}
	return i + 3
}

// findStatusCodes returns the spans of up to n non-overlapping matches of
// `([245])\.(\d{1,3})\.(\d{1,3})`, leftmost first.
func findStatusCodes(s string, n int) [][2]int {
	var out [][2]int
	for i := 0; i+4 < len(s) && len(out) < n; {
		// The pattern starts with a class digit followed by a dot.
		k := strings.IndexByte(s[i+1:], '.')
		if k < 0 {
			break
		}
		i += k // s[i+1] is the dot
		if end := statusAt(s, i); end >= 0 {
			out = append(out, [2]int{i, end})
			i = end
			continue
		}
		i++
	}
	return out
}

// replaceContinuations replaces each match of
// `(?:^|\s)[245]\d\d-(?:[245]\.\d{1,3}\.\d{1,3}\s)?` (the "550-5.7.1 "
// prefixes of the continuation lines of a multi-line reply) with a space.
func replaceContinuations(s string) string {
	var b strings.Builder
	last := 0 // end of the last match: the next starts there or later
	for a := 0; a < len(s); a++ {
		var core int
		switch {
		case a == 0 && continuationAt(s, 0) >= 0:
			core = 0 // ^ is tried before \s
		case isSpaceRE(s[a]):
			core = a + 1
		default:
			continue
		}
		end := continuationAt(s, core)
		if end < 0 {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:a])
		b.WriteByte(' ')
		last = end
		a = end - 1
	}
	if last == 0 && b.Len() == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// continuationAt returns the end of `[245]\d\d-(?:[245]\.\d{1,3}\.\d{1,3}\s)?`
// at i, or -1.
func continuationAt(s string, i int) int {
	end := replyAt(s, i, false)
	if end < 0 || end >= len(s) || s[end] != '-' {
		return -1
	}
	end++
	if st := statusAt(s, end); st >= 0 && st < len(s) && isSpaceRE(s[st]) {
		return st + 1
	}
	return end
}

// collapseSpaceRE replaces every run of \s ([\t\n\f\r ]) with one space.
func collapseSpaceRE(s string) string {
	i := 0
	for ; i < len(s); i++ { // leave s alone when it has nothing to change
		if isSpaceRE(s[i]) && (s[i] != ' ' || i+1 < len(s) && isSpaceRE(s[i+1])) {
			break
		}
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for i < len(s) {
		if !isSpaceRE(s[i]) {
			b = append(b, s[i])
			i++
			continue
		}
		b = append(b, ' ')
		for i < len(s) && isSpaceRE(s[i]) {
			i++
		}
	}
	return string(b)
}

// nestedReply is one match of the quoted-reply pattern of NestedReply:
// the spans of its reply code and enhanced status code.
type nestedReply struct {
	rs, re, ss, se int
}

// forEachNestedReply calls fn for every non-overlapping match, leftmost
// first, of
//
//	(?:<|'|")([245][0-5]\d)[ -]'?([245]\.\d{1,3}\.\d{1,3})\s|(?:^|[^\d.])([245][0-5]\d)-'([245]\.\d{1,3}\.\d{1,3})\s
//
// until fn returns true. A match's reply code is at q; the byte before it
// (the rune before it, as the regexp sees it: any byte that is not an
// ASCII digit or dot ends a rune that is neither) belongs to the match, so
// a match after another one starts one byte after its end at the earliest.
//
// Every match has the dot of its status code 5 or 6 bytes after its reply
// code, so only the places before a dot are tried, in order.
func forEachNestedReply(s string, fn func(nestedReply) bool) {
	last := 0
	next := 0 // the next reply code position to try
	for d := 0; ; d++ {
		k := strings.IndexByte(s[d:], '.')
		if k < 0 {
			return
		}
		d += k
		for q := max(next, d-6); q <= d-5; q++ {
			next = q + 1
			if q+3 >= len(s) || !isClassDigit(s[q]) || q > 0 && q-1 < last {
				continue
			}
			m, end := nestedAt(s, q)
			if end < 0 {
				continue
			}
			if fn(m) {
				return
			}
			last, next = end, end
		}
	}
}

// nestedAt tries both alternatives of the nested-reply pattern with the
// reply code at q (the first alternative first) and returns the match and
// its end, or -1.
func nestedAt(s string, q int) (nestedReply, int) {
	re := replyAt(s, q, true)
	if re < 0 || re >= len(s) {
		return nestedReply{}, -1
	}
	if q > 0 && (s[q-1] == '<' || s[q-1] == '\'' || s[q-1] == '"') && (s[re] == ' ' || s[re] == '-') {
		ss := re + 1
		if ss < len(s) && s[ss] == '\'' && statusAt(s, ss+1) >= 0 {
			ss++ // '? is greedy
		}
		if se := statusAt(s, ss); se >= 0 && se < len(s) && isSpaceRE(s[se]) {
			return nestedReply{q, re, ss, se}, se + 1
		}
	}
	if q > 0 && (isDigit(s[q-1]) || s[q-1] == '.') {
		return nestedReply{}, -1
	}
	if re+1 < len(s) && s[re] == '-' && s[re+1] == '\'' {
		ss := re + 2
		if se := statusAt(s, ss); se >= 0 && se < len(s) && isSpaceRE(s[se]) {
			return nestedReply{q, re, ss, se}, se + 1
		}
	}
	return nestedReply{}, -1
}
