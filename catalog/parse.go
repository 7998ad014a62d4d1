package catalog

import "strings"

// maxSubject is the highest subject digit RFC 3463 §3 defines (7, security).
const maxSubject = '7'

// ParseLine takes codes out of a diagnostic line such as
// "550-5.1.1 The email account ... does not exist",
// "smtp; 550 5.1.1 <a@b>... User unknown" or a bare "4.4.7".
//
// The status is the first enhanced status code (RFC 3463 §2, subject 0 to 7) standing on its
// own, not part of an IP address or version number; a failure class (4 or
// 5) is preferred to a success class (2). The reply code (RFC 5321 §4.2) is
// the one just before that status ("550 5.1.1", "550-5.1.1", "550 #5.1.1"),
// else the first three-digit code that begins the line or follows a
// separator such as "smtp;", "said:" or a quote. Text is the whole line,
// trimmed, so that matching sees everything.
func ParseLine(s string) Query {
	q := Query{Text: strings.TrimSpace(s)}
	status, pos := findStatus(q.Text)
	q.Status = status
	if pos >= 0 {
		q.ReplyCode = replyBefore(q.Text, pos)
	}
	if q.ReplyCode == "" {
		q.ReplyCode = findReply(q.Text)
	}
	return q
}

// findStatus returns the first failure status in s (or the first success
// status when there is none) and its offset, or "", -1.
func findStatus(s string) (string, int) {
	first, firstPos := "", -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '2' && c != '4' && c != '5' {
			continue
		}
		if i > 0 && !statusLeft(s[i-1]) {
			continue
		}
		n := statusLen(s[i:])
		if n == 0 {
			continue
		}
		if c != '2' {
			return s[i : i+n], i
		}
		if firstPos < 0 {
			first, firstPos = s[i:i+n], i
		}
		i += n - 1
	}
	return first, firstPos
}

// statusLeft reports whether b may stand just before a status code.
func statusLeft(b byte) bool {
	return !isAlnum(b) && b != '.' && b != '_'
}

// statusLen returns the length of the status code s begins with, or 0:
// d.d.ddd followed by a boundary (not a digit, letter or ".digit").
func statusLen(s string) int {
	if len(s) < 5 || s[1] != '.' {
		return 0
	}
	// QUIRK: in free text only the subjects RFC 3463 defines (0 to 7) are
	// taken, so that version numbers such as "Postfix 2.11.3" are not.
	if s[2] < '0' || s[2] > maxSubject {
		return 0
	}
	i := 3
	if s[i] != '.' {
		return 0
	}
	i++
	n := digitsAt(s, i)
	if n == 0 || n > maxStatusDigits {
		return 0
	}
	i += n
	if i < len(s) {
		b := s[i]
		if isAlnum(b) || b == '_' || (b == '.' && i+1 < len(s) && isDigit(s[i+1])) {
			return 0
		}
	}
	return i
}

func digitsAt(s string, i int) int {
	n := 0
	for i+n < len(s) && isDigit(s[i+n]) {
		n++
	}
	return n
}

// replyBefore returns the reply code just before offset pos ("550 5.1.1",
// "550-5.1.1", "550 #5.1.1"), or "".
func replyBefore(s string, pos int) string {
	k := pos
	if k > 0 && s[k-1] == '#' {
		k--
	}
	seps := 0
	for k > 0 && (s[k-1] == ' ' || s[k-1] == '\t' || s[k-1] == '-') && seps < 4 {
		k--
		seps++
	}
	if seps == 0 || k < replyCodeLen {
		return ""
	}
	code := s[k-replyCodeLen : k]
	if !isReplyCode(code) {
		return ""
	}
	if k > replyCodeLen && isAlnum(s[k-replyCodeLen-1]) {
		return ""
	}
	return code
}

// findReply returns the first reply code that begins s or follows a
// separator (";", ":", a quote, "#", "(", "<", "[", "="), and is followed by
// a space, "-", a quote, ")" or the end; or "".
func findReply(s string) string {
	for i := 0; i+replyCodeLen <= len(s); i++ {
		code := s[i : i+replyCodeLen]
		if !isReplyCode(code) {
			continue
		}
		if i > 0 && (isAlnum(s[i-1]) || s[i-1] == '.') {
			continue
		}
		if j := i + replyCodeLen; j < len(s) && !strings.ContainsRune(" \t-'\")", rune(s[j])) {
			continue
		}
		if replySeparated(s[:i]) {
			return code
		}
	}
	return ""
}

// replySeparated reports whether the text before a candidate reply code
// ends at a separator (or is empty).
func replySeparated(before string) bool {
	b := strings.TrimRight(before, " \t")
	if b == "" {
		return true
	}
	return strings.ContainsRune(";:'\"#(<[=>", rune(b[len(b)-1]))
}

func isReplyCode(s string) bool {
	return len(s) == replyCodeLen && s[0] >= '2' && s[0] <= '5' && isDigit(s[1]) && isDigit(s[2])
}

func isAlnum(b byte) bool {
	return isDigit(b) || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

// IsStatusCode reports whether s is an enhanced status code (RFC 3463 §2):
// class 2, 4 or 5, subject and detail of one to three digits.
func IsStatusCode(s string) bool {
	// parseStatus without its copies: CleanReply asks this of every word.
	s = strings.TrimSpace(s)
	if len(s) < len("5.1.1") || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.' {
		return false
	}
	subject, detail, ok := strings.Cut(s[2:], ".")
	return ok && statusNumber(subject) && statusNumber(detail)
}

// statusNumber reports a subject or detail of an enhanced status code:
// one to three digits. RFC 3463 §2
func statusNumber(s string) bool {
	return len(s) >= 1 && len(s) <= maxStatusDigits && allDigits(s)
}

// IsReplyCode reports whether s is a three-digit reply code from 200 to 599
// (RFC 5321 §4.2).
func IsReplyCode(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) == replyCodeLen && s[0] >= '2' && s[0] <= '5' && isDigit(s[1]) && isDigit(s[2])
}
