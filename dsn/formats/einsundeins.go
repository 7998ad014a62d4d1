package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// einsundeins reads the bounces of 1&1 (IONOS, kundenserver.de): Exim's
// intro sentence, the failed address on its own line, "For the following
// reason:" and the reason, then "--- The header of the original message is
// following. ---". GMX and web.de (same operator) use the same layout; see
// gmx.go.
type einsundeins struct{}

func init() { dsn.Register(dsn.OrderText+16, einsundeins{}) }

func (einsundeins) Name() string { return "einsundeins" }

var (
	// unitedEndRe is the separator of the 1&1 / GMX layout.
	unitedEndRe = lazyre.New(`(?i)^-{2,} The header of the original message is following\. -{2,}`)
	// unitedStartRe ends the intro: "The following address(es) failed:",
	// sometimes wrapped so that "failed:" stands alone.
	unitedStartRe = lazyre.New(`(?i)(?:^|\s)failed:$`)
	unitedAddrRe  = lazyre.New(`^"?<?([^\s<>"]+@[^\s<>"]+?)>?"?:?$`)
	unitedSkipRe  = lazyre.New(`(?i)^(?:For the following reason|Reason):$`)
	// unitedCmdRe is "after RCPT command" / "for TEXT command".
	unitedCmdRe  = lazyre.New(`(?i)\b(?:after|for) (RCPT|MAIL|DATA|TEXT|HELO|EHLO|CONNECT)\b command`)
	unitedHostRe = lazyre.New(`(?i)\bhost:\s+([a-z0-9.-]+\.[a-z]{2,})`)
	einsDomains  = lazyre.New(`(?i)@(?:[a-z0-9.-]+\.)?(?:kundenserver\.de|1and1\.[a-z.]+|ionos\.[a-z.]+|online\.de|onlinehome\.de|schlund\.de)>?$`)
)

var unitedLayout = &Layout{
	Start: unitedStartRe,
	End:   unitedEndRe,
	Addr: func(line string) (string, string, bool) {
		sm := unitedAddrRe.FindStringSubmatch(line)
		if sm == nil {
			return "", "", false
		}
		return sm[1], "", true
	},
	Skip:      func(line string) bool { return unitedSkipRe.MatchString(line) },
	KeepBlank: true,
}

// readUnited reads the 1&1 / GMX layout of body.
func readUnited(body string) (*dsn.Report, bool) {
	if firstMatchLine(body, unitedEndRe) == "" {
		return nil, false
	}
	blocks := unitedLayout.Read(body)
	if len(blocks) == 0 {
		return nil, false
	}
	r := &dsn.Report{Recipients: Recipients(blocks, false)}
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		if sm := unitedCmdRe.FindStringSubmatch(rc.Diagnostic); sm != nil {
			rc.Command = strings.ToUpper(sm[1])
			if rc.Command == "TEXT" {
				rc.Command = string(dsn.CmdDATA)
			}
		}
		if h := unitedHostRe.FindStringSubmatch(rc.Diagnostic); h != nil && rc.RemoteMTA == "" {
			rc.RemoteMTA = strings.ToLower(h[1])
		}
	}
	return r, true
}

// firstMatchLine returns the first line of text that re matches, or "".
func firstMatchLine(text string, re *lazyre.Regexp) string {
	for _, l := range strings.Split(text, "\n") {
		if re.MatchString(strings.TrimRight(l, " \t")) {
			return l
		}
	}
	return ""
}

// einsundeins also takes the 1&1 layout from other senders (its
// separator line is 1&1's own); gmx, tried first, claims GMX's.
func (einsundeins) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !bounceHeader(m) {
		return nil, false
	}
	if !einsDomains.MatchString(strings.TrimSpace(m.From())) && !eximIntroRe.MatchString(m.BodyText()) {
		return nil, false
	}
	return readUnited(m.BodyText())
}
