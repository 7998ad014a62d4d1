package formats

import (
	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// domino reads the text bounces of IBM/HCL Domino: "Your message\n
// Subject: ...\nwas not delivered to:\n  user@example.org\nbecause:\n
// reason" (subject "DELIVERY FAILURE: ..." or "DELIVERY_FAILURE: ...").
type domino struct{}

func init() { dsn.Register(dsn.OrderText+35, domino{}) }

func (domino) Name() string { return "domino" }

var (
	dominoSubjectRe = lazyre.New(`(?i)^DELIVERY[ _]FAILURE:`)
	dominoToRe      = lazyre.New(`(?im)^\s*was not delivered to:\s*$`)
	dominoBecauseRe = lazyre.New(`(?im)^\s*because:\s*$`)
)

func (domino) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !dominoSubjectRe.MatchString(m.Subject()) && !bounceHeader(m) {
		return nil, false
	}
	body := m.BodyText()
	to, because := dominoToRe.FindStringIndex(body), dominoBecauseRe.FindStringIndex(body)
	if to == nil || because == nil || because[0] < to[1] {
		return nil, false
	}
	diag := paragraph(body[because[1]:])
	r := &dsn.Report{}
	for _, a := range dsn.FindAddresses(body[to[1]:because[0]]) {
		if len(r.Recipients) < maxBlocks {
			r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: a, Action: dsn.ActionFailed, Diagnostic: diag})
		}
	}
	return r, len(r.Recipients) > 0
}
