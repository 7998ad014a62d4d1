package formats

import (
	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// x4 reads the bounces of qmail installations whose greeting was
// replaced (vpopmail/ISP builds): "Your mail message to the following
// address(es) could not be delivered.", "<address>:" paragraphs (often
// "child status 100...reason"), then "--- Below this line is a copy of the
// message.".
type x4 struct{}

func init() { dsn.Register(dsn.OrderText+44, x4{}) }

func (x4) Name() string { return "x4" }

var x4StartRe = lazyre.New(`(?i)^Your (?:mail )?message to the following (?:address\(es\)|recipients?) could not be delivered|^Hi\. This is the (?:mail transport agent|Mail Delivery System) at `)

func (x4) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	if !bounceHeader(m) || firstMatchLine(body, x4StartRe) == "" || firstMatchLine(body, qmailEndRe) == "" {
		return nil, false
	}
	return qmailLikeReport(body, x4StartRe)
}
