package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// trendMicro reads the notices of Trend Micro InterScan Messaging Security
// Suite (InterScan MSS), sent as "InterScan MSS" or "InterScan
// Notification" in a multipart with the InterScan_NT_MIME_Boundary:
//
//	Sent <<< RCPT TO:<user@example.co.jp>
//	Received >>> 550 5.1.1 <user@example.co.jp>... user unknown
//
// (Japanese notices put a label before ">>> RCPT TO:" and "<<< 550 ..."),
// or, without a transcript,
//
//	Unable to deliver message to <user@example.jp> (and other recipients in
//	the same domain). Please check if address is correct.
type trendMicro struct{}

func init() { dsn.Register(dsn.OrderText+20, trendMicro{}) }

func (trendMicro) Name() string { return "trendmicro" }

var (
	// tmSentRe is the command InterScan sent: "Sent <<< RCPT TO:<a@b>"
	// (English) or ">>> RCPT TO:<a@b>" after a Japanese label.
	tmSentRe = lazyre.New(`(?i)(?:<<<|>>>)\s+(RCPT TO|MAIL FROM|DATA|EHLO|HELO)\b:?\s*(.*)$`)
	// tmReceivedRe is the reply it received: "Received >>> 550 ..." or
	// "<<< 550 ..." after a Japanese label.
	tmReceivedRe = lazyre.New(`(?:<<<|>>>)\s+([245]\d\d\b.*)$`)
	tmUnableRe   = lazyre.New(`(?i)^Unable to deliver message to <([^<>\s]+@[^<>\s]+)>(.*)$`)
)

// tmSubjects are InterScan's notice subjects (English and Japanese).
var tmSubjects = []string{"Mail could not be delivered", "メッセージを配信できません。", "メール配信に失敗しました"}

// tmMarked reports whether the notice comes from InterScan MSS: its sender
// name, its MIME boundary, or its subject on a mail-system notice.
func tmMarked(m *dsn.Message) bool {
	_, params := m.ContentType()
	if pvFromHas(m, "interscan") || strings.Contains(params["boundary"], "InterScan_NT_MIME_Boundary") {
		return true
	}
	subj := strings.TrimSpace(m.Subject())
	for _, s := range tmSubjects {
		if subj == s && pvBounceSignal(m) {
			return true
		}
	}
	return false
}

func (trendMicro) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !tmMarked(m) {
		return nil, false
	}
	r := &dsn.Report{}
	var cmd dsn.Command
	var addr string
	for _, l := range pvLines(m) {
		t := strings.TrimSpace(l)
		if sm := tmSentRe.FindStringSubmatch(t); sm != nil {
			cmd = dsn.FindCommand(">>> " + sm[1])
			addr = dsn.FindAddress(sm[2])
			continue
		}
		if sm := tmReceivedRe.FindStringSubmatch(t); sm != nil {
			a := addr
			if a == "" {
				a = dsn.FindAddress(sm[1])
			}
			if a != "" {
				tmAdd(r, dsn.Recipient{Recipient: a, Action: dsn.ActionFailed,
					Diagnostic: sm[1], DiagnosticType: "smtp", Command: string(cmd)}, true)
			}
			continue
		}
		if sm := tmUnableRe.FindStringSubmatch(t); sm != nil {
			tmAdd(r, dsn.Recipient{Recipient: sm[1], Action: dsn.ActionFailed, Diagnostic: t}, false)
		}
	}
	return r, len(r.Recipients) > 0
}

// tmAdd adds rc to r. QUIRK: InterScan reports one recipient both in its
// SMTP transcript and in its "Unable to deliver message to" summary; the
// transcript's reply (replyLine) is the one kept.
func tmAdd(r *dsn.Report, rc dsn.Recipient, replyLine bool) {
	for i := range r.Recipients {
		if strings.EqualFold(r.Recipients[i].Recipient, rc.Recipient) {
			if replyLine && r.Recipients[i].DiagnosticType == "" {
				r.Recipients[i] = rc
			}
			return
		}
	}
	r.Recipients = append(r.Recipients, rc)
}
