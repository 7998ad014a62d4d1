package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// kddi reads the error notices of au one net / au by KDDI's mail system
// (From: no-reply@<host>.dion.ne.jp, sent through auone-net.jp), a Japanese
// paragraph followed by the server's English lines:
//
//	Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900
//	     Could not be delivered to: <user@example.dion.ne.jp>
//	     As their mailbox is full.
//
// The indented sentence after the address says why, in fixed wording.
type kddi struct{}

func init() { dsn.Register(dsn.OrderText+20, kddi{}) }

func (kddi) Name() string { return "kddi" }

// kddiStarts are the lines that open the English part.
var kddiStarts = []string{"your mail sent on:", "your mail attempted to be delivered on:"}

var (
	kddiRcptRe = lazyre.New(`(?i)^\s*could not be delivered to:\s*<([^<>\s]+@[^<>\s]+)>`)
	kddiFromRe = lazyre.New(`(?i)no-reply@\S*\.dion\.ne\.jp`)
)

// kddiReasons are the server's fixed sentences and the reason each states.
var kddiReasons = []struct{ phrase, reason string }{
	{"as their mailbox is full", "mailboxfull"},
	{"due to the following smtp relay error", "norelaying"},
	{"as the remote domain doesnt exist", "hostunknown"},
}

func (kddi) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !kddiMarked(m) {
		return nil, false
	}
	lines := pvLinesWith(m, kddiStarts...)
	start := pvIndex(lines, 0, kddiStarts...)
	if start < 0 {
		return nil, false
	}
	r := &dsn.Report{}
	var text []string
	flush := func() {
		if n := len(r.Recipients); n > 0 && len(text) > 0 {
			kddiFill(&r.Recipients[n-1], strings.Join(text, " "), m)
		}
		text = nil
	}
	for _, l := range lines[start+1:] {
		if sm := kddiRcptRe.FindStringSubmatch(l); sm != nil {
			flush()
			r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: sm[1], Action: dsn.ActionFailed})
			continue
		}
		if t := strings.TrimSpace(l); t != "" && len(r.Recipients) > 0 && strings.HasPrefix(l, " ") {
			text = append(text, t)
		}
	}
	flush()
	pvDefaultStatuses(r)
	return r, len(r.Recipients) > 0
}

// kddiMarked reports whether the notice comes from KDDI's mail system.
func kddiMarked(m *dsn.Message) bool {
	if kddiFromRe.MatchString(m.From()) || strings.EqualFold(m.Header.Get("Reply-To"), "no-reply@app.auone-net.jp") {
		return true
	}
	for _, rcv := range m.Header.Values("Received") {
		if strings.Contains(rcv, "auone-net.jp") || strings.Contains(rcv, "ezweb.ne.jp (") {
			return true
		}
	}
	return false
}

// kddiFill sets the diagnostic and the reason KDDI's sentence states
// (filtered for mail its spam filter refused: X-SPASIGN: NG).
func kddiFill(rc *dsn.Recipient, text string, m *dsn.Message) {
	rc.Diagnostic = text
	if strings.EqualFold(strings.TrimSpace(m.Header.Get("X-SPASIGN")), "NG") {
		rc.Reason = "filtered"
		return
	}
	low := strings.ToLower(text)
	for _, k := range kddiReasons {
		if strings.Contains(low, k.phrase) {
			rc.Reason = k.reason
			return
		}
	}
}
