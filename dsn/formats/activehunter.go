package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// activehunter reads the bounces of Active!hunter (a Japanese mail
// filter appliance): a Sendmail-like text, "----- The following addresses
// had permanent fatal errors -----", ">>> user@example.org
// <user@example.org>", "----- Transcript of session follows -----" and
// the reply, in a multipart/report without a delivery-status part.
type activehunter struct{}

func init() { dsn.Register(dsn.OrderText+5, activehunter{}) }

func (activehunter) Name() string { return "activehunter" }

var (
	ahAddrRe  = lazyre.New(`^>>> ([^\s<>]+@[^\s<>]+)(?:\s+<[^<>]*>)?$`)
	ahReplyRe = lazyre.New(`(?m)^\s*([245]\d\d[ -].+)$`)
)

func (activehunter) Parse(m *dsn.Message) (*dsn.Report, bool) {
	_, params := m.ContentType()
	if !bounceHeader(m) || !(m.Header.Has("X-AHMAILID") || strings.Contains(params["boundary"], "Active!Hunter")) {
		return nil, false
	}
	body := m.BodyText()
	r := &dsn.Report{}
	var diag string
	if i := strings.Index(body, "Transcript of session follows"); i >= 0 {
		if sm := ahReplyRe.FindStringSubmatch(body[i:]); sm != nil {
			diag = sm[1]
		}
	}
	for _, line := range strings.Split(body, "\n") {
		if sm := ahAddrRe.FindStringSubmatch(strings.TrimSpace(line)); sm != nil && len(r.Recipients) < maxBlocks {
			r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: sm[1], Action: dsn.ActionFailed, Diagnostic: diag})
		}
	}
	return r, len(r.Recipients) > 0
}
