package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// dovecot reads the rejections that Dovecot's delivery agents (LDA, LMTP)
// and Pigeonhole Sieve's "reject" send as an RFC 8098 disposition
// notification of disposition "deleted" (dsn.IsMDNRejection): "Your
// message to <user@example.org> was automatically rejected:" followed by
// the reason ("Quota exceeded"), the recipient in Final-Recipient.
type dovecot struct{}

func init() { dsn.Register(dsn.OrderText+5, dovecot{}) }

func (dovecot) Name() string { return "dovecot" }

var (
	// dcRejectRe is the notice's sentence, reason on the same line or
	// the next ones.
	dcRejectRe = lazyre.New(`(?is)message to <?([^\s<>]+@[^\s<>]+?)>? was automatically rejected:?\s*(.*)`)
	// dcFinalRe is the RFC 8098 §3.2.4 Final-Recipient field.
	dcFinalRe = lazyre.New(`(?im)^Final-Recipient:\s*(?:rfc822;)?\s*<?([^\s<>]+@[^\s<>]+?)>?\s*$`)
)

func (dovecot) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !dsn.IsMDNRejection(m) {
		return nil, false
	}
	var addr, reason string
	for _, p := range m.Parts {
		if p.Embedded != 0 {
			continue
		}
		if sm := dcFinalRe.FindStringSubmatch(p.Text); sm != nil && strings.HasSuffix(p.ContentType, "disposition-notification") {
			addr = sm[1]
		} else if sm := dcRejectRe.FindStringSubmatch(p.Text); sm != nil && p.IsText() && reason == "" {
			reason = dsn.CollapseSpace(firstParagraph(sm[2]))
			if addr == "" {
				addr = sm[1]
			}
		}
	}
	if addr == "" {
		return nil, false
	}
	return &dsn.Report{Recipients: []dsn.Recipient{{Recipient: addr, Action: dsn.ActionFailed, Diagnostic: reason}}}, true
}

// firstParagraph returns s up to its first blank line.
func firstParagraph(s string) string {
	s = strings.TrimLeft(s, "\n")
	if i := strings.Index(s, "\n\n"); i >= 0 {
		return s[:i]
	}
	return s
}
