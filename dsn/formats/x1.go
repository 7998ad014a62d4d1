package formats

import (
	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// x1 reads the bounces of an unnamed MTA ("Mail Deliver System", Mail2000
// relays): "---The following addresses had delivery errors---" and one
// line per recipient, "user@example.org [reason]".
type x1 struct{}

func init() { dsn.Register(dsn.OrderText+41, x1{}) }

func (x1) Name() string { return "x1" }

var (
	x1StartRe = lazyre.New(`(?i)^-{3,}\s*The following addresses had delivery errors\s*-{3,}$`)
	x1AddrRe  = lazyre.New(`^([^\s<>]+@[^\s<>]+)\s+\[(.+)\]$`)
)

var x1Layout = &Layout{
	Start: x1StartRe,
	Addr: func(line string) (string, string, bool) {
		sm := x1AddrRe.FindStringSubmatch(line)
		if sm == nil {
			return "", "", false
		}
		return sm[1], sm[2], true
	},
	Cont: func(string) bool { return false },
}

func (x1) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	if !bounceHeader(m) || firstMatchLine(body, x1StartRe) == "" {
		return nil, false
	}
	blocks := x1Layout.Read(body)
	if len(blocks) == 0 {
		return nil, false
	}
	return &dsn.Report{Recipients: Recipients(blocks, false)}, true
}
