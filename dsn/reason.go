package dsn

import (
	"strings"

	"github.com/bouncenote/bouncenote/entity"
)

// Facts is everything the reason classifier looks at for one recipient. Only
// Status, ReplyCode, Command and Text are needed; the other fields sharpen
// the answer when the caller has them.
type Facts struct {
	Status         string // enhanced status code, RFC 3463: "5.1.1"
	ReplyCode      string // SMTP reply code, RFC 5321 §4.2: "550"
	Command        string // SMTP command that failed: "RCPT", "MAIL", "DATA", "EHLO", ...
	Text           string // diagnostic text (the remote server's reply or the MTA's message)
	DiagnosticType string // RFC 3464 §2.3.6 type: "smtp", "x-unix", "x-postfix", ...
	Action         string // RFC 3464 §2.3.3 action: "failed", "delayed", ...
	RemoteMTA      string // RFC 3464 §2.3.5 remote MTA: "mx.example.jp" or "dns; mx.example.jp"
	ReportingMTA   string // RFC 3464 §2.2.2 reporting MTA; names the provider when RemoteMTA is empty
	Recipient      string // the failed address; its domain picks the provider
}

// Classify returns the Sisimai reason name for one failed or delayed delivery,
// from its enhanced status code ("5.1.1"), SMTP reply code ("550"), the SMTP
// command that failed ("RCPT") and the diagnostic text.
func Classify(status, replyCode, command, text string) string {
	return ClassifyFacts(Facts{Status: status, ReplyCode: replyCode, Command: command, Text: text})
}

// ClassifyRecipient classifies a parsed recipient, using its diagnostic type
// and action as well as its codes, command and text.
func ClassifyRecipient(r *Recipient) string {
	return classifyRecipientAt(r, "")
}

// classifyRecipientAt classifies a parsed recipient of a report whose
// Reporting-MTA is reporting (may be empty).
func classifyRecipientAt(r *Recipient, reporting string) string {
	if r == nil {
		return ReasonUndefined
	}
	return ClassifyFacts(RecipientFacts(r, reporting))
}

// RecipientFacts are the facts of a parsed recipient of a report whose
// Reporting-MTA is reporting (may be empty), as Parse classifies them.
func RecipientFacts(r *Recipient, reporting string) Facts {
	return Facts{
		Status: r.Status, ReplyCode: r.ReplyCode, Command: r.Command, Text: r.Diagnostic,
		DiagnosticType: r.DiagnosticType, Action: string(r.Action),
		RemoteMTA: r.RemoteMTA, ReportingMTA: reporting, Recipient: r.Recipient,
	}
}

// FromCodes reports whether reason is what f gives without its text: the
// words did not change the classification, so the reason says no more
// than the codes (and the command, action and hosts) do.
func FromCodes(f Facts, reason string) bool {
	f.Text = ""
	return ClassifyFacts(f) == reason
}

// ClassifyFacts returns the Sisimai reason name for one recipient. The checks
// run in this order (the first that answers wins):
//
//  1. A 2.x.x status is "delivered".
//  2. An error label of the table (Orange's "LPN007_416") decides.
//  3. A provider's own wording decides when the mail went to or through that
//     provider (remote MTA or recipient domain, see providerHosts).
//  4. A decisive phrase (an MTA's fixed sentence, a provider's documented
//     message) decides, whatever the code says.
//  5. For SMTP diagnostics (or an unknown type) the probes of probeOrder run
//     in turn; each combines the status code's reason (statusReasons), the
//     reply code, the failed command and the reason's phrases, as Sisimai's
//     reason classes do (for example 5.1.1 is userunknown unless the text says
//     the mailbox is full or relaying is denied; "user unknown" after DATA is
//     filtered, not userunknown).
//  6. A refused EHLO or HELO (one with a reply code) is "blocked": the
//     server refused the client.
//  7. When the code is missing or names only a retryable reason, the generic
//     phrases of fallbackOrder, then the status code's own reason, then the
//     class of the code (x.6.x contenterror, x.7.x securityerror), an x-unix
//     diagnostic (mailererror), a 40x/50x syntax reply (syntaxerror), a
//     delayed action (expired), an EHLO or HELO that broke off (blocked)
//     and a failed STARTTLS (failedstarttls).
//  8. An auto-reply is "vacation"; any other text is "onhold"; nothing at all
//     is "undefined".
//  9. A refusal at MAIL FROM is never about the recipient: userunknown,
//     hostunknown, suspend and hasmoved become "rejected" (the sender).
func ClassifyFacts(f Facts) string {
	in := newInput(f)
	r := classify(in)
	if in.command == "MAIL" && recipientReasons[r] {
		// Refused at MAIL FROM, before any recipient was named: the words
		// ("domain not found", "no such user") are about the sender.
		return ReasonRejected
	}
	return r
}

// recipientReasons are about the recipient's mailbox or domain, so they
// cannot be the cause of a refusal at MAIL FROM.
var recipientReasons = map[string]bool{
	ReasonUserUnknown: true, ReasonHostUnknown: true, ReasonSuspend: true, ReasonHasMoved: true,
}

// classify runs the checks of ClassifyFacts.
func classify(in *input) string {
	if strings.HasPrefix(in.status, "2.") {
		return ReasonDelivered
	}
	if r := textDecides(in); r != "" {
		return r
	}
	if in.dtype == "" || in.dtype == "smtp" {
		for _, r := range probeOrder {
			if probe(r, in) {
				return r
			}
		}
	}
	if (in.command == "EHLO" || in.command == "HELO") && in.reply != "" {
		// The server answered the client's greeting with a refusal. (A
		// session that only broke off during EHLO is left to the later
		// checks, where the command counts last, as in Sisimai.)
		return ReasonBlocked
	}
	if r := fallback(in); r != "" {
		return r
	}
	if in.delayed {
		return ReasonExpired
	}
	switch {
	case in.words.matches(ReasonVacation):
		return ReasonVacation
	case in.text != "":
		return ReasonOnHold
	}
	return ReasonUndefined
}

// textDecides returns the reason an error label, a provider's wording or a
// decisive phrase names, or "".
func textDecides(in *input) string {
	if in.text == "" {
		return ""
	}
	if r := in.words.labelReason(); r != "" {
		return r
	}
	if r := in.words.providerReason(in.hosts); r != "" {
		return r
	}
	if r := carrierReason(in); r != "" {
		return r
	}
	if ownDomainUnrouteable(in) {
		return ReasonUserUnknown
	}
	if r := in.words.decisiveReason(); r != "" {
		return r
	}
	return ""
}

// input is Facts normalised for matching.
type input struct {
	status  string  // "5.1.1", or "" when absent or malformed
	code    string  // reason the status code names by itself (statusReasons), or ""
	reply   string  // "550", or ""
	command string  // upper case, first word: "RCPT"
	text    string  // lower case, white space folded, continuation prefixes removed
	words   phrases // text with the reason table's phrases it holds
	dtype   string  // lower case diagnostic type
	delayed bool
	hosts   hostFacts
	ownHost bool // hosts.remote is the Reporting-MTA: no remote MTA was named
}

func newInput(f Facts) *input {
	in := &input{
		status:  findStatus(f.Status),
		command: normCommand(f.Command),
		text:    normText(f.Text),
		dtype:   normDiagType(f.DiagnosticType),
		hosts:   newHostFacts(f.RemoteMTA, f.Recipient),
	}
	in.words = scanPhrases(in.text)
	if in.hosts.remote == "" {
		// QUIRK: a provider's outbound relay (AOL's) writes its own reports
		// without Remote-MTA; its name is then the only host we know.
		in.hosts.remote = newHostFacts(f.ReportingMTA, "").remote
		in.ownHost = in.hosts.remote != ""
	}
	if rc := strings.TrimSpace(f.ReplyCode); len(rc) == 3 && replyAt(rc, 0, false) == 3 { // ^[245]\d\d$
		in.reply = rc
	}
	if in.command == "" {
		in.command = in.words.commandInText()
	}
	in.code = statusReasons[in.status]
	act := strings.ToLower(strings.TrimSpace(f.Action))
	in.delayed = act == "delayed" || act == "expired"
	return in
}

// normDiagType lowercases a diagnostic type. "unknown" (Courier) says no
// more than an absent type, so it becomes "".
func normDiagType(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	if t == "unknown" {
		return ""
	}
	return t
}

// carrierReason applies the rules of carriers whose one reply means
// different things at different commands: NTT docomo answers "550 Unknown
// user" both at RCPT (the address does not exist) and after DATA, where the
// address was already accepted and the reply means the recipient refuses
// this sender (the handset's sender filter), as Sisimai's docomo rule says.
func carrierReason(in *input) string {
	if !in.hosts.belongTo("docomo") || !strings.Contains(in.text, "unknown user") {
		return ""
	}
	if in.command == "DATA" && (in.status == "" || strings.HasSuffix(in.status, ".0.0")) {
		return ReasonRejected
	}
	return ""
}

// ownDomainUnrouteable reports an Exim "Unrouteable address" for an
// address in the reporting host's own domain, delivered nowhere else (no
// remote MTA): no router took the local part, so there is no such user.
// Elsewhere the phrase means the domain cannot be routed (hostunknown).
// QUIRK: Exim 4.96 (testdata/mta/exim/bounces/user-unknown-local.eml,
// Reporting-MTA mx.lab.test) writes "nosuchuser@lab.test / Unrouteable
// address" for an unknown local user.
func ownDomainUnrouteable(in *input) bool {
	if !strings.Contains(in.text, "unrouteable address") || in.hosts.domain == "" {
		return false
	}
	h, d := in.hosts.remote, in.hosts.domain
	return in.ownHost && (h == d || strings.HasSuffix(h, "."+d))
}

// findStatus returns the first class.subject.detail code in s, or "":
// the first match of `\b([245]\.\d{1,3}\.\d{1,3})\b` (boundedStatus).
func findStatus(s string) string {
	if i, j := boundedStatus(s); i >= 0 {
		return s[i:j]
	}
	return ""
}

// normCommand keeps the verb of an SMTP command: "RCPT TO" -> "RCPT",
// "end of DATA" -> "DATA".
func normCommand(c string) string {
	c = strings.ToUpper(strings.TrimSpace(c))
	if strings.Contains(c, "DATA") {
		return "DATA"
	}
	if i := strings.IndexAny(c, " :"); i > 0 {
		c = c[:i]
	}
	return c
}

// commandWords are wordings, beyond "in reply to RCPT TO command" (which the
// format readers find), that name the SMTP command a reply answered: qmail's
// fixed sentences and the "SMTP:RCPT host ..." prefix of some gateways.
var commandWords = []struct{ words, command string }{
	{" does not like recipient", "RCPT"},
	{" but sender was rejected", "MAIL"},
	{" failed on data command", "DATA"},
	{" failed after i sent the message", "DATA"},
	{" but my name was rejected", "EHLO"},
	{" but greeting failed", "CONN"},
	{"most progress was rcpt to response", "RCPT"},
	{"[rcpt_to]", "RCPT"},
	{"smtp:rcpt ", "RCPT"},
	{"smtp:mail ", "MAIL"},
	{"smtp:data ", "DATA"},
}

// normText lowercases the diagnostic, folds white space and removes the
// "550-5.7.1 " prefixes of the continuation lines of a multi-line reply.
func normText(t string) string {
	if t == "" {
		return ""
	}
	if !entity.IsASCII(t) {
		t = strings.ToLower(t)
		return strings.TrimSpace(collapseSpaceRE(replaceContinuations(t)))
	}
	return strings.TrimSpace(normASCII(t))
}

// normASCII is collapseSpaceRE(replaceContinuations(strings.ToLower(t)))
// for ASCII text, in one pass and one copy: long diagnostics (megabytes)
// are read at the speed of the copy. Lower-casing commutes with the other
// two, which only look at digits, "-", "." and white space.
func normASCII(t string) string {
	b := make([]byte, len(t)) // the result is never longer
	w := 0
	space := false // b[:w] ends in the space that stands for a run of white space
	for a := 0; a < len(t); {
		c := t[a]
		sp := isSpaceRE(c)
		if sp || a == 0 {
			// a continuation prefix: `(?:^|\s)[245]\d\d-(?:[245]\.\d{1,3}\.\d{1,3}\s)?`
			core := a + 1
			if a == 0 && continuationAt(t, 0) >= 0 {
				core = 0 // ^ is tried before \s
			} else if !sp {
				core = -1
			}
			if core >= 0 {
				if end := continuationAt(t, core); end >= 0 {
					if !space {
						b[w], w, space = ' ', w+1, true
					}
					a = end
					continue
				}
			}
		}
		switch {
		case sp:
			if !space {
				b[w], w, space = ' ', w+1, true
			}
		case 'A' <= c && c <= 'Z':
			b[w], w, space = c+'a'-'A', w+1, false
		default:
			b[w], w, space = c, w+1, false
		}
		a++
	}
	return string(b[:w])
}

// Commands sent before DATA: a rejection at one of these cannot be about
// the message content.
var commandsBeforeDATA = map[string]bool{
	"CONN": true, "EHLO": true, "HELO": true, "STARTTLS": true, "AUTH": true, "MAIL": true, "RCPT": true,
}

// retryable reasons are the ones a status code alone may name while the
// text still deserves a look (Sisimai's "should be retried" list).
var retryable = map[string]bool{
	"": true, ReasonUndefined: true, ReasonOnHold: true, ReasonSystemError: true, ReasonSecurityError: true,
	ReasonExpired: true, ReasonNetworkError: true, ReasonHostUnknown: true, ReasonUserUnknown: true,
}

// explicit reports whether r is a decided reason.
func explicit(r string) bool { return r != "" && r != ReasonUndefined && r != ReasonOnHold }

// IsHardBounce reports whether a failure with this reason and codes is
// permanent in the Sisimai sense: userunknown, hostunknown, hasmoved, and
// notaccept unless its code is a 4xx one.
func IsHardBounce(reason, status, replyCode string) bool {
	switch reason {
	case ReasonUserUnknown, ReasonHostUnknown, ReasonHasMoved:
		return true
	case ReasonNotAccept:
		code := findStatus(status)
		if code == "" {
			code = strings.TrimSpace(replyCode)
		}
		return !strings.HasPrefix(code, "4")
	}
	return false
}
