package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// notes reads the bounces of the Lotus Notes SMTP MTA: "------- Failure
// Reasons --------", the reason (often in the sender's language), the
// failed address, then "------- Returned Message --------".
type notes struct{}

func init() { dsn.Register(dsn.OrderText+36, notes{}) }

func (notes) Name() string { return "notes" }

var (
	notesStartRe = lazyre.New(`(?m)^-{3,} Failure Reasons\s+-{3,}\s*$`)
	notesEndRe   = lazyre.New(`(?m)^-{3,} Returned Message\s+-{3,}\s*$`)
	notesAddrRe  = lazyre.New(`^<?([^\s<>]+@[^\s<>]+?)>?$`)
)

func (notes) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !bounceHeader(m) {
		return nil, false
	}
	body := m.BodyText()
	s, e := notesStartRe.FindStringIndex(body), notesEndRe.FindStringIndex(body)
	if s == nil || e == nil || e[0] < s[1] {
		return nil, false
	}
	var reason []string
	r := &dsn.Report{}
	for _, l := range strings.Split(body[s[1]:e[0]], "\n") {
		l = strings.TrimSpace(l)
		switch sm := notesAddrRe.FindStringSubmatch(l); {
		case l == "":
		case sm != nil:
			if len(r.Recipients) < maxBlocks {
				r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: sm[1], Action: dsn.ActionFailed, Diagnostic: strings.Join(reason, " ")})
			}
			reason = nil
		default:
			reason = append(reason, l)
		}
	}
	return r, len(r.Recipients) > 0
}
