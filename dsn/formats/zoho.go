package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// zoho reads the bounces of Zoho Mail (X-ZohoMail, X-Mailer: Zoho Mail,
// From: mailer-daemon@mail.zoho.com). The reply code and text follow
// Zoho's label on the recipient's line:
//
//	This message was created automatically by mail delivery software.
//	A message that you sent could not be delivered to one or more of its
//	recipients. This is a permanent error.
//
//	user@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :Requested action not taken: mailbox unavailable
//
// Delay warnings ("THIS IS A WARNING MESSAGE ONLY.") list
//
//	[Status: Error, Address: <user@example.jp>, ResponseCode 421, , Host not reachable.]
//
// The returned message's header follows, unindented ("Received:from ...").
type zoho struct{}

func init() { dsn.Register(dsn.OrderText+20, zoho{}) }

func (zoho) Name() string { return "zoho" }

var (
	// zohoLineRe: "addr label, ERROR_CODE :550, ERROR_CODE :text".
	zohoLineRe = lazyre.New(`^(\S+@\S+)\s+(.*?),?\s*ERROR_CODE\s*:\s*([245]\d\d)?\s*,?\s*ERROR_CODE\s*:\s*(.*)$`)
	// zohoStatusRe: "[Status: Error, Address: <addr>, ResponseCode 421, , text]".
	zohoStatusRe = lazyre.New(`^\[Status:\s*[^,]*,\s*Address:\s*<([^<>\s]+@[^<>\s]+)>,\s*ResponseCode\s*([245]\d\d)?[ ,]*(.*?)\]?$`)
	zohoIntroRe  = lazyre.New(`(?m)^This message was created automatically by mail delivery (?:software|system)\.`)
)

// zohoExpired is Zoho's own sentence for a host it could not reach.
const zohoExpired = "host not reachable"

func (zoho) Parse(m *dsn.Message) (*dsn.Report, bool) {
	// X-ZohoMail is on all mail Zoho sends; the notice comes from its
	// mailer daemon.
	if !pvBounceSignal(m) || (!m.Header.Has("X-ZohoMail") && !pvFromHas(m, "zoho.com")) {
		return nil, false
	}
	body := m.BodyText()
	if !zohoIntroRe.MatchString(body) {
		return nil, false
	}
	delayed := strings.Contains(body, "THIS IS A WARNING MESSAGE ONLY")
	r := &dsn.Report{}
	for _, l := range strings.Split(body, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(strings.ToLower(t), "received:") {
			break // the returned message's header
		}
		if rc, ok := zohoRecipient(t, delayed); ok {
			r.Recipients = append(r.Recipients, rc)
		}
	}
	return r, len(r.Recipients) > 0
}

// zohoRecipient reads one recipient line of either layout.
func zohoRecipient(t string, delayed bool) (dsn.Recipient, bool) {
	rc := dsn.Recipient{Action: dsn.ActionFailed, DiagnosticType: "smtp"}
	if delayed {
		rc.Action = dsn.ActionDelayed
	}
	var text string
	if sm := zohoLineRe.FindStringSubmatch(t); sm != nil {
		rc.Recipient, rc.ReplyCode, text = sm[1], sm[3], strings.TrimSpace(sm[4])
		if text == "" || text == "," {
			text = strings.TrimSpace(sm[2])
		}
	} else if sm := zohoStatusRe.FindStringSubmatch(t); sm != nil {
		rc.Recipient, rc.ReplyCode, text = sm[1], sm[2], strings.Trim(sm[3], " ,")
	} else {
		return rc, false
	}
	text = strings.TrimLeft(text, ", ")
	rc.Diagnostic = strings.TrimSpace(rc.ReplyCode + " " + text)
	if strings.Contains(strings.ToLower(text), zohoExpired) {
		rc.Reason = "expired"
	}
	return rc, rc.Recipient != ""
}
