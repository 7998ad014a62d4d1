package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// messagingserver reads the text of Sun Java System / Oracle Communications
// Messaging Server notices when they arrive without their delivery-status
// part: "Your message cannot be delivered to the following recipients:",
// then per recipient "Recipient address:", "Original address:",
// "Reason:", "Diagnostic code:" and "Remote system:" lines.
type messagingserver struct{}

func init() { dsn.Register(dsn.OrderText+47, messagingserver{}) }

func (messagingserver) Name() string { return "messagingserver" }

var (
	msStartRe = lazyre.New(`(?i)Your message (?:cannot be delivered|has been delayed and is still awaiting delivery|is being delayed|has been enqueued and undeliverable for [^\n]*)\s+to the following recipients?:[ \t]*\n`)
	msFieldRe = lazyre.New(`(?i)^\s*(Recipient address|Original address|Reason|Diagnostic code|Remote system):\s*(.*)$`)
	msDelayRe = lazyre.New(`(?i)has been delayed|is being delayed`)
)

func (messagingserver) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	loc := msStartRe.FindStringIndex(body)
	if loc == nil || !bounceHeader(m) {
		return nil, false
	}
	r := &dsn.Report{}
	var cur *dsn.Recipient
	for _, line := range strings.Split(body[loc[1]:], "\n") {
		sm := msFieldRe.FindStringSubmatch(line)
		if sm == nil {
			if strings.TrimSpace(line) != "" && cur != nil && !strings.HasPrefix(line, " ") {
				break
			}
			continue
		}
		if strings.EqualFold(sm[1], "Recipient address") {
			if len(r.Recipients) >= maxBlocks {
				break
			}
			r.Recipients = append(r.Recipients, dsn.Recipient{Action: dsn.ActionFailed})
			cur = &r.Recipients[len(r.Recipients)-1]
		}
		if cur != nil {
			msField(cur, strings.ToLower(sm[1]), strings.TrimSpace(sm[2]))
		}
	}
	var out []dsn.Recipient
	for _, rc := range r.Recipients {
		if rc.Recipient != "" {
			if msDelayRe.MatchString(body[:loc[1]]) {
				rc.Action = dsn.ActionDelayed
			}
			out = append(out, rc)
		}
	}
	r.Recipients = out
	for i := range r.Recipients {
		if rc := &r.Recipients[i]; dsn.FindStatus(rc.Diagnostic) == "" && dsn.FindReplyCode(rc.Diagnostic) == "" {
			rc.Status = msStatus(rc.Diagnostic, rc.Action == dsn.ActionDelayed)
		}
	}
	return r, len(out) > 0
}

// msReasons are Messaging Server's fixed "Reason:" texts and the reason
// each states; the status then comes from dsn.DefaultStatus.
var msReasons = []struct {
	re     *lazyre.Regexp
	reason string
}{
	{lazyre.New(`(?i)^Illegal host/domain name found|^No such host|^Host unknown`), dsn.ReasonHostUnknown},
	{lazyre.New(`(?i)^Over quota|^Mailbox full`), dsn.ReasonMailboxFull},
	{lazyre.New(`(?i)^unable to deliver this message after|^Message expired`), dsn.ReasonExpired},
	{lazyre.New(`(?i)^No such (?:user|recipient)|^User unknown`), dsn.ReasonUserUnknown},
}

func msStatus(reason string, delayed bool) string {
	for _, r := range msReasons {
		if r.re.MatchString(reason) {
			return dsn.DefaultStatus(r.reason, delayed)
		}
	}
	return ""
}

// msField sets one labelled field of a recipient. QUIRK: the recipient
// address may be a source route ("@smtp.example.net:user@server"); the
// original address then names the mailbox.
func msField(rc *dsn.Recipient, name, v string) {
	switch name {
	case "recipient address":
		if a := dsn.FindAddress(v); a != "" && !strings.HasPrefix(v, "@") {
			rc.Recipient = a
		}
	case "original address":
		if a := dsn.FindAddress(v); a != "" {
			rc.OriginalRecipient = a
			if rc.Recipient == "" {
				rc.Recipient = a
			}
		}
	case "reason":
		if rc.Diagnostic == "" {
			rc.Diagnostic = v
		}
	case "diagnostic code":
		t, text, ok := strings.Cut(v, ";")
		if !ok {
			text = v
		} else {
			rc.DiagnosticType = strings.TrimSpace(t)
		}
		rc.Diagnostic = strings.TrimSpace(text)
	case "remote system":
		_, host, ok := strings.Cut(v, ";")
		if !ok {
			host = v
		}
		if f := strings.Fields(host); len(f) > 0 {
			rc.RemoteMTA = strings.ToLower(f[0])
		}
	}
}
