package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// biglobe reads the bounces of BIGLOBE (biglobe.ne.jp): "----- The
// following addresses had delivery problems -----", the addresses, then
// "----- Non-delivered information -----" and the reason for all of them.
type biglobe struct{}

func init() { dsn.Register(dsn.OrderText+25, biglobe{}) }

func (biglobe) Name() string { return "biglobe" }

var (
	bgStartRe = lazyre.New(`(?m)^\s*-{3,} The following addresses had delivery problems -{3,}\s*$`)
	bgInfoRe  = lazyre.New(`(?m)^\s*-{3,} Non-delivered information -{3,}\s*$`)
	bgFromRe  = lazyre.New(`(?i)@(?:[a-z0-9-]+\.)*biglobe\.ne\.jp>?$`)
)

func (biglobe) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !bounceHeader(m) || !bgFromRe.MatchString(strings.TrimSpace(m.From())) {
		return nil, false
	}
	body := m.BodyText()
	s, info := bgStartRe.FindStringIndex(body), bgInfoRe.FindStringIndex(body)
	if s == nil || info == nil || info[0] < s[1] {
		return nil, false
	}
	addrs := dsn.FindAddresses(body[s[1]:info[0]])
	diag := paragraph(body[info[1]:])
	r := &dsn.Report{}
	for _, a := range addrs {
		if len(r.Recipients) < maxBlocks {
			r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: a, Action: dsn.ActionFailed, Diagnostic: diag})
		}
	}
	return r, len(r.Recipients) > 0
}

// paragraph returns the first paragraph of text (up to a blank line after
// some text), white space collapsed.
func paragraph(text string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			if len(out) > 0 {
				break
			}
			continue
		}
		if len(out) < 50 {
			out = append(out, l)
		}
	}
	return strings.Join(out, " ")
}
