package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// mxLogic reads the bounces of MX Logic (later McAfee SaaS Email
// Protection), an Exim-derived service that writes the address and the
// remote reply on one line:
//
//	This message was created automatically by mail delivery software.
//
//	A message that you have sent could not be delivered to one or more
//	recipients.  This is a permanent error.  The following address failed:
//
//	  <user@example.jp>: 550 5.1.1 <user@example.jp>: Recipient address rejected
//
//	Included is a copy of the message header:
//	-----------------------------------------
//
// Its notices carry X-MX-Bounce / X-MXL-* header fields or a Message-Id
// of the form <mxl~...>. Tried before Exim, whose layout it resembles.
type mxLogic struct{}

func init() { dsn.Register(dsn.OrderText+15, mxLogic{}) }

func (mxLogic) Name() string { return "mxlogic" }

var (
	// mxlAddrRe is a failed recipient: "  <a@b>: reply" or "  a@b".
	mxlAddrRe  = lazyre.New(`^ {1,3}<?([^\s<>]+@[^\s<>]+?)>?:?(?:\s+(.*))?$`)
	mxlEndRe   = lazyre.New(`(?i)^(?:included is a copy of the message header|-{2,}\s*this is a copy of)`)
	mxlIntroRe = lazyre.New(`(?m)^This message was created automatically by mail delivery software\.`)
)

func (mxLogic) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !mxlMarked(m) {
		return nil, false
	}
	body := m.BodyText()
	if !mxlIntroRe.MatchString(body) {
		return nil, false
	}
	r := &dsn.Report{}
	var text []string
	flush := func() {
		if n := len(r.Recipients); n > 0 {
			rc := &r.Recipients[n-1]
			rc.Diagnostic = strings.Join(text, " ")
			rc.RemoteMTA = RemoteHost(rc.Diagnostic)
		}
		text = nil
	}
	for _, l := range strings.Split(body, "\n") {
		if mxlEndRe.MatchString(strings.TrimSpace(l)) {
			break
		}
		if sm := mxlAddrRe.FindStringSubmatch(l); sm != nil {
			flush()
			r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: sm[1], Action: dsn.ActionFailed})
			if sm[2] != "" {
				text = append(text, sm[2])
			}
			continue
		}
		// Continuation lines are indented further; an unindented line
		// repeating the address or a blank line closes nothing.
		if t := strings.TrimSpace(l); t != "" && len(r.Recipients) > 0 && strings.HasPrefix(l, "    ") {
			text = append(text, t)
		}
	}
	flush()
	return r, len(r.Recipients) > 0
}

// mxlMarked reports whether the header carries MX Logic's marks.
func mxlMarked(m *dsn.Message) bool {
	for _, n := range []string{"X-MX-Bounce", "X-MXL-NoteHash", "X-MXL-Hash"} {
		if m.Header.Has(n) {
			return true
		}
	}
	mid := strings.ToLower(m.Header.Get("Message-Id"))
	return strings.HasPrefix(mid, "<mxl~") || (m.DaemonSender() && pvFromHas(m, ".mxlogic.net"))
}
