package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// x3 reads the notices of an unnamed MTA: "This is an automatically
// generated Delivery Status Notification.", "Delivery to the following
// recipients was aborted after 5.0 hour(s):", "  * user@example.org",
// "Technical details:" and the reason. A delivery-status part, when
// present, has Status fields of its own mapping; the remote reply's code
// in the Diagnostic-Code wins (so this format runs before RFC 3464).
type x3 struct{}

func init() { dsn.Register(dsn.OrderRFC3464-3, x3{}) }

func (x3) Name() string { return "x3" }

var (
	x3IntroRe = lazyre.New(`(?im)^\s*This is an automatically generated Delivery Status Notification\.\s*$`)
	// x3StartRe: QUIRK: the product writes "Delevery" in some versions.
	x3StartRe = lazyre.New(`(?i)^\s*(?:Delivery|Delevery) to the following recipients? (?:was aborted|failed|has been delayed)(?: after ([\d.]+) (second|minute|hour|day)\(?s?\)?)?`)
	x3AddrRe  = lazyre.New(`^\s*\*\s+<?([^\s<>]+@[^\s<>]+?)>?$`)
	x3SkipRe  = lazyre.New(`(?i)^Technical details:?$`)
)

var x3Layout = &Layout{
	Start: x3StartRe,
	Addr: func(line string) (string, string, bool) {
		sm := x3AddrRe.FindStringSubmatch(line)
		if sm == nil {
			return "", "", false
		}
		return sm[1], "", true
	},
	Skip:      func(line string) bool { return x3SkipRe.MatchString(line) },
	KeepBlank: true,
}

func (x3) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	if !bounceHeader(m) || !x3IntroRe.MatchString(body) {
		return nil, false
	}
	blocks := x3Layout.Read(body)
	if r := ownStatusReport(m); r != nil {
		mergeText(r, Recipients(blocks, false))
		for i := range r.Recipients {
			preferRemoteStatus(&r.Recipients[i])
		}
		return r, true
	}
	if len(blocks) == 0 {
		return nil, false
	}
	r := &dsn.Report{Recipients: Recipients(blocks, false)}
	if x3Expired(body) {
		for i := range r.Recipients {
			if rc := &r.Recipients[i]; dsn.FindStatus(rc.Diagnostic) == "" {
				rc.Status = dsn.DefaultStatus(dsn.ReasonExpired, false)
			}
		}
	}
	return r, true
}

// x3Expired reports whether delivery "was aborted after" an hour or more:
// the message timed out in the queue.
func x3Expired(body string) bool {
	sm := x3StartRe.FindStringSubmatch(firstMatchLine(body, x3StartRe))
	if sm == nil || sm[2] == "" {
		return false
	}
	return strings.EqualFold(sm[2], "day") || strings.EqualFold(sm[2], "hour") && sm[1] != "0" && !strings.HasPrefix(sm[1], "0.")
}
