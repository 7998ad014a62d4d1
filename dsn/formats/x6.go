package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// x6 reads the bounces of an unnamed MTA: "We had trouble delivering your
// message. Full details follow:", "N error(s):", then one sentence per
// failed recipient ending with the remote reply in brackets: "SMTP Server
// <host> rejected recipient <addr> (Error following RCPT command). It
// responded as follows: [550 5.1.1 User unknown]".
type x6 struct{}

func init() { dsn.Register(dsn.OrderText+46, x6{}) }

func (x6) Name() string { return "x6" }

var (
	x6IntroRe     = lazyre.New(`(?im)^We had trouble delivering your message\. Full details follow:`)
	x6LineRe      = lazyre.New(`(?i)(?:recipients? returned (?:permanent|temporary) errors|rejected recipient)`)
	x6ReplyRe     = lazyre.New(`\[([245]\d\d[^\]]*)\]\s*$`)
	x6HostRe      = lazyre.New(`(?i)SMTP Server <([^<>\s]+)>`)
	x6RecipientRe = lazyre.New(`(?i)rejected recipient`)
	x6ErrorsRe    = lazyre.New(`(?i)errors:`)
	x6CmdRe       = lazyre.New(`(?i)\((?:Error following )?(RCPT|MAIL|DATA|HELO|EHLO)(?: command)?\)`)
)

func (x6) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	if !bounceHeader(m) || !x6IntroRe.MatchString(body) {
		return nil, false
	}
	r := &dsn.Report{}
	for _, line := range strings.Split(body, "\n") {
		if !x6LineRe.MatchString(line) || len(r.Recipients) >= maxBlocks {
			continue
		}
		rc := dsn.Recipient{Recipient: x6Address(line), Action: dsn.ActionFailed, Diagnostic: line}
		if rc.Recipient == "" {
			continue
		}
		if sm := x6ReplyRe.FindStringSubmatch(line); sm != nil {
			rc.Diagnostic = sm[1]
		}
		if sm := x6HostRe.FindStringSubmatch(line); sm != nil {
			rc.RemoteMTA = strings.ToLower(sm[1])
		}
		if sm := x6CmdRe.FindStringSubmatch(line); sm != nil {
			rc.Command = strings.ToUpper(sm[1])
		}
		r.Recipients = append(r.Recipients, rc)
	}
	return r, len(r.Recipients) > 0
}

// x6Address returns the recipient of one x6 error sentence: the address
// after "recipient", else after "errors:".
func x6Address(line string) string {
	for _, key := range []*lazyre.Regexp{x6RecipientRe, x6ErrorsRe} {
		if loc := key.FindStringIndex(line); loc != nil {
			if a := dsn.FindAddresses(line[loc[1]:]); len(a) > 0 {
				return a[0]
			}
		}
	}
	return ""
}
