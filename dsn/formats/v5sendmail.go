package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// v5sendmail reads the bounces of Sendmail 5 and of Sendmail 8 set up
// without DSN: "----- Transcript of session follows -----", the SMTP
// transcript with "NNN <addr>... reason" lines, then "----- Unsent message
// follows -----" and the message inline.
type v5sendmail struct{}

func init() { dsn.Register(dsn.OrderText+60, v5sendmail{}) }

func (v5sendmail) Name() string { return "v5sendmail" }

var (
	v5StartRe = lazyre.New(`(?m)^\s*-{3,} Transcript of session follows -{3,}`)
	v5EndRe   = lazyre.New(`(?m)^\s*-{3,} (?:Unsent message follows|Original message follows|Message header follows) -{3,}`)
	// v5RcptRe is "550 <user@example.org>... User unknown" (Sendmail 8
	// adds the enhanced code: "550 5.1.1 <user@...>... User unknown").
	v5RcptRe = lazyre.New(`^([245]\d\d)(?: [245]\.\d{1,3}\.\d{1,3})? <?([^\s<>]+@[^\s<>]+?)>?\.\.\. (.*)$`)
	// v5HostRe is "421 example.com (smtp)... Deferred: ..." (no recipient).
	v5HostRe = lazyre.New(`^([245]\d\d) (\S+) \(\S+\)\.\.\. (.*)$`)
	// v5TalkRe opens an SMTP session: "While talking to mx.example.org:".
	v5TalkRe = lazyre.New(`(?i)^\.{0,3}\s*while talking to (\S+?)\.?:$`)
)

// v5Session is the state of one "While talking to" session.
type v5Session struct {
	host, command, reply string
}

func (v5sendmail) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	start := v5StartRe.FindStringIndex(body)
	end := v5EndRe.FindStringIndex(body)
	if start == nil || end == nil || end[0] < start[1] || !bounceHeader(m) {
		return nil, false
	}
	rcpts, hostDiag := readTranscript(body[start[1]:end[0]])
	if len(rcpts) == 0 && hostDiag != nil {
		// QUIRK: when the whole host failed, Sendmail 5 names no recipient;
		// it is the returned message's To.
		if a := dsn.FindAddress(inlineOriginal(body, v5EndRe).Get("To")); a != "" {
			hostDiag.Recipient = a
			rcpts = append(rcpts, *hostDiag)
		}
	}
	if len(rcpts) == 0 {
		return nil, false
	}
	return &dsn.Report{Recipients: rcpts}, true
}

// readTranscript reads the transcript lines: recipients with their
// diagnostic (the remote reply "<<< ..." of the session when there is one,
// else the line's own text), and the last host-level failure.
func readTranscript(text string) ([]dsn.Recipient, *dsn.Recipient) {
	var out []dsn.Recipient
	var host *dsn.Recipient
	var s v5Session
	seen := map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case v5TalkRe.MatchString(line):
			s = v5Session{host: strings.ToLower(v5TalkRe.FindStringSubmatch(line)[1])}
		case strings.HasPrefix(line, ">>> "):
			s.command = string(dsn.FindCommand(">>> " + strings.TrimPrefix(line, ">>> ")))
		case strings.HasPrefix(line, "<<< "):
			s.reply = strings.TrimPrefix(line, "<<< ")
		case v5RcptRe.MatchString(line):
			sm := v5RcptRe.FindStringSubmatch(line)
			if seen[strings.ToLower(sm[2])] || len(out) >= maxBlocks {
				continue
			}
			seen[strings.ToLower(sm[2])] = true
			out = append(out, v5Recipient(sm[2], sm[1], sm[3], &s))
		case v5HostRe.MatchString(line):
			sm := v5HostRe.FindStringSubmatch(line)
			if sm[1][0] != '2' {
				hs := v5Session{host: s.host, command: s.command} // leaves s.reply to the recipient line
				rc := v5Recipient("", sm[1], sm[3], &hs)
				rc.RemoteMTA = strings.ToLower(sm[2])
				host = &rc
			}
		}
	}
	return out, host
}

// v5Recipient builds one recipient; the session's pending remote reply,
// when there is one, is its diagnostic and is used up.
func v5Recipient(addr, code, text string, s *v5Session) dsn.Recipient {
	rc := dsn.Recipient{Recipient: addr, Action: dsn.ActionFailed, RemoteMTA: s.host, Command: s.command, Diagnostic: text}
	if s.reply != "" {
		rc.Diagnostic, s.reply = s.reply, ""
	}
	rc.ReplyCode = LeadingReply([]string{rc.Diagnostic})
	if rc.ReplyCode == "" {
		rc.ReplyCode = code
	}
	if code[0] == '4' && strings.HasPrefix(rc.ReplyCode, "4") {
		rc.Action = dsn.ActionDelayed
	}
	return rc
}
