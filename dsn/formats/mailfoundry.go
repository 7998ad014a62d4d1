package formats

import (
	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// mailfoundry reads the bounces of the MailFoundry appliance: "Unable to
// deliver message to: <user@example.org>", "Delivery failed for the
// following reason:", the reason, and "This has been a permanent failure.".
type mailfoundry struct{}

func init() { dsn.Register(dsn.OrderText+38, mailfoundry{}) }

func (mailfoundry) Name() string { return "mailfoundry" }

var (
	mfAddrRe = lazyre.New(`(?i)^Unable to deliver message to: <([^\s<>]+@[^\s<>]+)>$`)
	mfSkipRe = lazyre.New(`(?i)^Delivery failed for the following reason:$`)
	mfEndRe  = lazyre.New(`(?i)^This has been a (?:permanent|temporary) failure|^-{2,}`)
)

var mfLayout = &Layout{
	End: mfEndRe,
	Addr: func(line string) (string, string, bool) {
		sm := mfAddrRe.FindStringSubmatch(line)
		if sm == nil {
			return "", "", false
		}
		return sm[1], "", true
	},
	Skip:      mfSkipRe.MatchString,
	KeepBlank: true,
}

func (mailfoundry) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	if !bounceHeader(m) || firstMatchLine(body, mfSkipRe) == "" {
		return nil, false
	}
	blocks := mfLayout.Read(body)
	if len(blocks) == 0 {
		return nil, false
	}
	return &dsn.Report{Recipients: Recipients(blocks, false)}, true
}
