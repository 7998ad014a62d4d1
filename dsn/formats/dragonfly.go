package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// dragonfly reads the bounces of the DragonFly Mail Agent (dma, also
// the default MTA of some BSDs): "This is the DragonFly Mail Agent v0.13
// at host.", "There was an error delivering your mail to <addr>.", the
// reason, then "Original message follows." or "Message headers follow.".
type dragonfly struct{}

func init() { dsn.Register(dsn.OrderText+30, dragonfly{}) }

func (dragonfly) Name() string { return "dragonfly" }

var (
	// dmaIntroRe is dma's first line (dma.c, bounce()).
	dmaIntroRe = lazyre.New(`(?im)^This is the DragonFly Mail Agent\b`)
	// dmaAddrRe is the recipient sentence.
	dmaAddrRe = lazyre.New(`(?i)^There was an error delivering your mail to <([^<>\s]+)>\.?$`)
	// dmaEndRe is the separator before the returned message or header.
	dmaEndRe = lazyre.New(`(?i)^(?:Original message follows|Message headers follow)\.?$`)
	// dmaRemoteRe is net.c's "host [ip] did not like our RCPT TO:".
	dmaRemoteRe = lazyre.New(`(?i)^(\S+) \[[0-9a-f:.]+\] did not like our (final DATA|DATA|RCPT TO|MAIL FROM|EHLO|HELO|STARTTLS|AUTH)`)
)

var dmaLayout = &Layout{
	Start: dmaIntroRe,
	End:   dmaEndRe,
	Addr: func(line string) (string, string, bool) {
		sm := dmaAddrRe.FindStringSubmatch(line)
		if sm == nil {
			return "", "", false
		}
		return sm[1], "", true
	},
	KeepBlank: true,
}

func (dragonfly) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	if !dmaIntroRe.MatchString(body) || !bounceHeader(m) {
		return nil, false
	}
	blocks := dmaLayout.Read(body)
	if len(blocks) == 0 {
		return nil, false
	}
	r := &dsn.Report{Recipients: Recipients(blocks, false)}
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		if sm := dmaRemoteRe.FindStringSubmatch(rc.Diagnostic); sm != nil {
			rc.RemoteMTA = strings.ToLower(sm[1])
			rc.Command = dmaCommand(sm[2])
		}
	}
	return r, true
}

// dmaCommand maps the command words of "did not like our ..." to a
// dsn.Command.
func dmaCommand(w string) string {
	w = strings.ToUpper(w)
	switch {
	case strings.HasSuffix(w, "DATA"):
		return string(dsn.CmdDATA)
	case strings.HasPrefix(w, "RCPT"):
		return string(dsn.CmdRCPT)
	case strings.HasPrefix(w, "MAIL"):
		return string(dsn.CmdMAIL)
	}
	return w
}
