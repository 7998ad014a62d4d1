package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// mailru reads the bounces of Mail.Ru (an Exim installation): a Russian
// paragraph with the failed addresses in Exim's layout, then the same list
// in Exim's English wording.
type mailru struct{}

func init() { dsn.Register(dsn.OrderText+10, mailru{}) }

func (mailru) Name() string { return "mailru" }

var (
	// mailruIntroRe is Mail.Ru's Russian intro ("This letter was created
	// automatically by the Mail.Ru server").
	mailruIntroRe = lazyre.New(`(?i)создано автоматически сервером mail\.ru`)
	// mailruStartRe opens the Russian or the English address list.
	mailruStartRe = lazyre.New(`(?i)не может быть доставлено одному или нескольким получателям:\s*$|` + eximStartRe.String())
)

func (mailru) Parse(m *dsn.Message) (*dsn.Report, bool) {
	from := m.LowerFrom()
	body := m.BodyText()
	if !bounceHeader(m) || !(mailruIntroRe.MatchString(body) || strings.HasSuffix(strings.TrimRight(from, ">"), "mail.ru")) {
		return nil, false
	}
	if !isExim(m, body) && !mailruIntroRe.MatchString(body) {
		return nil, false
	}
	if r, ok := readExim(m, body, eximLayout(mailruStartRe)); ok {
		return r, ok
	}
	return eximLocalScan(m, body)
}
