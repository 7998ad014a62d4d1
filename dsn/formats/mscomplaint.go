package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// msComplaint reads the complaint (feedback loop) reports of Microsoft's
// consumer mail (Hotmail, MSN, Live, Outlook.com Junk Mail Reporting
// Program), which predate RFC 5965: a multipart/mixed message titled
// "complaint about message from <IP>" whose only part is the reported
// message, with the complaining recipient in its X-HmXmrOriginalRecipient
// field.
type msComplaint struct{}

func init() { dsn.Register(dsn.OrderEarly, msComplaint{}) }

func (msComplaint) Name() string { return "microsoft-complaint" }

// msComplaintSubjectRe is the fixed subject: "complaint about message from
// 192.0.2.1". QUIRK: forwarded and published reports often mask the last
// octets ("192.0.2.xxx"), so any dotted token is accepted.
var msComplaintSubjectRe = lazyre.New(`(?i)^\s*complaint about message from [0-9a-z]{1,3}(?:\.[0-9a-z*]{1,3}){3}\s*$`)

// msOriginalRecipient is the field Microsoft adds to the reported message.
const msOriginalRecipient = "X-HmXmrOriginalRecipient"

func (msComplaint) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if len(m.Status) > 0 || m.Original == nil || !msComplaintSubjectRe.MatchString(m.Subject()) {
		return nil, false
	}
	if ct, _ := m.ContentType(); ct != "multipart/mixed" || !hasReturnedMessage(m) {
		return nil, false
	}
	a := dsn.FindAddress(m.Original.Get(msOriginalRecipient))
	if a == "" {
		return nil, false
	}
	const abuse = "abuse" // RFC 5965 §7.3 feedback type; Microsoft's reports are all complaints
	return &dsn.Report{
		Kind:         dsn.KindFeedback,
		FeedbackType: abuse,
		Recipients:   []dsn.Recipient{{Recipient: a, Diagnostic: abuse}},
	}, true
}

// hasReturnedMessage reports whether the bounce itself carries a
// message/rfc822 part.
func hasReturnedMessage(m *dsn.Message) bool {
	for _, p := range m.Parts {
		if p.Embedded == 0 && strings.EqualFold(p.ContentType, dsn.TypeRFC822) {
			return true
		}
	}
	return false
}
