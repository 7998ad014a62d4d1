package dsn

import (
	"strings"
	"unicode/utf8"

	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// Command is an SMTP command that a remote server rejected. RFC 5321 §4.1.1
type Command string

// SMTP commands as reported in Recipient.Command.
const (
	CmdConnect  Command = "CONN" // the greeting, before any command
	CmdHELO     Command = "HELO"
	CmdEHLO     Command = "EHLO"
	CmdSTARTTLS Command = "STARTTLS"
	CmdAUTH     Command = "AUTH"
	CmdMAIL     Command = "MAIL"
	CmdRCPT     Command = "RCPT"
	CmdDATA     Command = "DATA" // also "end of DATA"
)

// maxStatusCandidates bounds the dotted numbers FindStatus looks at.
const maxStatusCandidates = 20

// FindStatus returns the first RFC 3463 enhanced status code in text, e.g.
// "5.1.1", or "". Dotted numbers that are part of longer ones (IP
// addresses, versions) do not count.
func FindStatus(text string) string {
	for _, loc := range findStatusCodes(text, maxStatusCandidates) {
		if okBoundary(text, loc[0], loc[1]) {
			return text[loc[0]:loc[1]]
		}
	}
	return ""
}

// okBoundary reports whether text[i:j] is not glued to further digits or
// dots, as in "10.5.1.1" or "5.1.1.2".
func okBoundary(text string, i, j int) bool {
	if i > 0 {
		c := text[i-1]
		if isDigit(c) || c == '.' || isLetter(c) {
			return false
		}
	}
	if j < len(text) {
		c := text[j]
		if isDigit(c) || isLetter(c) {
			return false
		}
		if c == '.' && j+1 < len(text) && isDigit(text[j+1]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// FindReplyCode returns the SMTP reply code (RFC 5321 §4.2) in a
// diagnostic text, e.g. "550" from "smtp; 550 5.1.1 <x>: user unknown" or
// from "host mx said: 550-5.1.1 ...", or "" when the text shows none.
//
// The shapes, most telling first (scan_reply.go): a reply code followed by
// an enhanced code ("550 5.1.1", "550-5.1.1"); a reply code at the start of
// the text or after "smtp;"; a reply code after words that introduce a
// remote reply ("said:", "replied:", "<<<", "response:"); a reply code
// after a colon and followed by words ("...after RCPT TO:<a@b>: 550 No such
// user").
func FindReplyCode(text string) string {
	if !hasReplyShape(text) {
		return ""
	}
	for _, find := range []func(string) (int, int){replyEnhanced, replyStart, replyAfter, replyColon} {
		if i, j := find(text); i >= 0 {
			return text[i:j]
		}
	}
	return ""
}

// FindCommand returns the SMTP command a diagnostic text says failed
// (RCPT, MAIL, DATA, HELO, EHLO, STARTTLS, AUTH, CONN), or "": Postfix
// "(in reply to RCPT TO command)", Exim "after RCPT TO:<...>", "after end
// of data", Sendmail ">>> RCPT To:<...>" transcripts, "... while talking
// to ...: DATA", and Postfix's "lost connection with X while sending
// message body", "while performing the EHLO handshake", "while receiving
// the initial server greeting"; Exim's "after pipelined RCPT TO" (see
// findCommand).
func FindCommand(text string) Command {
	i, j := findCommand(text)
	if i < 0 {
		return ""
	}
	w := strings.ToLower(strings.Join(strings.Fields(text[i:j]), " "))
	switch {
	case strings.HasPrefix(w, "rcpt"):
		return CmdRCPT
	case strings.HasPrefix(w, "mail"):
		return CmdMAIL
	case w == "data" || strings.HasPrefix(w, "end of") || strings.HasPrefix(w, "message body"):
		return CmdDATA
	case w == "ehlo":
		return CmdEHLO
	case w == "helo":
		return CmdHELO
	case w == "starttls":
		return CmdSTARTTLS
	case w == "auth":
		return CmdAUTH
	}
	return CmdConnect
}

// addrRe matches an addr-spec (RFC 5322 §3.4.1), kept simple: local part of
// atom characters and dots, a domain with at least one dot or an address
// literal.
var addrRe = lazyre.New(`[A-Za-z0-9!#$%&'*+/=?^_{|}~.\-\x80-\x{10FFFF}]+@(?:[A-Za-z0-9\-\x80-\x{10FFFF}]+(?:\.[A-Za-z0-9\-\x80-\x{10FFFF}]+)+|\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-]+)`)

// FindAddress returns the first e-mail address in text, preferring one in
// angle brackets, lower-cased only in its domain, without brackets; or "".
func FindAddress(text string) string {
	if i := strings.IndexByte(text, '<'); i >= 0 {
		if j := strings.IndexByte(text[i:], '>'); j > 0 {
			if a := addrRe.FindString(text[i+1 : i+j]); a != "" {
				return cleanAddress(a)
			}
		}
	}
	return cleanAddress(addrRe.FindString(text))
}

// FindAddresses returns every distinct e-mail address in text, in order.
func FindAddresses(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range addrRe.FindAllString(text, 1000) {
		a = cleanAddress(a)
		if a != "" && !seen[strings.ToLower(a)] {
			seen[strings.ToLower(a)] = true
			out = append(out, a)
		}
	}
	return out
}

// cleanAddress trims quoting and punctuation glued to an address and
// lower-cases its domain.
func cleanAddress(a string) string {
	a = strings.Trim(a, ".'\"<>")
	local, domain, ok := strings.Cut(a, "@")
	if !ok || local == "" || domain == "" {
		return ""
	}
	return local + "@" + strings.ToLower(domain)
}

// CollapseSpace replaces every run of white space (including line breaks)
// with one space and trims the ends.
func CollapseSpace(s string) string {
	// One pass for ASCII text, which diagnostics mostly are (megabytes
	// long at worst); strings.Fields knows the Unicode spaces. Text that
	// needs no change (the usual case) is returned as it is.
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c-('!') < utf8.RuneSelf-'!' { // '!' <= c < utf8.RuneSelf: a byte of a word
			continue
		}
		if c >= utf8.RuneSelf {
			return strings.Join(strings.Fields(s), " ")
		}
		if c != ' ' || i == 0 || i+1 == len(s) || asciiSpace(s[i+1]) {
			break // white space to change
		}
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, i, len(s))
	copy(b, s[:i])   // ends in a word: no space is owed
	pending := false // a space is owed before the next word
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			return strings.Join(strings.Fields(s), " ")
		case asciiSpace(c):
			pending = len(b) > 0
		default:
			if pending {
				b = append(b, ' ')
				pending = false
			}
			b = append(b, c)
		}
	}
	return string(b)
}

// asciiSpace reports the ASCII white space of unicode.IsSpace.
func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// StripComments removes RFC 5322 comments "( ... )" from a structured field
// value; nesting is honoured and an unclosed comment runs to the end.
func StripComments(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && depth > 0 && i+1 < len(s):
			i++
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	return strings.TrimSpace(b.String())
}

// NestedReply returns the reply code and enhanced status code of a remote
// reply quoted inside a relay's message, when that reply comes after the
// relay's own text and its two codes agree in class; else "", "".
// The nested reply is what the recipient's server said, so it is the more
// specific one.
func NestedReply(text string) (reply, status string) {
	// The reply quoted by a relay: "<421 4.4.2 Connection timed out>" or
	// "550-'5.2.2 <a@b>... Mailbox Full'" (Amazon SES and other relays
	// that wrap the reply of the server they failed to deliver to); see
	// forEachNestedReply for the exact shapes.
	forEachNestedReply(text, func(m nestedReply) bool {
		if m.rs <= 0 || strings.TrimSpace(text[:m.rs]) == "" || strings.TrimLeft(text[:m.rs], " <'\"") == "" {
			return false // the reply opens the text: it is not nested
		}
		if text[m.rs] != text[m.ss] {
			return false
		}
		reply, status = text[m.rs:m.re], text[m.ss:m.se]
		return true
	})
	return reply, status
}
