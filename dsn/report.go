// Package dsn reads delivery status notifications (RFC 3464, RFC 6522,
// RFC 6533) and the plain-text bounces of common mail systems into a Report.
package dsn

import (
	"errors"

	"github.com/bouncenote/bouncenote/entity"
)

// Kind says what sort of message a Report describes.
type Kind string

const (
	KindFailure   Kind = "failure"    // at least one recipient failed
	KindDelay     Kind = "delay"      // only delays
	KindSuccess   Kind = "success"    // delivered, relayed or expanded
	KindAutoReply Kind = "auto-reply" // RFC 3834 auto-replies, out-of-office
	KindFeedback  Kind = "feedback"   // RFC 5965 ARF feedback report
	KindNone      Kind = "none"       // ordinary mail, read receipts, everything else
)

// Action is the per-recipient Action field. RFC 3464 §2.3.3
type Action string

const (
	ActionFailed    Action = "failed"
	ActionDelayed   Action = "delayed"
	ActionDelivered Action = "delivered"
	ActionRelayed   Action = "relayed"
	ActionExpanded  Action = "expanded"
)

// Report is what Parse finds in one message.
type Report struct {
	Kind         Kind        `json:"kind"`
	Format       string      `json:"format,omitempty"`        // which reader recognised it, e.g. "rfc3464", "qmail"
	ReportingMTA string      `json:"reporting_mta"`           // RFC 3464 §2.2.2, without the "dns;" type
	ArrivalDate  string      `json:"arrival_date,omitempty"`  // RFC 3464 §2.2.5
	Original     Original    `json:"original"`                // headers of the returned message
	Recipients   []Recipient `json:"recipients"`              // in the order the bounce lists them
	FeedbackType string      `json:"feedback_type,omitempty"` // RFC 5965 §3.1, for KindFeedback
}

// Original holds headers of the returned (original) message, when the report carries them.
type Original struct {
	MessageID string `json:"message_id"`
	Subject   string `json:"subject"`
	From      string `json:"from"`
	To        string `json:"to"`
}

// Recipient is one per-recipient field group. RFC 3464 §2.3
type Recipient struct {
	Recipient         string `json:"recipient"`          // Final-Recipient address, RFC 3464 §2.3.2
	OriginalRecipient string `json:"original_recipient"` // RFC 3464 §2.3.1
	Action            Action `json:"action"`             // RFC 3464 §2.3.3
	Status            string `json:"status"`             // class.subject.detail, RFC 3464 §2.3.4, RFC 3463
	ReplyCode         string `json:"reply_code"`         // SMTP reply code found in the diagnostic, e.g. "550"
	Reason            string `json:"reason"`             // one of the 36 Sisimai reason names
	HardBounce        bool   `json:"hard_bounce"`
	DiagnosticType    string `json:"diagnostic_type"`             // smtp, x-unix, x-postfix, ... RFC 3464 §2.3.6
	Diagnostic        string `json:"diagnostic"`                  // the diagnostic text, unfolded
	RemoteMTA         string `json:"remote_mta"`                  // RFC 3464 §2.3.5, without the "dns;" type
	Command           string `json:"command"`                     // SMTP command that failed: MAIL, RCPT, DATA, ...
	LastAttempt       string `json:"last_attempt_date,omitempty"` // RFC 3464 §2.3.7
	WillRetryUntil    string `json:"will_retry_until,omitempty"`  // RFC 3464 §2.3.8
}

// Sentinel errors. Errors returned by Parse wrap one of these; check with errors.Is.
var (
	ErrLimit     = entity.ErrLimit                      // any limit in Limits
	ErrMalformed = errors.New("dsn: malformed message") // input that cannot be read at all
)
