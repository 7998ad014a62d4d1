package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// gmx reads the bounces of GMX, mail.com and web.de, which use the 1&1
// layout (see einsundeins.go): the failed address alone on a line, the
// reason ("SMTP error from remote server after RCPT command:", "Reason:
// delivery retry timeout exceeded"), then "--- The header of the original
// message is following. ---".
type gmx struct{}

func init() { dsn.Register(dsn.OrderText+15, gmx{}) }

func (gmx) Name() string { return "gmx" }

var gmxDomains = lazyre.New(`(?i)@(?:[a-z0-9.-]+\.)?(?:gmx\.[a-z.]+|mail\.com|web\.de)>?$`)

func (gmx) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !bounceHeader(m) || !gmxDomains.MatchString(strings.TrimSpace(m.From())) {
		return nil, false
	}
	return readUnited(m.BodyText())
}
