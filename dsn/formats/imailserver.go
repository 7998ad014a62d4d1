package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// imailserver reads the bounces of Ipswitch IMail Server (X-Mailer:
// <SMTP32 vNNN>): one "Reason: user@example.org" line per recipient
// ("Unknown user: ...", "user mailbox exceeds allowed size: ..."), then
// "Original message follows.".
type imailserver struct{}

func init() { dsn.Register(dsn.OrderText+37, imailserver{}) }

func (imailserver) Name() string { return "imailserver" }

var (
	imailEndRe  = lazyre.New(`(?i)^\s*Original message follows\.`)
	imailAddrRe = lazyre.New(`^([A-Za-z][^:@<>]{2,80}):\s+<?([^\s<>]+@[^\s<>]+?)>?$`)
)

var imailLayout = &Layout{
	End: imailEndRe,
	Addr: func(line string) (string, string, bool) {
		sm := imailAddrRe.FindStringSubmatch(strings.TrimSpace(line))
		if sm == nil {
			return "", "", false
		}
		return sm[2], sm[1], true
	},
}

// isIMail reports whether the header names IMail's SMTP32 program.
func isIMail(h dsn.Header) bool {
	if strings.Contains(h.Get("X-Mailer"), "SMTP32") {
		return true
	}
	for _, v := range h.Values("Received") {
		if strings.Contains(v, "(SMTPD32") {
			return true
		}
	}
	return false
}

func (imailserver) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !bounceHeader(m) || !isIMail(m.Header) {
		return nil, false
	}
	blocks := imailLayout.Read(m.BodyText())
	if len(blocks) == 0 {
		return nil, false
	}
	r := &dsn.Report{Recipients: Recipients(blocks, false)}
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		if dsn.FindStatus(rc.Diagnostic) == "" {
			rc.Status = imailStatus(rc.Diagnostic)
		}
	}
	return r, true
}

// imailLabels are IMail's fixed labels before the address and the reason
// each states; the status then comes from dsn.DefaultStatus.
var imailLabels = []struct {
	re     *lazyre.Regexp
	reason string
}{
	{lazyre.New(`(?i)^(?:Unknown user|Invalid final delivery userid)`), dsn.ReasonUserUnknown},
	{lazyre.New(`(?i)^Unknown host`), dsn.ReasonHostUnknown},
	{lazyre.New(`(?i)^User mailbox exceeds allowed size`), dsn.ReasonMailboxFull},
	{lazyre.New(`(?i)^Requested action not taken: virus detected`), dsn.ReasonVirusDetected},
	{lazyre.New(`(?i)^Delivery failed \d+ attempts`), dsn.ReasonExpired},
}

func imailStatus(label string) string {
	for _, l := range imailLabels {
		if l.re.MatchString(label) {
			return dsn.DefaultStatus(l.reason, false)
		}
	}
	return ""
}
