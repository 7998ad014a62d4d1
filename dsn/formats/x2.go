package formats

import (
	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// x2 reads the qmail-derived bounces of an unnamed MTA (Yahoo! Japan and
// ISPs): "Message from example.jp.", "Unable to deliver message to the
// following address(es).", "<address>:" paragraphs, then "--- Original
// message follows.".
type x2 struct{}

func init() { dsn.Register(dsn.OrderText+42, x2{}) }

func (x2) Name() string { return "x2" }

var x2StartRe = lazyre.New(`(?i)^Unable to deliver message to the following address\(es\)\.?$`)

func (x2) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	if !bounceHeader(m) || firstMatchLine(body, x2StartRe) == "" {
		return nil, false
	}
	return qmailLikeReport(body, x2StartRe)
}
