package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// courier reads the text of Courier MTA notices when they arrive without
// their delivery-status part: "This is a delivery status notification
// from host, running the Courier mail server", "UNDELIVERABLE MAIL" (or
// "DELAYED MAIL"), "<address>:" blocks with the remote host and the ">>>"
// / "<<<" SMTP exchange, between lines of dashes.
type courier struct{}

func init() { dsn.Register(dsn.OrderText+45, courier{}) }

func (courier) Name() string { return "courier" }

var (
	courierIntroRe = lazyre.New(`(?i)running the Courier mail server`)
	courierStartRe = lazyre.New(`(?i)^\s*(?:UNDELIVERABLE MAIL|DELAYED MAIL)\s*$|following recipients cannot be delivered:\s*$|has not yet been delivered to the following recipients:\s*$`)
	courierEndRe   = lazyre.New(`^-{20,}\s*$`)
	courierDelayRe = lazyre.New(`(?im)^\s*DELAYED MAIL\s*$`)
)

func (courier) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	if !bounceHeader(m) || !courierIntroRe.MatchString(body) {
		return nil, false
	}
	l := qmailLayout(courierStartRe, courierEndRe)
	l.EndInSection = true // dashes also stand above "UNDELIVERABLE MAIL"
	l.Cont = func(line string) bool {
		return strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") || strings.HasPrefix(line, ">>>") || strings.HasPrefix(line, "<<<")
	}
	blocks := l.Read(body)
	if len(blocks) == 0 {
		return nil, false
	}
	r := &dsn.Report{Recipients: Recipients(blocks, courierDelayRe.MatchString(body))}
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		if rc.RemoteMTA == "" {
			rc.RemoteMTA = RemoteHost(" " + rc.Diagnostic)
		}
	}
	return r, true
}
