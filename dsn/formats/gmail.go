package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// gmail reads the plain-text Delivery Status Notifications of Gmail
// (From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>), written
// before Gmail sent RFC 3464 reports (those go to the standard reader):
//
//	Delivery to the following recipient failed permanently:
//
//	     user@example.jp
//
//	Technical details of permanent failure:
//	Google tried to deliver your message, but it was rejected by the server
//	for the recipient domain example.jp by mx.example.jp. [192.0.2.153].
//
//	The error that the other server returned was:
//	550 5.1.1 <user@example.jp>... User Unknown
//
//	----- Original message -----
//
// The delay notice says "Delivery to the following recipient has been
// delayed:" and "Technical details of temporary failure:". Older notices
// quote the reply code twice and add Gmail's SMTP state: "550 550 5.1.1
// ... (state 14)."
type gmail struct{}

func init() { dsn.Register(dsn.OrderText+20, gmail{}) }

func (gmail) Name() string { return "gmail" }

// Gmail's fixed lines.
const (
	gmailStart   = "delivery to the following recipient" // "...s failed permanently:", "... has been delayed:"
	gmailDetails = "technical details of "               // "permanent failure:", "temporary failure:"
)

// gmailEnd are the lines that start the returned message.
var gmailEnd = []string{"----- original message -----", "----- message header follows -----"}

// gmailStates maps Gmail's "(state N)" annotation (its SMTP session state)
// to the reason that state implies when the quoted reply has no specific
// enhanced code. (The command each state stands for is not documented, so
// none is inferred.)
var gmailStates = map[string]string{
	"6":  "systemerror",    // "500 Remote server does not support TLS"
	"8":  "systemerror",    // "535 SMTP AUTH failed with the remote server."
	"9":  "systemerror",    // "454 454 TLS missing certificate"
	"12": "relayingdenied", // "500 Remote server does not support SMTP Authenticated Relay"
	"13": "blocked",        // "550 550 5.7.1 <...>... Access denied"
	"14": "userunknown",    // "550 550 5.1.1 <...>... User Unknown"
	"15": "filtered",       // "550 550 5.7.1 SPF unauthorized mail is prohibited."
	"17": "filtered",       // "550 550 <...> No such user here"
	"18": "filtered",       // "550 550 Unknown user ..."
}

var (
	gmailStateRe = lazyre.New(`\(state (\d{1,2})\)\.?\s*$`)
	// gmailServerSayRe introduces the remote server's reply.
	gmailServerSayRe = lazyre.New(`(?i)the error that the other server returned was:\s*(.*)$`)
	gmailRemoteRe    = lazyre.New(`(?i)\bby ([a-z0-9][a-z0-9.-]*[a-z0-9])\.? \[([0-9a-f.:]+)\]`)
)

// gmailReasons are Gmail's own sentences (not the remote server's) that
// say why it gave up; they decide the reason when no remote reply is
// quoted.
var gmailReasons = []struct{ phrase, reason string }{
	{"dns error: domain name not found", "hostunknown"},
	{"dns error: dns server returned answer with no data", "hostunknown"},
	{"dns error: could not contact dns servers", "expired"},
	{"the recipient server did not accept our requests to connect", "expired"},
}

func (gmail) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !pvFromHas(m, "mailer-daemon@googlemail.com", "mailer-daemon@google.com") {
		return nil, false
	}
	lines := pvLinesWith(m, gmailStart)
	start := pvIndex(lines, 0, gmailStart)
	if start < 0 {
		return nil, false
	}
	end := pvIndex(lines, start, gmailEnd...)
	if end < 0 {
		end = len(lines)
	}
	addrs, details := gmailBlock(lines[start+1 : end])
	if len(addrs) == 0 {
		return nil, false
	}
	head := strings.ToLower(lines[start])
	temporary := strings.Contains(head, "delayed") || strings.Contains(strings.ToLower(details), "temporary failure")
	rc := gmailRecipient(details, lines[start])
	r := &dsn.Report{Recipients: pvRecipients(addrs, rc.Diagnostic, temporary)}
	for i := range r.Recipients {
		x := &r.Recipients[i]
		x.Command, x.RemoteMTA, x.Reason, x.DiagnosticType = rc.Command, rc.RemoteMTA, rc.Reason, rc.DiagnosticType
	}
	pvInlineOriginal(r, m, gmailOriginalRe)
	pvDefaultStatuses(r)
	return r, true
}

// gmailOriginalRe is the line before the returned message's header.
var gmailOriginalRe = lazyre.New(`(?m)^----- (?:Original message|Message header follows) -----`)

// gmailBlock returns the indented recipient addresses that follow the
// opening line and the text of the technical details (or of whatever
// follows the addresses).
func gmailBlock(lines []string) ([]string, string) {
	var addrs []string
	var text []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			continue
		case len(text) == 0 && (l[0] == ' ' || l[0] == '\t') && strings.Contains(t, "@") && !strings.ContainsAny(t, " \t"):
			if a := dsn.FindAddress(t); a != "" {
				addrs = append(addrs, a)
			}
		default:
			text = append(text, t)
		}
	}
	return addrs, strings.Join(text, " ")
}

// gmailRecipient builds the shared recipient fields from the details
// text: the remote server's reply when Gmail quotes it (the reply code
// written once, without Gmail's state), the remote host, a reason from the
// state, and a reason for Gmail's own connection and DNS sentences.
func gmailRecipient(details, head string) dsn.Recipient {
	var rc dsn.Recipient
	if sm := gmailRemoteRe.FindStringSubmatch(details); sm != nil {
		rc.RemoteMTA = sm[1]
	}
	low := strings.ToLower(details)
	if sm := gmailServerSayRe.FindStringSubmatch(details); sm != nil {
		reply := strings.TrimSpace(sm[1])
		if sm := gmailStateRe.FindStringSubmatch(reply); sm != nil {
			reply = strings.TrimSpace(reply[:len(reply)-len(sm[0])])
			if code := dsn.FindStatus(reply); code == "" || strings.HasSuffix(code, ".0") {
				rc.Reason = gmailStates[sm[1]] // the reply names no specific cause
			}
		}
		rc.Diagnostic = pvDedupReply(reply)
		rc.DiagnosticType = "smtp"
		return rc
	}
	for _, g := range gmailReasons {
		if strings.Contains(low, g.phrase) {
			rc.Reason = g.reason
			break
		}
	}
	rc.Diagnostic = details
	if rc.Diagnostic == "" {
		rc.Diagnostic = strings.TrimSpace(head)
	}
	return rc
}
