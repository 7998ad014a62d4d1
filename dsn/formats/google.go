package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// google reads the RFC 3464 reports of Gmail and Google Workspace whose
// delivery-status part has no Diagnostic-Code: the reason is then only in
// the text part, under a heading, and the remote server's reply (when
// there was one) after "The response from the remote server was:", often
// as a multi-line reply:
//
//	** Address not found **
//
//	Your message wasn't delivered to user@example.com because the address
//	couldn't be found. Check for typos or unnecessary spaces and try again.
//
//	The response from the remote server was:
//	550-5.1.1 The email account that you tried to reach does not exist.
//	550 5.1.1 https://support.google.com/mail/?p=NoSuchUser
//
// Reports that carry a Diagnostic-Code are left to the standard reader;
// Google Workspace notices without any delivery-status part are read from
// the text alone.
type google struct{}

func init() { dsn.Register(orderProviderReport, google{}) }

func (google) Name() string { return "google" }

var (
	googleHeadingRe  = lazyre.New(`^\*\* (.{3,80}) \*\*$`)
	googleResponseRe = lazyre.New(`(?i)^the response (?:from the remote server )?was:\s*(.*)$`)
)

// googleHeadings are Google's headings that name the reason by themselves;
// they decide only when no remote reply is quoted.
var googleHeadings = map[string]string{
	"address not found":    "userunknown",
	"domain not found":     "hostunknown",
	"recipient inbox full": "mailboxfull",
}

func (google) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !pvFromHas(m, "mailer-daemon@googlemail.com", "mailer-daemon@google.com") {
		return nil, false
	}
	heading, notice, reply := googleText(pvLines(m))
	if len(m.Status) == 0 {
		return googleTextOnly(m, heading, notice, reply)
	}
	r := pvStatusReport(m)
	if r == nil || !googleNeedsText(r) {
		return nil, false
	}
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		if rc.Diagnostic != "" {
			continue
		}
		switch {
		case reply != "":
			rc.Diagnostic, rc.DiagnosticType = reply, "smtp"
		case notice != "":
			rc.Diagnostic = notice
			rc.Reason = googleHeadings[strings.ToLower(heading)]
		}
	}
	return r, true
}

// googleNeedsText reports whether a recipient lacks a diagnostic.
func googleNeedsText(r *dsn.Report) bool {
	for _, rc := range r.Recipients {
		if rc.Diagnostic == "" {
			return true
		}
	}
	return false
}

// googleText returns the heading, the notice under it (heading included)
// and the remote reply, its lines joined.
func googleText(lines []string) (heading, notice, reply string) {
	var text, resp []string
	inReply := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if sm := googleHeadingRe.FindStringSubmatch(t); sm != nil && heading == "" {
			heading = sm[1]
			text = append(text, sm[1]+".")
			continue
		}
		if heading == "" {
			continue
		}
		if sm := googleResponseRe.FindStringSubmatch(t); sm != nil {
			inReply = true
			if sm[1] != "" {
				resp = append(resp, sm[1])
			}
			continue
		}
		switch {
		case inReply && t == "" && len(resp) > 0:
			return heading, strings.Join(text, " "), strings.Join(resp, " ")
		case inReply && t != "":
			resp = append(resp, t)
		case t != "" && !strings.HasPrefix(strings.ToLower(t), "learn more"):
			text = append(text, t)
		}
	}
	return heading, strings.Join(text, " "), strings.Join(resp, " ")
}

// googleRetryRe matches Gmail's delay notices: "** Delivery incomplete **",
// "There was a temporary problem delivering your message to ... Gmail will
// retry for 47 more hours." The reply they quote is the last attempt's, so
// its 5xx code does not make the delivery final.
var googleRetryRe = lazyre.New(`(?i)delivery incomplete|temporary problem delivering|will (?:retry|keep trying)`)

// googleRetrying reports whether a Google notice says delivery is retried.
func googleRetrying(heading, notice string) bool {
	return googleRetryRe.MatchString(heading) || googleRetryRe.MatchString(notice)
}

// googleTextOnly reads a Google Workspace notice that has no
// delivery-status part: the heading and notice (or the quoted reply) of
// its text, for the addresses of X-Failed-Recipients, else the address the
// notice names, else the returned message's recipient.
func googleTextOnly(m *dsn.Message, heading, notice, reply string) (*dsn.Report, bool) {
	if heading == "" {
		return nil, false
	}
	addrs := pvFailedRecipients(m)
	if len(addrs) == 0 {
		if a := dsn.FindAddress(notice); a != "" {
			addrs = []string{a}
		} else if m.Original != nil {
			addrs = pvNonEmpty([]string{dsn.FindAddress(m.Original.Get("To"))})
		}
	}
	if len(addrs) == 0 {
		return nil, false
	}
	r := &dsn.Report{Recipients: pvRecipients(addrs, notice, googleRetrying(heading, notice))}
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		if reply != "" {
			rc.Diagnostic, rc.DiagnosticType = reply, "smtp"
		} else {
			rc.Reason = googleHeadings[strings.ToLower(heading)]
		}
	}
	pvDefaultStatuses(r)
	return r, true
}
