package formats

import (
	"regexp"
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
)

// exchange2003 reads the non-delivery reports of Microsoft Exchange 5.5 to
// 2003 (the Internet Mail Service / Internet Mail Connector):
//
//	Your message
//
//	  To:      user@example.com
//	  Subject: Nyaan
//	  Sent:    Thu, 9 May 2005 23:34:45 +0900
//
//	did not reach the following recipient(s):
//
//	user@example.com on Thu, 9 May 2005 23:34:45 +0900
//	    The recipient name is not recognized
//	    The MTS-ID of the original message is: c=jp;a= ;p=example;l=...
//	    MSEXCH:IMS:ORG:SITE:SERVER 0 (000C05A6) Unknown Recipient
//
// The hexadecimal code in parentheses is Exchange's own error code.
type exchange2003 struct{}

func init() { dsn.Register(dsn.OrderText+20, exchange2003{}) }

func (exchange2003) Name() string { return "exchange2003" }

var (
	exch2003RcptRe = regexp.MustCompile(`^\s*(?:.*\b(?:SMTP|smtp)=)?([^\s@]+@[^\s@]+) on\s.*$`)
	exch2003CodeRe = regexp.MustCompile(`MSEXCH:.*\(([0-9A-Fa-f]{8})\)\s*(.*)$`)
)

const exch2003Start = "did not reach the following recipient(s):"

// exch2003Codes are Exchange's error codes that state the reason.
var exch2003Codes = map[string]string{
	"000C05A6": "userunknown",   // Unknown Recipient
	"000C0595": "filtered",      // Ambiguous Recipient
	"00010256": "systemerror",   // Too many recipients
	"000D06B5": "systemerror",   // No proxy for recipient
	"00120270": "networkerror",  // Too Many Hops
	"00050311": "contenterror",  // Conversion to Internet format failed
	"000502CC": "contenterror",  // Conversion to Internet format failed
	"000B0981": "securityerror", // 502 Server does not support AUTH
}

func (exchange2003) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !exch2003Marked(m) {
		return nil, false
	}
	lines := pvLines(m)
	start := pvIndex(lines, 0, exch2003Start)
	if start < 0 {
		return nil, false
	}
	r := &dsn.Report{}
	var text []string
	flush := func() {
		if n := len(r.Recipients); n > 0 {
			exch2003Fill(&r.Recipients[n-1], text)
		}
		text = nil
	}
	for _, l := range lines[start+1:] {
		if sm := exch2003RcptRe.FindStringSubmatch(l); sm != nil && !strings.HasPrefix(l, "    ") {
			flush()
			r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: sm[1], Action: dsn.ActionFailed})
			continue
		}
		if t := strings.TrimSpace(l); t != "" && len(r.Recipients) > 0 {
			text = append(text, t)
		}
	}
	flush()
	return r, len(r.Recipients) > 0
}

// exch2003Marked reports whether the header is Exchange 5.5-2003's.
func exch2003Marked(m *dsn.Message) bool {
	if m.Header.Has("X-MS-Embedded-Report") {
		return true
	}
	xm := m.Header.Get("X-Mailer")
	if strings.HasPrefix(xm, "Internet Mail Service (") || strings.HasPrefix(xm, "Microsoft Exchange Server Internet Mail Connector") {
		return true
	}
	if strings.HasPrefix(m.Header.Get("X-MimeOLE"), "Produced By Microsoft Exchange") {
		return true
	}
	for _, rcv := range m.Header.Values("Received") {
		if strings.Contains(rcv, " with Internet Mail Service (") {
			return true
		}
	}
	return false
}

// exch2003Fill sets the diagnostic (Exchange's sentence and error text,
// without the MTS-ID line) and the reason its error code states.
func exch2003Fill(rc *dsn.Recipient, lines []string) {
	var keep []string
	for _, l := range lines {
		if sm := exch2003CodeRe.FindStringSubmatch(l); sm != nil {
			rc.Reason = exch2003Codes[strings.ToUpper(sm[1])]
			keep = append(keep, sm[2])
			continue
		}
		if strings.HasPrefix(l, "The MTS-ID of the original message") || strings.HasPrefix(l, ";") {
			continue
		}
		keep = append(keep, l)
	}
	rc.Diagnostic = strings.Join(keep, " ")
}
