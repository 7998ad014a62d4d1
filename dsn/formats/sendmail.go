package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// sendmail reads Sendmail 8 bounces: "----- The following addresses had
// permanent fatal errors -----", each address with "(reason: 550 ...)",
// then "----- Transcript of session follows -----" with the SMTP exchange,
// and usually a delivery-status part. It runs before the RFC 3464 reader
// because Sendmail's Status field is its own mapping of the reply, while
// the remote server's enhanced code is in the Diagnostic-Code or only in
// the transcript. Without a delivery-status part (DSN turned off, or the
// bounce forwarded as quoted text) the recipients come from the text.
type sendmail struct{}

func init() { dsn.Register(dsn.OrderRFC3464-4, sendmail{}) }

func (sendmail) Name() string { return "sendmail" }

var (
	smStartRe = lazyre.New(`^\s*-{3,} The following addresses had (?:permanent fatal|transient non-fatal) errors -{3,}`)
	smEndRe   = lazyre.New(`^\s*-{3,} (?:Transcript of session follows|Original message follows|Unsent message follows|Message header follows|The original message) -{3,}|^(?:Reporting-MTA|Final-Recipient):`)
	smAddrRe  = lazyre.New(`^\s{0,3}<?([^\s<>()]+@[^\s<>()]+?)>?(?:\s+\(.*\))?$`)
	smReason  = lazyre.New(`^\(reason: (.*)\)$`)
	smAliasRe = lazyre.New(`(?i)^\(expanded from:? `)
	smQuoteRe = lazyre.New(`(?m)^> ?`)
	smDelayRe = lazyre.New(`transient non-fatal errors`)
	// smTranscriptRe is the transcript section, to the next separator.
	smTranscriptRe = lazyre.New(`(?s)-{3,} Transcript of session follows -{3,}\n(.*?)(?:\n\s*-{3,} |\n(?:Reporting-MTA|Final-Recipient):|$)`)
)

var smLayout = &Layout{
	Start: smStartRe,
	End:   smEndRe,
	Addr: func(line string) (string, string, bool) {
		sm := smAddrRe.FindStringSubmatch(line)
		if sm == nil {
			return "", "", false
		}
		return sm[1], "", true
	},
	Cont: func(line string) bool { return strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") },
	Skip: smAliasRe.MatchString,
}

func (sendmail) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	if !strings.Contains(body, "The following addresses had") || !bounceHeader(m) {
		return nil, false
	}
	if r, ok := sendmailDSN(m, body); ok {
		return r, true
	}
	// QUIRK: a bounce forwarded by a person arrives quoted with "> ".
	if !hasSendmailStart(body) {
		body = smQuoteRe.ReplaceAllString(body, "")
	}
	blocks := smLayout.Read(body)
	if len(blocks) == 0 {
		return nil, false
	}
	r := &dsn.Report{Recipients: Recipients(blocks, smDelayRe.MatchString(body))}
	var transcript string
	if sm := smTranscriptRe.FindStringSubmatch(body); sm != nil {
		transcript = sm[1]
	}
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		for _, l := range blocks[i].Lines {
			if sm := smReason.FindStringSubmatch(l); sm != nil {
				rc.Diagnostic = sm[1]
				rc.ReplyCode = LeadingReply([]string{sm[1]})
			}
		}
		if rc.OriginalRecipient == "" {
			rc.OriginalRecipient = smExpandedFrom(body, rc.Recipient)
		}
		sendmailSession(rc, transcript)
		// the transcript's line for the address is the more specific when
		// the list gives no reason or no enhanced code
		if t := transcriptLine(transcript, rc.Recipient); t != "" && dsn.FindStatus(rc.Diagnostic) == "" && (rc.Diagnostic == "" || dsn.FindStatus(t) != "") {
			rc.Diagnostic, rc.ReplyCode = t, LeadingReply([]string{t})
		}
	}
	return r, true
}

func hasSendmailStart(body string) bool {
	for _, l := range strings.Split(body, "\n") {
		if smStartRe.MatchString(l) {
			return true
		}
	}
	return false
}

// sendmailSession fills the remote host and command from the transcript
// session in which the recipient's address was rejected.
func sendmailSession(rc *dsn.Recipient, transcript string) {
	rcpts, _ := readTranscript(transcript)
	for _, t := range rcpts {
		if strings.EqualFold(t.Recipient, rc.Recipient) {
			if rc.RemoteMTA == "" {
				rc.RemoteMTA = t.RemoteMTA
			}
			if rc.Command == "" {
				rc.Command = t.Command
			}
			if rc.Diagnostic == "" {
				rc.Diagnostic, rc.ReplyCode = t.Diagnostic, t.ReplyCode
			}
		}
	}
}

// smFinalRe is the transcript's last line: Sendmail's own reply with an
// enhanced code, "554 5.3.0 unknown mailer error 255".
// smCodedRe is a line that starts with a reply code.
var smCodedRe = lazyre.New(`^[245]\d\d `)

var smFinalRe = lazyre.New(`(?m)^([245]\d\d) ([245]\.\d{1,3}\.\d{1,3}) (.+)$`)

// sendmailDSN reads the delivery-status part of a Sendmail bounce and
// sharpens each recipient's status: the remote server's enhanced code in
// the Diagnostic-Code wins over Sendmail's mapping (4.4.7 for "could not
// be delivered for 2 hours", 5.1.1 for a 5.7.1 reply), and a report that
// says only x.0.0 for a local mailer takes Sendmail's own final reply
// from the transcript.
func sendmailDSN(m *dsn.Message, body string) (*dsn.Report, bool) {
	r := ownStatusReport(m)
	if r == nil {
		r = inlineStatusReport(m, body)
	}
	if r == nil {
		return nil, false
	}
	var final []string
	var transcript string
	if sm := smTranscriptRe.FindStringSubmatch(body); sm != nil {
		transcript = sm[1]
		final = smFinalRe.FindStringSubmatch(lastLines(transcript))
	}
	blocks := smLayout.Read(body)
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		// QUIRK: a Final-Recipient without local part ("@mx.example.org");
		// the text names the address.
		if strings.HasPrefix(strings.TrimSpace(rc.Recipient), "@") && i < len(blocks) {
			rc.Recipient = blocks[i].Addr
		}
		if d := transcriptLine(transcript, rc.Recipient); d != "" && (strings.TrimSpace(rc.Diagnostic) == "" || !isSMTPType(rc.DiagnosticType) && dsn.FindReplyCode(d) != "") {
			rc.Diagnostic, rc.DiagnosticType = d, "smtp"
		}
		// QUIRK: a local delivery ("|program", a file) is named by its
		// command in the transcript, not by the address; with one
		// recipient, Sendmail's last coded line is its reply.
		if last := lastLines(transcript); strings.TrimSpace(rc.Diagnostic) == "" && len(r.Recipients) == 1 && smCodedRe.MatchString(last) {
			rc.Diagnostic = last
		}
		ds := dsn.FindStatus(rc.Diagnostic)
		reply := ""
		if isSMTPType(rc.DiagnosticType) {
			reply = dsn.FindReplyCode(rc.Diagnostic)
		}
		preferRemoteStatus(rc)
		if ds == "" && reply == "" && strings.HasSuffix(rc.Status, ".0.0") && final != nil && final[2][0] == rc.Status[0] {
			rc.Status, rc.ReplyCode, rc.Diagnostic = final[2], final[1], final[0]
		}
	}
	return r, true
}

// lastLines returns the transcript lines that are Sendmail's own (not
// ">>>" or "<<<" lines of a remote session), joined.
func lastLines(t string) string {
	var out []string
	for _, l := range strings.Split(t, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, ">>>") && !strings.HasPrefix(l, "<<<") {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return out[len(out)-1]
}

// transcriptLine returns the text of the transcript line Sendmail wrote
// for addr, "<addr>... Deferred: Connection refused by mx.example.org.",
// or "".
func transcriptLine(t, addr string) string {
	a := strings.Trim(addr, "<> ")
	if a == "" {
		return ""
	}
	br := "<" + a + ">"
	for _, l := range strings.Split(t, "\n") {
		l = strings.TrimSpace(l)
		i := strings.Index(l, "... ")
		if i < 0 || strings.HasPrefix(l, ">>>") || strings.HasPrefix(l, "<<<") {
			continue
		}
		head := l[:i]
		if strings.EqualFold(strings.Trim(head, "<> "), a) {
			return strings.TrimSpace(l[i+4:])
		}
		if n := len(head) - len(br); n >= 0 && strings.EqualFold(head[n:], br) {
			// keep the reply and enhanced code written before the address
			return strings.TrimSpace(head[:n] + l[i+4:])
		}
	}
	return ""
}

// isSMTPType reports whether a Diagnostic-Code type (RFC 3464 §2.3.6)
// holds an SMTP reply.
func isSMTPType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	return t == "" || t == "smtp" || t == "esmtp"
}

// smFieldsRe finds the delivery-status fields when they are written into
// the text itself (QUIRK: a delivery-status part relabelled text/plain or
// flattened by a relay).
var smFieldsRe = lazyre.New(`(?mi)^(?:Reporting-MTA|Final-Recipient):`)

// inlineStatusReport reads delivery-status fields written inline in the
// bounce's text, or returns nil.
func inlineStatusReport(m *dsn.Message, body string) *dsn.Report {
	loc := smFieldsRe.FindStringIndex(body)
	if loc == nil {
		return nil
	}
	r := &dsn.Report{}
	m.ReadDeliveryStatus(body[loc[0]:], r)
	if len(r.Recipients) == 0 {
		return nil
	}
	return r
}

// smExpandedFromRe is the alias trail Sendmail writes under an address it
// reached through an alias or .forward: "(expanded from: <alias@...>)".
var smExpandedFromRe = lazyre.New(`(?i)^\s+\(expanded from:?\s*<?([^\s<>()]+)>?\)\s*$`)

// smExpandedFrom returns the address addr was expanded from, the
// recipient the sender used, or "".
func smExpandedFrom(body, addr string) string {
	lines := strings.Split(body, "\n")
	for i := 0; i+1 < len(lines); i++ {
		sm := smAddrRe.FindStringSubmatch(strings.TrimRight(lines[i], " \t"))
		if sm == nil || !strings.EqualFold(sm[1], addr) {
			continue
		}
		if am := smExpandedFromRe.FindStringSubmatch(lines[i+1]); am != nil && !strings.EqualFold(am[1], addr) {
			return am[1]
		}
	}
	return ""
}
