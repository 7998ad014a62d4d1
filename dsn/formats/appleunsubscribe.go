package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
)

// appleUnsubscribe reads the unsubscribe requests that Apple Mail (macOS,
// iOS) sends on the user's behalf to a list's List-Unsubscribe mailto:
// address. They carry "X-Apple-Unsubscribe: true" and
// "Auto-Submitted: auto-replied", so without this reader they would pass
// for auto-replies; they are opt-out feedback (RFC 5965 §7.3 "opt-out")
// from the address in From.
type appleUnsubscribe struct{}

func init() { dsn.Register(dsn.OrderEarly, appleUnsubscribe{}) }

func (appleUnsubscribe) Name() string { return "apple-unsubscribe" }

// feedbackOptOut is the RFC 5965 feedback type of an unsubscribe request.
const feedbackOptOut = "opt-out"

func (appleUnsubscribe) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !strings.EqualFold(strings.TrimSpace(m.Header.Get("X-Apple-Unsubscribe")), "true") || len(m.Status) > 0 {
		return nil, false
	}
	a := dsn.FindAddress(m.From())
	if a == "" {
		return nil, false
	}
	return &dsn.Report{
		Kind:         dsn.KindFeedback,
		FeedbackType: feedbackOptOut,
		Recipients:   []dsn.Recipient{{Recipient: a, Diagnostic: feedbackOptOut}},
	}, true
}
