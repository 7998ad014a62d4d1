package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// postfix reads Postfix bounces that carry no delivery-status part (old
// Postfix, or DSN parts stripped on the way): "This is the mail system at
// host ..." (or "This is the Postfix program at host ..."), then
// "<address>: reason" paragraphs. It also reads the SMTP server's error
// notice to the postmaster ("Transcript of session follows." with " In:"
// and " Out:" lines), whose recipient is the RCPT TO of the session.
type postfix struct{}

func init() { dsn.Register(dsn.OrderText+70, postfix{}) }

func (postfix) Name() string { return "postfix" }

var (
	pfIntroRe = lazyre.New(`(?im)^\s*This is the (?:Postfix program|mail system) at host \S+`)
	pfAddrRe  = lazyre.New(`^<([^<>\s]+@[^<>\s]+)>(?: \(expanded from <[^<>]*>\))?: (.*)$`)
	pfDelayRe = lazyre.New(`(?im)^\s*#* ?THIS IS A WARNING ONLY|could not be delivered for .* still trying|^\s*Your message could not be delivered for more than`)
	// pfNoticeRe is the subject of the SMTP server's error notice
	// (smtpd_notify_classes).
	pfNoticeRe = lazyre.New(`(?i)^Postfix SMTP server: errors from `)
	pfInRe     = lazyre.New(`^\s*In:\s+(.*)$`)
	pfOutRe    = lazyre.New(`^\s*Out:\s+([45]\d\d[ -].*)$`)
)

var pfLayout = &Layout{
	Start: pfIntroRe,
	Addr: func(line string) (string, string, bool) {
		sm := pfAddrRe.FindStringSubmatch(line)
		if sm == nil {
			return "", "", false
		}
		return sm[1], sm[2], true
	},
	Cont: func(line string) bool { return strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") },
}

func (postfix) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !bounceHeader(m) {
		return nil, false
	}
	body := m.BodyText()
	if pfNoticeRe.MatchString(m.Subject()) {
		return postfixNotice(body)
	}
	if !pfIntroRe.MatchString(body) {
		return nil, false
	}
	blocks := pfLayout.Read(body)
	if len(blocks) == 0 {
		return nil, false
	}
	return &dsn.Report{Recipients: Recipients(blocks, pfDelayRe.MatchString(body))}, true
}

// postfixNotice reads the SMTP session transcript of an smtpd error
// notice: the recipients are the RCPT TO addresses, the diagnostic the
// first 4xx/5xx reply and the command the one it answered.
func postfixNotice(body string) (*dsn.Report, bool) {
	var rcpts []string
	var cmd, diag string
	for _, line := range unfoldTranscript(body) {
		if sm := pfInRe.FindStringSubmatch(line); sm != nil {
			cmd = sm[1]
			if a := dsn.FindAddress(cmd); a != "" && strings.HasPrefix(strings.ToUpper(cmd), "RCPT") {
				rcpts = append(rcpts, a)
			}
			continue
		}
		if sm := pfOutRe.FindStringSubmatch(line); sm != nil && diag == "" {
			diag = sm[1] + " (in reply to " + strings.Fields(cmd + " x")[0] + " command)"
		}
	}
	if len(rcpts) == 0 || diag == "" {
		return nil, false
	}
	r := &dsn.Report{}
	for _, a := range rcpts {
		r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: a, Action: dsn.ActionFailed, Diagnostic: diag})
	}
	return r, true
}

// unfoldTranscript joins the continuation lines (indented further than
// " In:"/" Out:") of a Postfix session transcript to their line.
func unfoldTranscript(body string) []string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if len(out) > 0 && !strings.HasPrefix(t, "In:") && !strings.HasPrefix(t, "Out:") && strings.HasPrefix(l, "    ") {
			out[len(out)-1] += " " + t
			continue
		}
		out = append(out, l)
	}
	return out
}
