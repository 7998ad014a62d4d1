package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// yahoo reads the failure notices of Yahoo! Mail and of the services that
// run its outbound software, sent by their mailer daemon:
//
//	Subject: Failure Notice
//
//	Sorry, we were unable to deliver your message to the following address.
//
//	<user@example.org>:
//	Remote host said: 550 5.1.1 <user@example.org>... User Unknown [RCPT_TO]
//
//	--- Below this line is a copy of the message.
//
// The remote reply may also sit on the lines after "Remote host said:",
// with the command in brackets on a line of its own, or be written
// "550: 5.2.2 <...>... Mailbox Full"; Yahoo's own errors ("No mx record
// found for domain=...") stand alone.
type yahoo struct{}

func init() { dsn.Register(dsn.OrderText+20, yahoo{}) }

func (yahoo) Name() string { return "yahoo" }

const (
	yahooStart = "sorry, we were unable to deliver your message"
	yahooSaid  = "remote host said:"
	yahooEnd   = "--- below this line is a copy of the message"
)

var (
	yahooRcptRe = lazyre.New(`^<([^<>\s]+@[^<>\s]+)>:\s*(.*)$`)
	// yahooCmdRe matches the bracketed SMTP command Yahoo appends: "[RCPT_TO]".
	yahooCmdRe = lazyre.New(`\s*\[(RCPT_TO|MAIL_FROM|DATA|BODY|EHLO|HELO|CONNECT|STARTTLS)\]\s*$`)
	// yahooReplyRe matches the reply code Yahoo writes with a colon: "550: ...".
	yahooReplyRe = lazyre.New(`^([245]\d\d):\s`)
)

var yahooCommands = map[string]dsn.Command{
	"RCPT_TO": dsn.CmdRCPT, "MAIL_FROM": dsn.CmdMAIL, "DATA": dsn.CmdDATA, "BODY": dsn.CmdDATA,
	"EHLO": dsn.CmdEHLO, "HELO": dsn.CmdHELO, "CONNECT": dsn.CmdConnect, "STARTTLS": dsn.CmdSTARTTLS,
}

func (yahoo) Parse(m *dsn.Message) (*dsn.Report, bool) {
	// X-YMailISG is on all mail Yahoo sends; the notice itself comes
	// from the mailer daemon.
	if !pvBounceSignal(m) {
		return nil, false
	}
	lines := pvLinesWith(m, yahooStart)
	start := pvIndex(lines, 0, yahooStart)
	if start < 0 {
		return nil, false
	}
	end := pvIndex(lines, start, yahooEnd)
	if end < 0 {
		end = len(lines)
	}
	r := &dsn.Report{}
	var text []string
	flush := func() {
		if n := len(r.Recipients); n > 0 {
			yahooDiagnostic(&r.Recipients[n-1], text)
		}
		text = nil
	}
	for _, l := range lines[start+1 : end] {
		t := strings.TrimSpace(l)
		if sm := yahooRcptRe.FindStringSubmatch(t); sm != nil {
			flush()
			r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: sm[1], Action: dsn.ActionFailed})
			if sm[2] != "" {
				text = append(text, sm[2]) // the reply on the address line
			}
			continue
		}
		if t != "" && len(r.Recipients) > 0 {
			text = append(text, t)
		}
	}
	flush()
	pvInlineOriginal(r, m, yahooOriginalRe)
	return r, len(r.Recipients) > 0
}

// yahooOriginalRe is the line before the returned message.
var yahooOriginalRe = lazyre.New(`(?m)^--- Below this line is a copy of the message\.`)

// yahooDiagnostic fills rc from the lines under its address: the command
// from Yahoo's bracket, the reply without "Remote host said:", the reply
// code of the "550: ..." form.
func yahooDiagnostic(rc *dsn.Recipient, lines []string) {
	d := strings.Join(lines, " ")
	if sm := yahooCmdRe.FindStringSubmatch(d); sm != nil {
		rc.Command = string(yahooCommands[sm[1]])
		d = d[:len(d)-len(sm[0])]
	}
	if strings.HasPrefix(strings.ToLower(d), yahooSaid) {
		d = strings.TrimSpace(d[len(yahooSaid):])
		rc.DiagnosticType = "smtp"
	}
	if sm := yahooReplyRe.FindStringSubmatch(d); sm != nil {
		rc.ReplyCode = sm[1]
		rc.DiagnosticType = "smtp"
	}
	rc.Diagnostic = d
}
