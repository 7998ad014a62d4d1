package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// mailmarshal reads the bounces of Trustwave MailMarshal SMTP: "Your
// message: From: ... Subject: ...", "Could not be delivered because of",
// the reason, "The following recipients were affected:", the addresses,
// then "Additional Information" with Remote-MTA and Reporting-MTA.
type mailmarshal struct{}

func init() { dsn.Register(dsn.OrderText+39, mailmarshal{}) }

func (mailmarshal) Name() string { return "mailmarshal" }

var (
	mmBecauseRe  = lazyre.New(`(?im)^\s*Could not be delivered because of\s*$`)
	mmAffectedRe = lazyre.New(`(?im)^\s*The following recipients were affected:\s*$`)
	mmInfoRe     = lazyre.New(`(?im)^\s*Additional Information\s*$`)
	mmRemoteRe   = lazyre.New(`(?im)^\s*Remote-MTA:\s*<?([^<>\s]+)>?`)
	mmReportRe   = lazyre.New(`(?im)^\s*Reporting-MTA:\s*<?([^<>\s]+)>?`)
)

func (mailmarshal) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !bounceHeader(m) {
		return nil, false
	}
	body := m.BodyText()
	b, a := mmBecauseRe.FindStringIndex(body), mmAffectedRe.FindStringIndex(body)
	if b == nil || a == nil || a[0] < b[1] {
		return nil, false
	}
	list := body[a[1]:]
	if i := mmInfoRe.FindStringIndex(list); i != nil {
		list = list[:i[0]]
	}
	r := &dsn.Report{}
	if sm := mmReportRe.FindStringSubmatch(body); sm != nil {
		r.ReportingMTA = sm[1]
	}
	diag := strings.TrimSpace(dsn.CollapseSpace(body[b[1]:a[0]]))
	for _, addr := range dsn.FindAddresses(list) {
		if len(r.Recipients) >= maxBlocks {
			break
		}
		rc := dsn.Recipient{Recipient: addr, Action: dsn.ActionFailed, Diagnostic: diag}
		if sm := mmRemoteRe.FindStringSubmatch(body); sm != nil {
			rc.RemoteMTA = sm[1]
		}
		r.Recipients = append(r.Recipients, rc)
	}
	return r, len(r.Recipients) > 0
}
