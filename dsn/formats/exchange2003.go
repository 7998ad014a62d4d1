package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// exchange2003 reads the text bounces of Microsoft Exchange 5.5 to 2003
// (Internet Mail Service): "Your message ... did not reach the following
// recipient(s):", then "user@example.org on <date>" with the reason and
// an "MSEXCH:IMS:..." diagnostic line indented below.
type exchange2003 struct{}

func init() { dsn.Register(dsn.OrderText+32, exchange2003{}) }

func (exchange2003) Name() string { return "exchange2003" }

var (
	ex03StartRe = lazyre.New(`(?i)^\s*did not reach the following recipient\(s\):\s*$`)
	ex03AddrRe  = lazyre.New(`^\s{0,3}<?([^\s<>]+@[^\s<>]+?)>? on .+$`)
	// ex03X400Re is the recipient as an X.400 O/R address whose
	// domain-defined attribute carries the Internet address:
	// "c=US;a= ;p=Org;o=Site;dda:SMTP=user@example.com; on <date>".
	ex03X400Re = lazyre.New(`(?i)^\s{0,3}c=[^;]*;.*?\bdda:(?:SMTP|RFC-?822)=([^\s;<>]+@[^\s;<>]+?);?\s+on\s.+$`)
	// ex03DiagRe is the Internet Mail Service's own diagnostic line,
	// "MSEXCH:IMS:Org:Site:Server 0 (000C05A6) Unknown Recipient", the
	// family's mark when the header fields are gone (forwarded or
	// trimmed notices).
	ex03DiagRe = lazyre.New(`(?m)^\s*MSEXCH:[A-Z0-9]+:`)
	ex03SkipRe = lazyre.New(`(?i)^(?:The MTS-ID of the original message is:|;)`)
)

var ex03Layout = &Layout{
	Start: ex03StartRe,
	Addr: func(line string) (string, string, bool) {
		sm := ex03AddrRe.FindStringSubmatch(line)
		if sm == nil {
			sm = ex03X400Re.FindStringSubmatch(line)
		}
		if sm == nil {
			return "", "", false
		}
		return sm[1], "", true
	},
	Skip:      ex03SkipRe.MatchString,
	KeepBlank: true,
}

// isExchange2003 reports whether the header names Exchange's Internet
// Mail Service or carries Exchange's report markers.
func isExchange2003(h dsn.Header) bool {
	x := h.Get("X-Mailer") + " " + h.Get("X-MimeOLE")
	if strings.Contains(x, "Internet Mail Service") || strings.Contains(x, "Microsoft Exchange") || h.Has("X-MS-Embedded-Report") {
		return true
	}
	// Exchange 5.5's gateway stamps its own Received field: "Received: by
	// gw.example.net with Internet Mail Service (5.5.2657.72)".
	for _, v := range h.Values("Received") {
		if strings.Contains(v, "with Internet Mail Service (") {
			return true
		}
	}
	return false
}

func (exchange2003) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !bounceHeader(m) || !isExchange2003(m.Header) && !ex03DiagRe.MatchString(m.BodyText()) {
		return nil, false
	}
	blocks := ex03Layout.Read(m.BodyText())
	if len(blocks) == 0 {
		return nil, false
	}
	return &dsn.Report{Recipients: Recipients(blocks, false)}, true
}
