package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// fml reads the error notices of the fml mailing list manager (X-MLServer:
// fml): a post from a non-member ("You are not a member of this mailing
// list"), a loop ("Loop Alert: Duplicated Message-ID") or a security
// alert. They are rejections of the message by the list; the recipient is
// the list address the notice names, else the notice's To.
type fml struct{}

func init() { dsn.Register(dsn.OrderText+9, fml{}) }

func (fml) Name() string { return "fml" }

// fmlErrors are fml's fixed notices and the reason each states
// (fml/src/libsmtp*.pl, libloadconfig.pl messages).
var fmlErrors = []struct {
	re     *lazyre.Regexp
	reason string
}{
	{lazyre.New(`(?i)are not (?:a )?member|is not a member|NOT MEMBER article from|reject mail from|New command is used|Security Alert`), dsn.ReasonRejected},
	{lazyre.New(`(?i)Duplicated Message-ID|Loop Alert|Loop Back Warning|mail loop`), dsn.ReasonSystemError},
}

// fmlAdminRe is the list maintainer address fml sends its notices from.
var fmlAdminRe = lazyre.New(`(?i)(?:^|[<\s])(?:[^\s<>@]+-(?:admin|request|owner)|owner-[^\s<>@]+)@`)

// isFmlNotice reports whether the header is that of a notice fml itself
// wrote (not a list post, which carries X-MLServer too): sent by the list
// maintainer address with a Message-ID that fml generated ("...FML...").
func isFmlNotice(h dsn.Header) bool {
	return strings.HasPrefix(strings.ToLower(h.Get("X-MLServer")), "fml") &&
		fmlAdminRe.MatchString(h.Get("From")) && strings.Contains(h.Get("Message-ID"), ".FML")
}

func (fml) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !isFmlNotice(m.Header) {
		return nil, false
	}
	text := m.Subject() + "\n" + paragraph(m.BodyText())
	status := ""
	for _, e := range fmlErrors {
		if e.re.MatchString(text) {
			status = dsn.DefaultStatus(e.reason, false)
			break
		}
	}
	if status == "" {
		return nil, false
	}
	addr := dsn.FindAddress(paragraph(m.BodyText()))
	if addr == "" {
		addr = dsn.FindAddress(m.Header.Get("To"))
	}
	if addr == "" {
		return nil, false
	}
	rc := dsn.Recipient{Recipient: addr, Action: dsn.ActionFailed, Status: status, Diagnostic: paragraph(m.BodyText())}
	return &dsn.Report{Recipients: []dsn.Recipient{rc}}, true
}
