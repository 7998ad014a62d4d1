package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// apachejames reads the bounces of Apache James (its DSN/bounce mailet):
// "Error message below:", the reply ("550 - Requested action not taken:
// no such user here"), "Message details:" and the envelope, whose "RCPT
// TO:" lines name the recipients.
type apachejames struct{}

func init() { dsn.Register(dsn.OrderText+8, apachejames{}) }

func (apachejames) Name() string { return "apachejames" }

var (
	jamesErrorRe   = lazyre.New(`(?im)^\s*Error message below:\s*$`)
	jamesDetailsRe = lazyre.New(`(?im)^\s*Message details:\s*$`)
	jamesRcptRe    = lazyre.New(`(?im)^\s*RCPT TO:\s*<?([^\s<>]+@[^\s<>]+?)>?\s*$`)
)

// isJames reports whether the header shows Apache James: a JavaMail
// Message-ID, a James Received field or a "[BOUNCE]" subject.
func isJames(h dsn.Header) bool {
	if strings.Contains(h.Get("Message-ID"), ".JavaMail.") || strings.HasPrefix(h.Get("Subject"), "[BOUNCE]") {
		return true
	}
	for _, v := range h.Values("Received") {
		if strings.Contains(v, "JAMES SMTP Server") {
			return true
		}
	}
	return false
}

func (apachejames) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !isJames(m.Header) && !bounceHeader(m) {
		return nil, false
	}
	body := m.BodyText()
	e, d := jamesErrorRe.FindStringIndex(body), jamesDetailsRe.FindStringIndex(body)
	if e == nil || d == nil || d[0] < e[1] {
		return nil, false
	}
	diag := paragraph(body[e[1]:d[0]])
	r := &dsn.Report{}
	for _, sm := range jamesRcptRe.FindAllStringSubmatch(body[d[1]:], maxBlocks) {
		r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: sm[1], Action: dsn.ActionFailed, Diagnostic: diag})
	}
	return r, len(r.Recipients) > 0
}
