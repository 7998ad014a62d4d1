package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// qmail reads the bounces of qmail-send and its forks (netqmail,
// notqmail, indimail, s/qmail): "Hi. This is the qmail-send program at
// host.", then "<address>:" lines each followed by the reason, then "---
// Below this line is a copy of the message.".
type qmail struct{}

func init() { dsn.Register(dsn.OrderText+40, qmail{}) }

func (qmail) Name() string { return "qmail" }

var (
	// qmailIntroRe is qmail-send's greeting (qmail-send.c) and the one of
	// forks that changed the program name.
	qmailIntroRe = lazyre.New(`(?im)^Hi\. This is the q\S*-send program at |^This is the qmail-send program at `)
	// qmailStartRe opens the recipient list.
	qmailStartRe = lazyre.New(`(?i)^I'm afraid I wasn't able to deliver your message to the following addresses|^I'm sorry, I wasn't able to deliver|^Hi\. This is the q\S*-send program at `)
	// qmailEndRe is the separator before the returned message.
	qmailEndRe = lazyre.New(`(?i)^--- (?:Below this line is a copy of the message|Enclosed is a copy of the message|Original message follows|Below this line is the original message)`)
	// qmailAddrRe is a recipient line "<user@example.org>:".
	qmailAddrRe = lazyre.New(`^<([^<>\s]+@[^<>\s]+)>:\s*(.*)$`)
	// qmailDelayRe marks qmail's temporary-failure notices.
	qmailDelayRe = lazyre.New(`(?im)^This is a temporary error|I'm still trying|I'll keep trying`)
	// qmailCmdRe names the command in qmail's own wording (qmail-remote.c).
	qmailCmdRe = lazyre.New(`(?i)most progress was (RCPT TO|MAIL FROM|DATA|HELO|EHLO)|does not like (recipient|sender)|failed on (DATA|RCPT|MAIL|HELO|EHLO) command|my name was rejected|(failed after I sent the message)|(failed on DATA command)|Connected to \S+ but (sender|greeting|connection) `)
)

// qmailLayout is the "<address>:" list of qmail and of the MTAs that copy
// it; start opens it and end closes it.
func qmailLayout(start, end *lazyre.Regexp) *Layout {
	return &Layout{
		Start: start,
		End:   end,
		Addr: func(line string) (string, string, bool) {
			sm := qmailAddrRe.FindStringSubmatch(line)
			if sm == nil {
				return "", "", false
			}
			return sm[1], sm[2], true
		},
		// QUIRK: some deliveries (ezmlm, vpopmail) leave a blank line
		// between the address and its reason.
		KeepBlank: true,
	}
}

func (qmail) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	if !qmailIntroRe.MatchString(body) || !bounceHeader(m) {
		return nil, false
	}
	blocks := qmailLayout(qmailStartRe, qmailEndRe).Read(body)
	if len(blocks) == 0 {
		return nil, false
	}
	r := &dsn.Report{Recipients: Recipients(blocks, qmailDelayRe.MatchString(body))}
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		qmailRecipient(rc)
		if qmailNoConnRe.MatchString(rc.Diagnostic) {
			// qmail-remote's temp_noconn(): qmail itself names a network
			// failure even when it gave up on it (x2 and x4, which share
			// qmailRecipient, count it as expiry).
			rc.Reason = dsn.ReasonNetworkError
		}
		if rc.RemoteMTA == "" {
			rc.RemoteMTA = qmailHost(rc.Diagnostic)
		}
	}
	return r, true
}

// qmailLikeReport reads the failed recipients of a bounce written in
// qmail's layout but opened by another MTA's start line (x2, x4).
func qmailLikeReport(body string, start *lazyre.Regexp) (*dsn.Report, bool) {
	blocks := qmailLayout(start, qmailEndRe).Read(body)
	if len(blocks) == 0 {
		return nil, false
	}
	r := &dsn.Report{Recipients: Recipients(blocks, false)}
	for i := range r.Recipients {
		qmailRecipient(&r.Recipients[i])
	}
	return r, true
}

// qmailRecipient completes a recipient of qmail-send's layout (also used
// by the qmail-derived x2 and x4): the give-up sentence is removed from
// the diagnostic, the command comes from qmail-remote's wording, and the
// reason from qmail's own fixed sentences. When qmail gave up on a
// failure that names no more specific reason (a connection that could
// not be made, a temporary resource problem), the reason is that the
// message expired in the queue.
func qmailRecipient(rc *dsn.Recipient) {
	gaveUp := qmailGiveUpRe.MatchString(rc.Diagnostic)
	rc.Diagnostic = qmailTrim(rc.Diagnostic)
	rc.Command = qmailCommand(rc.Diagnostic)
	if reason := qmailReason(rc.Diagnostic); reason != "" {
		rc.Reason = reason
		return
	}
	if !gaveUp {
		return
	}
	probe := *rc
	dsn.FinishRecipient(&probe, dsn.KindFailure)
	switch probe.Reason {
	case dsn.ReasonNetworkError, dsn.ReasonSystemError, dsn.ReasonOnHold, dsn.ReasonUndefined, dsn.ReasonExpired:
		rc.Reason = dsn.ReasonExpired
	}
}

// qmailNoConnRe is qmail-remote's sentence for a connection it could not
// make ("Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)").
var qmailNoConnRe = lazyre.New(`(?i)Sorry, I wasn't able to establish an SMTP connection`)

// qmailReasons are qmail's own fixed sentences (qmail-remote.c,
// qmail-local.c, qmail-ldap, vpopmail) and the reason each states.
var qmailReasons = []struct {
	re     *lazyre.Regexp
	reason string
}{
	{lazyre.New(`(?i)Sorry, I couldn't find any host (?:named|by that name)`), dsn.ReasonHostUnknown},
	{lazyre.New(`(?i)Sorry, I couldn't find a mail exchanger or IP address`), dsn.ReasonNotAccept},
	{lazyre.New(`(?i)Sorry, no mailbox here by that name`), dsn.ReasonUserUnknown},
	{lazyre.New(`(?i)This address no longer accepts mail`), dsn.ReasonHasMoved},
	{lazyre.New(`(?i)isn't in my list of allowed rcpthosts`), dsn.ReasonNoRelaying},
	{lazyre.New(`(?i)Connected to \S+ but my name was rejected`), dsn.ReasonBlocked},
	{lazyre.New(`(?i)Although I'm listed as a best-preference MX or A for that host|Unable to contact LDAP server|Unable to (?:chdir to maildir|open mailbox|switch to )`), dsn.ReasonSystemError},
	{lazyre.New(`(?i)Recipient's mailbox is full|mailfolder is over the allowed quota|user's mailfolder is full`), dsn.ReasonMailboxFull},
}

// qmailReason returns the reason a qmail fixed sentence in diag states,
// or "".
func qmailReason(diag string) string {
	for _, q := range qmailReasons {
		if q.re.MatchString(diag) {
			return q.reason
		}
	}
	return ""
}

// qmailCommand returns the SMTP command qmail-remote's wording names:
// "does not like recipient" (RCPT), "does not like sender" (MAIL),
// "failed after I sent the message" / "failed on DATA command" (DATA),
// "my name was rejected" (HELO/EHLO), "most progress was RCPT TO
// response", or "".
func qmailCommand(diag string) string {
	sm := qmailCmdRe.FindStringSubmatch(diag)
	if sm == nil {
		return ""
	}
	w := strings.ToLower(strings.Join(sm[1:], ""))
	switch {
	case strings.HasPrefix(w, "rcpt"), w == "recipient":
		return string(dsn.CmdRCPT)
	case strings.HasPrefix(w, "mail"), w == "sender":
		return string(dsn.CmdMAIL)
	case strings.HasPrefix(w, "data"), strings.HasPrefix(w, "failed"):
		return string(dsn.CmdDATA)
	case w == "helo", w == "ehlo", strings.Contains(sm[0], "my name was rejected"):
		return string(dsn.CmdHELO)
	case w == "greeting", w == "connection":
		return string(dsn.CmdConnect)
	}
	return ""
}

// qmailHostRe is the remote host qmail-remote names first in its reason:
// "192.0.2.1 does not like recipient.", "Connected to 192.0.2.1 but".
var qmailHostRe = lazyre.New(`(?i)^(?:Connected to )?(\d{1,3}(?:\.\d{1,3}){3}|[a-z0-9.-]+\.[a-z]{2,}) (?:does not like|failed|but )`)

func qmailHost(diag string) string {
	if sm := qmailHostRe.FindStringSubmatch(diag); sm != nil {
		return sm[1]
	}
	return ""
}

// qmailGiveUpRe is the sentence qmail-send appends to any reason when the
// message has been queued longer than queuelifetime.
var qmailGiveUpRe = lazyre.New(`(?i)\s*/?I'm not going to try again; this\s+message has been in the queue too long\.?`)

// qmailTrim removes qmail-send's give-up sentence from a diagnostic that
// has a reason of its own: the remote reply, not the queue lifetime, is
// why the message failed. QUIRK: the sentence is sometimes glued to the
// reason without a space.
func qmailTrim(diag string) string {
	rest := strings.TrimSpace(qmailGiveUpRe.ReplaceAllString(diag, " "))
	if rest == "" {
		return diag
	}
	return rest
}
