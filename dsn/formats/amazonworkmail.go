package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// amazonWorkMail reads the RFC 3464 reports of Amazon WorkMail (X-Mailer:
// Amazon WorkMail, sent through Amazon SES). QUIRK: when WorkMail gives up
// it reports its own code and appends the remote server's last reply in
// angle brackets:
//
//	Diagnostic-Code: smtp; 554 4.4.7 Message expired: unable to deliver
//	 in 840 minutes.<421 4.4.2 Connection timed out>
//
// The bracketed reply says what actually went wrong, so its codes win.
type amazonWorkMail struct{}

func init() { dsn.Register(orderProviderReport, amazonWorkMail{}) }

func (amazonWorkMail) Name() string { return "amazonworkmail" }

// workMailLastReply matches the remote reply WorkMail appends to its own.
var workMailLastReply = lazyre.New(`<([245]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3})\b[^<>]*>\s*$`)

func (amazonWorkMail) Parse(m *dsn.Message) (*dsn.Report, bool) {
	// X-Mailer: Amazon WorkMail is on all mail WorkMail sends.
	if !pvBounceSignal(m) || !strings.Contains(strings.ToLower(m.Header.Get("X-Mailer")), "amazon workmail") {
		return nil, false
	}
	r := pvStatusReport(m)
	if r == nil {
		return nil, false
	}
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		if sm := workMailLastReply.FindStringSubmatch(rc.Diagnostic); sm != nil {
			rc.ReplyCode, rc.Status = sm[1], sm[2]
		}
	}
	return r, true
}
