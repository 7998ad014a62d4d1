package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// opensmtpd reads the bounces of OpenSMTPD (smtpd/bounce.c): "This is the
// MAILER-DAEMON, please DO NOT REPLY to this e-mail.", then "address:
// reason" lines, then "Below is a copy of the original message:". Since
// 6.x it adds a message/delivery-status part that carries only "Status:
// 5.0.0"; the reason is in the text, so this format runs before the RFC
// 3464 reader and merges the two.
type opensmtpd struct{}

func init() { dsn.Register(dsn.OrderRFC3464-5, opensmtpd{}) }

func (opensmtpd) Name() string { return "opensmtpd" }

var (
	smtpdIntroRe = lazyre.New(`(?im)^\s*This is the MAILER-DAEMON, please DO NOT REPLY to this e-?mail\.`)
	smtpdStartRe = lazyre.New(`(?i)^\s*(?:An error has occurred while attempting to deliver a message for|A message is delayed for more than .* for the following|Your message was relayed to these recipients|Your message was successfully delivered to these recipients|the following list of recipients:)`)
	smtpdEndRe   = lazyre.New(`(?i)^\s*(?:Below is a copy of the original message|Please note that this is only a temporary failure report|--\S)`)
	smtpdAddrRe  = lazyre.New(`^([^\s:<>]+@[^\s:<>]+): (.+)$`)
	smtpdDelayRe = lazyre.New(`(?im)^\s*A message is delayed for more than`)
)

var smtpdLayout = &Layout{
	Start: smtpdStartRe,
	End:   smtpdEndRe,
	Addr: func(line string) (string, string, bool) {
		sm := smtpdAddrRe.FindStringSubmatch(line)
		if sm == nil {
			return "", "", false
		}
		return sm[1], sm[2], true
	},
	Cont: func(string) bool { return false },
}

func (opensmtpd) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	if !smtpdIntroRe.MatchString(body) || !bounceHeader(m) {
		return nil, false
	}
	blocks := smtpdLayout.Read(body)
	if len(blocks) == 0 {
		return nil, false
	}
	text := Recipients(blocks, smtpdDelayRe.MatchString(body))
	if a := smtpdSuccess(body); a != "" {
		for i := range text {
			text[i].Action = a
		}
	}
	r := &dsn.Report{}
	for _, p := range m.Status {
		if p.Embedded == 0 {
			m.ReadDeliveryStatus(p.Text, r)
		}
	}
	if len(r.Recipients) == 0 {
		r.Recipients = text
	} else {
		mergeText(r, text)
	}
	expiredFailed(r)
	return r, true
}

// smtpdExpiredRe is OpenSMTPD's reason for an envelope its queue lifetime
// removed (smtpd/scheduler: "Envelope expired").
var smtpdExpiredRe = lazyre.New(`(?i)^\s*envelope expired\s*$`)

// expiredFailed marks an expired envelope failed. QUIRK: OpenSMTPD 6.8
// sends its last notice for an envelope that outlived "queue ttl" as a
// delay report (testdata/mta/opensmtpd/bounces/expired.eml: Subject
// "Delivery status notification: delayed", "later@sink.test: Envelope
// expired", "Action: delayed", "Status: 4.4.7", "You DO NOT NEED to
// re-send"), but the envelope is gone from the queue: nothing will retry.
func expiredFailed(r *dsn.Report) {
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		if rc.Action == dsn.ActionDelayed && smtpdExpiredRe.MatchString(rc.Diagnostic) {
			rc.Action = dsn.ActionFailed
		}
	}
}

// mergeText gives recipients of a delivery-status part that lack a
// diagnostic the text's diagnostic for the same address.
func mergeText(r *dsn.Report, text []dsn.Recipient) {
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		if strings.TrimSpace(rc.Diagnostic) != "" {
			continue
		}
		for _, t := range text {
			if strings.EqualFold(t.Recipient, strings.Trim(rc.Recipient, "<> ")) {
				rc.Diagnostic, rc.ReplyCode = t.Diagnostic, t.ReplyCode
				if rc.RemoteMTA == "" {
					rc.RemoteMTA = t.RemoteMTA
				}
			}
		}
	}
}

// smtpdSuccessRe is the intro of OpenSMTPD's success notices (bounce.c
// notice_success, notice_relay), sent when the sender asked for them.
var smtpdSuccessRe = lazyre.New(`(?im)^\s*Your message was (successfully delivered|relayed) to these recipients`)

// smtpdSuccess returns the action a success notice states, or "".
func smtpdSuccess(body string) dsn.Action {
	sm := smtpdSuccessRe.FindStringSubmatch(body)
	switch {
	case sm == nil:
		return ""
	case strings.EqualFold(sm[1], "relayed"):
		return dsn.ActionRelayed
	}
	return dsn.ActionDelivered
}
