package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// legacy reads the short plain-text notices of older and smaller mail
// systems (MDaemon, Microsoft CDO, SmarterMail, Smail 3, USA.NET's mail
// system, E500 SMTP Mail Service, Post.Office, Netscape Messaging Server,
// the phquery directory mailer, AOL, Exchange 2000, MIMEsweeper) that name
// their failed recipients on a labelled line under a fixed heading. Each
// family is one row of legacyLayouts and is registered as its own Format,
// so Report.Format names the family.
type legacy struct{ l *legacyLayout }

// legacyLayout is one family's layout.
type legacyLayout struct {
	name string
	// marker is the family's fixed heading or sentence in the bounce's
	// own text; required.
	marker *lazyre.Regexp
	// vendor, when set, is a From or header mark of the family that
	// stands in for the generic bounce signals (null sender, daemon
	// From, bounce subject); sigFree families need no signal at all
	// because their marker is unmistakable.
	vendor  func(m *dsn.Message) bool
	sigFree bool
	// anywhere: the recipient line may come before the marker.
	anywhere bool
	// localDomain, when set, completes a bare local part (a screen name)
	// with the domain it returns; the recipient lines are then only the
	// block right after the marker.
	localDomain func(m *dsn.Message) string
	// addr matches a recipient line at or after the marker: group 1 is
	// the address, an optional group 2 the reason on the same line.
	addr *lazyre.Regexp
	// diag, when set, picks the diagnostic from the whole text (the last
	// match wins; group 1 when present) instead of the lines after the
	// recipient line.
	diag *lazyre.Regexp
	// skip matches lines after the recipient line that are not part of
	// its diagnostic (echoed subject lines, labels).
	skip *lazyre.Regexp
	// reasonRe, when it matches the diagnostic, states reason in the
	// family's own fixed words.
	reasonRe *lazyre.Regexp
	reason   string
}

var legacyLayouts = []*legacyLayout{
	{
		// MDaemon: "The following addresses did NOT receive a copy of
		// your message:" / "> user@example.com", then the SMTP session
		// transcript whose last error reply is the reason.
		name:   "mdaemon",
		marker: lazyre.New(`(?i)did not receive a copy of your message`),
		vendor: mdaemonVendor,
		addr:   lazyre.New(`^\s*>\s*<?([^\s<>"]+@[^\s<>"]+?)>?\s*$`),
		diag:   lazyre.New(`(?m)^\s*([45]\d\d[ -]\S.*)$`),
	},
	{
		// MDaemon's local notice: "user@example.com - no such user here."
		name:   "mdaemon-local",
		marker: lazyre.New(`(?im)^\s*\S+@\S+ - no such user here\.?\s*$`),
		vendor: mdaemonVendor,
		addr:   lazyre.New(`^\s*<?([^\s<>"]+@[^\s<>"]+?)>? - (no such user here\.?)\s*$`),
	},
	{
		// Microsoft CDO (Exchange/IIS SMTP scripts): "--- Non-Delivery
		// Report ---" / "The email below could not be delivered to the
		// following user:" / "\"user@example.com\" <user@example.com>".
		name:    "cdo",
		marker:  lazyre.New(`(?m)^\s*-{2,} ?Non-Delivery Report ?-{2,}\s*$`),
		sigFree: true,
		addr:    lazyre.New(`^\s*(?:"[^"]*"\s*)?<([^\s<>"]+@[^\s<>"]+)>\s*$`),
		diag:    lazyre.New(`(?i)could not be delivered to the following user`),
	},
	{
		// SmarterMail: "Could not deliver message to the following
		// recipient(s):" / "Failed Recipient: user@example.com" /
		// "Reason: Remote host said: 550 ...".
		name:   "smartermail",
		marker: lazyre.New(`(?i)could not deliver message to the following recipient`),
		addr:   lazyre.New(`(?i)^\s*Failed Recipient:\s*<?([^\s<>"]+@[^\s<>"]+?)>?\s*$`),
		skip:   lazyre.New(`(?i)^\s*reason:\s*$`),
	},
	{
		// Smail 3: "|---- Failed addresses follow: ----|" /
		// " user@example.com ... unknown host".
		name:   "smail",
		marker: lazyre.New(`(?im)^\|?-+ ?Failed addresses follow:? ?-+\|?\s*$`),
		addr:   lazyre.New(`^\s*<?([^\s<>"]+@[^\s<>"]+?)>?\s+\.\.\.\s+(\S.*)$`),
	},
	{
		// USA.NET: "Intended recipient: user@example.net" / "The following
		// mail has been returned because it encountered an error ...".
		name:     "usanet",
		anywhere: true,
		marker:   lazyre.New(`(?i)has been returned because it encountered an error`),
		addr:     lazyre.New(`(?i)^\s*Intended recipient:\s*<?([^\s<>"]+@[^\s<>"]+?)>?\s*$`),
		diag:     lazyre.New(`(?i)((?:the following )?mail has been returned because it encountered an error[^.]*)`),
	},
	{
		// E500 SMTP Mail Service: "------ Failed Recipients ------" /
		// "<user@example.com>: reason. [SMTP Error Code 550]".
		name:   "e500",
		marker: lazyre.New(`(?im)^\s*-{3,} ?Failed Recipients ?-{3,}\s*$`),
		addr:   lazyre.New(`^\s*<([^\s<>"]+@[^\s<>"]+)>:?\s+(\S.*)$`),
	},
	{
		// Post.Office: "Your message has encountered delivery problems
		// to local user X." / "(Originally addressed to user@...)", or
		// "... to the following recipient(s):" / "user@example.com" (and
		// "(Was addressed to ...)"), then the reason.
		name:   "postoffice",
		marker: lazyre.New(`(?i)your message has encountered delivery problems`),
		addr:   lazyre.New(`(?i)^\s*(?:\((?:originally|was) addressed to\s+)?<?([^\s<>"()]+@[^\s<>"()]+?)>?\)?\s*$`),
		skip:   lazyre.New(`(?i)^\s*your message reads`),
	},
	{
		// Netscape / iPlanet Messaging Server: "This Message was
		// undeliverable due to the following reason:" / the reason
		// paragraphs / "The following recipients did not receive your
		// message:" / "<user@example.com>" (the heading repeats for each
		// recipient).
		name:   "netscape",
		marker: lazyre.New(`(?i)this message was undeliverable due to the following reason`),
		addr:   lazyre.New(`^\s*<([^\s<>"]+@[^\s<>"]+)>\s*$`),
		diag:   lazyre.New(`(?is)due to the following reason:\s*\n(.*?)\n\s*(?:The following recipients? did not receive|<[^\s<>]+@[^\s<>]+>\s*\n)`),
	},
	{
		// phquery, the CSO/ph directory mailer of university Sendmail
		// sites: "--------Message not delivered to the following
		// addresses:", "--------Error Detail (phquery V3.0):", "----
		// user@example.edu" and the reason below it.
		name:   "phquery",
		marker: lazyre.New(`(?im)^\s*-{2,}\s*Error Detail \(phquery`),
		addr:   lazyre.New(`^\s*-{2,}\s+<?([^\s<>"]+@[^\s<>"]+?)>?\s*$`),
		// the directory knows the person but no mailbox for them
		reasonRe: lazyre.New(`(?i)does not have a final email delivery point`),
		reason:   dsn.ReasonUserUnknown,
	},
	{
		// AOL: "Your mail to the following recipients could not be
		// delivered because ..." and the AOL screen names, one a line,
		// without a domain.
		name:        "aol",
		marker:      lazyre.New(`(?i)mail to the following recipients could not be delivered`),
		vendor:      func(m *dsn.Message) bool { return aolDomain(m) != "" },
		localDomain: aolDomain,
		diag:        lazyre.New(`(?i)((?:your )?mail to the following recipients could not be delivered[^\n]*?):?\n`),
		addr:        lazyre.New(`^\s*([A-Za-z0-9][A-Za-z0-9._+-]{0,63}(?:@[^\s@<>"]+\.[^\s@<>"]+)?)\s*$`),
	},
	{
		// Exchange 2000/2003 text notices (and hMailServer, which copies
		// the wording): "Your message did not reach some or all of the
		// intended recipients." / "The following recipient(s) could not
		// be reached:" / "user@example.com on <date>" and the reason
		// indented below, ending in "<mx.example.com #5.1.1>".
		name:   "exchange2000",
		marker: lazyre.New(`(?i)the following recipient\(s\) could not be reached:`),
		addr:   lazyre.New(`^\s*<?([^\s<>"]+@[^\s<>"]+?)>?(?:\s+on\s+\S.*)?$`),
	},
	{
		// MIMEsweeper: a delivery-status report without recipient fields
		// whose text says "A message could not be delivered to:" /
		// "user@example.com" / "Subject: ..." / the reason.
		name:   "mimesweeper",
		marker: lazyre.New(`(?im)^\s*A message could not be delivered to:\s*$`),
		vendor: isDeliveryReport,
		addr:   lazyre.New(`^\s*<?([^\s<>"]+@[^\s<>"]+?)>?\s*$`),
		skip:   lazyre.New(`(?i)^\s*subject:`),
	},
}

func init() {
	for _, l := range legacyLayouts {
		dsn.Register(dsn.OrderText+70, legacy{l})
	}
}

func (f legacy) Name() string { return f.l.name }

// mdaemonVendor: MDaemon sends from MDaemon@host and stamps
// X-MDaemon-Deliver-To.
func mdaemonVendor(m *dsn.Message) bool {
	return pvFromHas(m, "mdaemon@") || m.Header.Has("X-MDaemon-Deliver-To")
}

// isDeliveryReport reports whether m is a multipart/report of type
// delivery-status (RFC 6522), a bounce signal of its own.
func isDeliveryReport(m *dsn.Message) bool {
	ct, params := m.ContentType()
	return ct == dsn.TypeReport && strings.EqualFold(params["report-type"], dsn.ReportTypeDeliveryStatus)
}

// legacyWindow is how many lines after the recipient line may hold its
// reason (default 4).
const legacyWindow = 4

func (f legacy) Parse(m *dsn.Message) (*dsn.Report, bool) {
	l := f.l
	// The marker first: its fixed words are a cheap test (internal/lazyre)
	// that most messages fail; the header checks run regexps.
	text := m.BodyText()
	loc := l.marker.FindStringIndex(text)
	if loc == nil {
		return nil, false
	}
	signal := l.sigFree || bounceHeader(m) || (l.vendor != nil && l.vendor(m))
	if !signal || dsn.IsAutoReply(m.Header) && !m.DaemonSender() {
		return nil, false
	}
	if l.anywhere {
		loc[0] = 0
	}
	lines := ownLines(text[loc[0]:])
	skip := headerAddrs(m.Header)
	var rcpts []dsn.Recipient
	seen := map[string]bool{}
	for i, line := range lines {
		if l.localDomain != nil {
			line = l.local(m, lines, i)
		}
		sm := l.addr.FindStringSubmatch(line)
		if sm == nil || seen[strings.ToLower(sm[1])] || !usable(sm[1], skip) {
			continue
		}
		seen[strings.ToLower(sm[1])] = true
		diag := ""
		if len(sm) > 2 {
			diag = sm[2]
		}
		if diag == "" {
			diag = l.after(lines, i)
		}
		if l.diag != nil {
			if all := l.diag.FindAllStringSubmatch(text, -1); len(all) > 0 {
				diag = all[len(all)-1][len(all[len(all)-1])-1]
			}
		}
		cmd := ""
		if t := transcriptReply(text, sm[1]); t != "" && l.name == "mdaemon" {
			diag, cmd = t, string(dsn.CmdRCPT)
		}
		rc := legacyRecipient(sm[1], diag)
		rc.Command = cmd
		if l.reasonRe != nil && l.reasonRe.MatchString(rc.Diagnostic) {
			rc.Reason = l.reason
		}
		rcpts = append(rcpts, rc)
		if len(rcpts) >= maxFallbackRecipients {
			break
		}
	}
	if len(rcpts) == 0 {
		return nil, false
	}
	return &dsn.Report{Recipients: rcpts}, true
}

// after returns the reason written in the lines after line i: up to
// legacyWindow non-blank lines, stopping at a blank line after some text,
// at another address line or at a line of the skip pattern after text.
func (l *legacyLayout) after(lines []string, i int) string {
	var out []string
	for j := i + 1; j < len(lines) && len(out) < legacyWindow; j++ {
		t := strings.TrimSpace(lines[j])
		switch {
		case t == "":
			if len(out) > 0 {
				return strings.Join(out, " ")
			}
			continue
		case l.addr.MatchString(lines[j]):
			return strings.Join(out, " ")
		case l.skip != nil && l.skip.MatchString(t):
			if len(out) > 0 {
				return strings.Join(out, " ")
			}
			continue
		}
		out = append(out, strings.TrimPrefix(t, "Reason: "))
	}
	return strings.Join(out, " ")
}

// legacySMTPErrorRe is the reply code written after the text: "...
// mailbox unavailable. [SMTP Error Code 550]".
var legacySMTPErrorRe = lazyre.New(`(?i)\s*\[SMTP Error Code ([245]\d\d)\]`)

// legacyRecipient builds the failed recipient; a trailing "[SMTP Error
// Code 550]" becomes the leading reply code.
func legacyRecipient(addr, diag string) dsn.Recipient {
	diag = dsn.CollapseSpace(diag)
	if sm := legacySMTPErrorRe.FindStringSubmatch(diag); sm != nil {
		diag = sm[1] + " " + strings.TrimSpace(legacySMTPErrorRe.ReplaceAllString(diag, ""))
	}
	reply := ""
	if sm := replyLineRe.FindStringSubmatch(diag); sm != nil {
		reply = sm[1]
	}
	return dsn.Recipient{Recipient: addr, Action: dsn.ActionFailed, Diagnostic: diag, ReplyCode: reply, RemoteMTA: RemoteHost(diag)}
}

// aolDomain returns "aol.com" when the notice comes from AOL's mail
// system, else "".
func aolDomain(m *dsn.Message) string {
	if a := strings.ToLower(dsn.FindAddress(m.From())); strings.HasSuffix(a, "@aol.com") {
		return "aol.com"
	}
	return ""
}

// local returns line i completed with the family's domain when it is a
// bare local part in the block of lines right after the marker (line 0),
// or "" outside that block.
func (l *legacyLayout) local(m *dsn.Message, lines []string, i int) string {
	seen := false
	for j := 1; j < i; j++ {
		t := strings.TrimSpace(lines[j])
		if t == "" && seen || t != "" && !l.addr.MatchString(t) {
			return "" // the block ended before line i
		}
		seen = seen || t != ""
	}
	t := strings.TrimSpace(lines[i])
	if i == 0 || t == "" || strings.Contains(t, "@") {
		return lines[i]
	}
	if d := l.localDomain(m); d != "" && l.addr.MatchString(t) {
		return t + "@" + d
	}
	return ""
}

// transcriptReply returns the error reply that follows "RCPT To:<addr>"
// in an SMTP session transcript, or "".
func transcriptReply(text, addr string) string {
	lines := strings.Split(text, "\n")
	needle := "<" + strings.ToLower(addr) + ">"
	for i, l := range lines {
		low := strings.ToLower(l)
		if !strings.Contains(low, "rcpt to:") || !strings.Contains(low, needle) {
			continue
		}
		for _, n := range lines[i+1 : min(i+4, len(lines))] {
			if t := strings.TrimSpace(n); smCodedRe.MatchString(t) && (t[0] == '4' || t[0] == '5') {
				return t
			}
		}
	}
	return ""
}
