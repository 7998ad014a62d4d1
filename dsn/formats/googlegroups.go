package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
)

// googleGroups reads Google Groups' refusal to post, which Gmail's mailer
// daemon sends in the poster's language:
//
//	From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
//	X-Failed-Recipients: group@googlegroups.com
//
//	Hello sender@example.jp,
//
//	We're writing to let you know that the group you tried to contact
//	(group) may not exist, or you may not have permission to post messages
//	to the group. ...
//	If you have questions ... visit the Help Center at
//	https://groups.google.com/support/.
//
//	Thanks,
//
//	Google Groups
//
//	----- Original message -----
//
// The notice never quotes an SMTP reply: the group refused the post, so
// the reason is "rejected" whatever the language.
type googleGroups struct{}

func init() { dsn.Register(dsn.OrderText+20, googleGroups{}) }

func (googleGroups) Name() string { return "googlegroups" }

// googleGroupsMarks are the language-independent lines of the notice: the
// help centre address and the signature.
var googleGroupsMarks = []string{"groups.google.com/support", "google groups"}

func (googleGroups) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !pvFromHas(m, "mailer-daemon@googlemail.com", "mailer-daemon@google.com") {
		return nil, false
	}
	lines := pvLines(m)
	end := pvIndex(lines, 0, gmailEnd...)
	if end < 0 {
		end = len(lines)
	}
	notice := lines[:end]
	if !pvContains(notice, googleGroupsMarks...) || pvIndex(notice, 0, gmailStart) >= 0 {
		return nil, false
	}
	addrs := googleGroupsAddrs(m)
	if len(addrs) == 0 {
		return nil, false
	}
	diag := googleGroupsDiagnostic(notice)
	r := &dsn.Report{Recipients: pvRecipients(addrs, diag, false)}
	for i := range r.Recipients {
		r.Recipients[i].Reason = "rejected"
	}
	pvInlineOriginal(r, m, gmailOriginalRe)
	return r, true
}

// googleGroupsAddrs returns the refused group addresses: those of
// X-Failed-Recipients, else the returned message's googlegroups.com
// recipients.
func googleGroupsAddrs(m *dsn.Message) []string {
	if a := pvFailedRecipients(m); len(a) > 0 {
		return a
	}
	if m.Original == nil {
		return nil
	}
	var out []string
	for _, a := range dsn.FindAddresses(m.Original.Get("To") + " " + m.Original.Get("Cc")) {
		if strings.HasSuffix(strings.ToLower(a), "googlegroups.com") {
			out = append(out, a)
		}
	}
	return out
}

// googleGroupsDiagnostic returns the notice without its greeting line
// (which names the poster, not the group) and the signature.
func googleGroupsDiagnostic(notice []string) string {
	var text []string
	for _, l := range notice {
		t := strings.TrimSpace(l)
		if t == "" || (len(text) == 0 && strings.Contains(t, "@")) {
			continue
		}
		text = append(text, t)
	}
	return strings.Join(text, " ")
}
