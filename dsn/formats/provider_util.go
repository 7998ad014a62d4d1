package formats

import (
	"strings"
	"unicode/utf8"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
	"github.com/bouncenote/bouncenote/internal/literal"
)

// Helpers shared by the provider and appliance families (gmail.go,
// yahoo.go, amazonses.go, ...). Names carry a "pv" prefix so that they
// never collide with the helpers of the Unix MTA families (common.go).

// orderProviderReport is the slot of families whose bounces are RFC 3464
// reports with a vendor quirk (the reply of the last attempt written after
// the status, a pseudo report in a text part): they are tried just before
// the standard RFC 3464 reader so that the quirk is applied. Each of them
// declines anything that is not plainly from its vendor.
const orderProviderReport = dsn.OrderRFC3464 - 5

// pvLines returns the bounce's own readable text (dsn.Message.BodyText)
// split into lines.
func pvLines(m *dsn.Message) []string {
	return strings.Split(m.BodyText(), "\n")
}

// pvLinesWith is pvLines when the body may hold a line that pvIndex finds
// with one of the prefixes, else nil (where pvIndex finds nothing): a
// cheap test (literal.MayContainLower) that spares most messages the split
// and the lower-casing of every line.
func pvLinesWith(m *dsn.Message, prefixes ...string) []string {
	body := m.BodyText()
	for _, p := range prefixes {
		if literal.MayContainLower(body, p) {
			return strings.Split(body, "\n")
		}
	}
	return nil
}

// pvFromHas reports whether the bounce's From field contains any of the
// given lower-case substrings.
func pvFromHas(m *dsn.Message, subs ...string) bool {
	from := m.LowerFrom()
	for _, s := range subs {
		if strings.Contains(from, s) {
			return true
		}
	}
	return false
}

// pvNullSender reports whether the bounce has an empty envelope sender
// (Return-Path: <>), the mark of a delivery notification. RFC 5321 §4.5.5
func pvNullSender(m *dsn.Message) bool {
	rp := strings.TrimSpace(m.Header.Get("Return-Path"))
	return rp == "<>" || rp == "<\"\">"
}

// pvBounceSignal reports whether the header marks the message as a
// notification from a mail system: a null sender or a daemon-like From.
func pvBounceSignal(m *dsn.Message) bool {
	return pvNullSender(m) || m.DaemonSender()
}

// pvIndex returns the index of the first line at or after from that
// starts (after leading white space) with any of the prefixes, compared
// case-insensitively; -1 when there is none.
func pvIndex(lines []string, from int, prefixes ...string) int {
	longest := 0
	for _, p := range prefixes {
		longest = max(longest, len(p))
	}
	for i := max(from, 0); i < len(lines); i++ {
		l := lowerHead(strings.TrimSpace(lines[i]), longest)
		for _, p := range prefixes {
			if strings.HasPrefix(l, p) {
				return i
			}
		}
	}
	return -1
}

// lowerHead returns strings.ToLower of the first n runes of s: a prefix of
// strings.ToLower(s) at least n bytes long (or all of it), since every rune
// lowers to one byte or more. Lines can be megabytes long; the prefixes
// pvIndex compares are a few words.
func lowerHead(s string, n int) string {
	i := 0
	for r := 0; r < n && i < len(s); r++ {
		_, w := utf8.DecodeRuneInString(s[i:])
		i += w
	}
	return strings.ToLower(s[:i])
}

// pvContains reports whether any line contains any of the lower-case
// phrases.
func pvContains(lines []string, phrases ...string) bool {
	for _, l := range lines {
		l = strings.ToLower(l)
		for _, p := range phrases {
			if strings.Contains(l, p) {
				return true
			}
		}
	}
	return false
}

// pvRepeatedReply matches a reply code written twice, as some relays quote
// the remote reply: "554 554 5.7.0 Header error".
var pvRepeatedReply = lazyre.New(`^([245]\d\d)[ -]([245]\d\d)([ -])`)

// pvDedupReply removes the first copy of a reply code written twice at the
// start of text.
func pvDedupReply(text string) string {
	if sm := pvRepeatedReply.FindStringSubmatch(text); sm != nil && sm[1] == sm[2] {
		return sm[2] + sm[3] + text[len(sm[0]):]
	}
	return text
}

// pvFailedRecipients returns the addresses of the X-Failed-Recipients
// fields (Exim, Gmail), in order.
func pvFailedRecipients(m *dsn.Message) []string {
	var out []string
	for _, v := range m.Header.Values("X-Failed-Recipients") {
		out = append(out, dsn.FindAddresses(v)...)
	}
	return out
}

// pvRecipients turns addresses into failed (or, when temporary, delayed)
// recipients sharing one diagnostic.
func pvRecipients(addrs []string, diag string, temporary bool) []dsn.Recipient {
	act := dsn.ActionFailed
	if temporary {
		act = dsn.ActionDelayed
	}
	out := make([]dsn.Recipient, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, dsn.Recipient{Recipient: a, Action: act, Diagnostic: diag})
	}
	return out
}

// pvStatusReport reads the delivery-status parts of m the way the standard
// reader does (the bounce's own parts, else those of a returned message,
// else text parts that hold the fields) and, for recipients whose diagnostic has no code, takes the line of the
// bounce's text that names them with one. It returns nil when there is no
// recipient. Families at orderProviderReport use it and then apply their
// quirk.
func pvStatusReport(m *dsn.Message) *dsn.Report {
	var own, inner []string
	for _, p := range m.Status {
		if p.Embedded == 0 {
			own = append(own, p.Text)
		} else {
			inner = append(inner, p.Text)
		}
	}
	if len(own) == 0 {
		own = inner
	}
	if len(own) == 0 {
		own = pvStatusInText(m)
	}
	r := &dsn.Report{}
	for _, t := range own {
		m.ReadDeliveryStatus(t, r)
	}
	if len(r.Recipients) == 0 {
		return nil
	}
	var body string
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		if dsn.FindStatus(rc.Diagnostic) != "" || dsn.FindReplyCode(rc.Diagnostic) != "" {
			continue
		}
		if body == "" {
			body = m.BodyText()
		}
		if d := dsn.DiagnosticFromText(body, rc.Recipient); d != "" {
			rc.Diagnostic = d
		}
	}
	return r
}

var (
	pvRecipientField = lazyre.New(`(?im)^(?:final|original)-recipient\s*:\s*\S+`)
	pvStatusField    = lazyre.New(`(?im)^(?:status\s*:\s*[245]\.\d{1,3}\.\d{1,3}|action\s*:\s*[a-z]+)`)
)

// pvStatusInText returns the bounce's own text parts that carry RFC 3464
// per-recipient fields (a recipient field and a Status or Action field).
// QUIRK: some vendors put the report in a text/plain part.
func pvStatusInText(m *dsn.Message) []string {
	var out []string
	for _, p := range m.Parts {
		if p.Embedded == 0 && p.IsText() && pvRecipientField.MatchString(p.Text) && pvStatusField.MatchString(p.Text) {
			out = append(out, p.Text)
		}
	}
	return out
}

// pvASCII reports whether s is plain ASCII (the English lines of notices
// that also carry Japanese text).
func pvASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// pvNonEmpty returns ss without empty strings.
func pvNonEmpty(ss []string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// pvInlineOriginal fills r.Original from the header of a returned message
// written inline after the line sep matches, when the bounce has no
// MIME-attached original (dsn.Message.Original is then nil). QUIRK: some
// providers (Yahoo's X-YMail-OSG) wrap long header values without
// indentation; such lines are read as continuations.
func pvInlineOriginal(r *dsn.Report, m *dsn.Message, sep *lazyre.Regexp) {
	if m.Original != nil || r == nil {
		return
	}
	text := m.BodyText()
	loc := sep.FindStringIndex(text)
	if loc == nil {
		return
	}
	rest := text[loc[1]:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[i+1:]
	}
	var hdr []string
	for _, l := range strings.Split(strings.TrimLeft(rest, "\n"), "\n") {
		if strings.TrimSpace(l) == "" {
			break
		}
		if !pvFieldLine.MatchString(l) && l[0] != ' ' && l[0] != '\t' {
			l = " " + l
		}
		hdr = append(hdr, l)
	}
	h := dsn.ParseHeaderText(strings.Join(hdr, "\n") + "\n\n")
	if len(h.Fields) == 0 {
		return
	}
	r.Original = dsn.Original{MessageID: h.Get("Message-ID"), Subject: h.Get("Subject"), From: h.Get("From"), To: h.Get("To")}
}

// pvFieldLine matches the start of a header field line. RFC 5322 §2.2
var pvFieldLine = lazyre.New(`^[!-9;-~]+:`)

// pvDefaultStatuses gives the recipients whose reason the layout stated,
// and whose text carries no code at all, the standard status for that
// reason (dsn.DefaultStatus; class 4 for delayed recipients).
func pvDefaultStatuses(r *dsn.Report) {
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		if rc.Reason == "" || rc.Status != "" || rc.ReplyCode != "" {
			continue
		}
		if dsn.FindStatus(rc.Diagnostic) != "" || dsn.FindReplyCode(rc.Diagnostic) != "" {
			continue
		}
		rc.Status = dsn.DefaultStatus(rc.Reason, rc.Action == dsn.ActionDelayed)
	}
}
