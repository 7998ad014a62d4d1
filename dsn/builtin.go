package dsn

import (
	"strings"

	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// Report types of multipart/report. RFC 6522 §3
const (
	ReportTypeDeliveryStatus       = "delivery-status"          // RFC 3464
	ReportTypeGlobalDeliveryStatus = "global-delivery-status"   // RFC 6533
	ReportTypeFeedback             = "feedback-report"          // RFC 5965
	ReportTypeDisposition          = "disposition-notification" // RFC 8098
)

// reportGuard stops the search for read receipts and other reports that
// are not about delivery: they are KindNone whatever their text says.
type reportGuard struct{}

func (reportGuard) Name() string { return "report-guard" }

func (reportGuard) Parse(m *Message) (*Report, bool) {
	if len(m.Status) > 0 || IsMDNRejection(m) {
		return nil, false
	}
	ct, params := m.ContentType()
	rt := strings.ToLower(params["report-type"])
	if ct == TypeReport && rt == ReportTypeDisposition {
		return &Report{Kind: KindNone}, true
	}
	for _, p := range m.Parts {
		if p.Embedded == 0 && strings.HasSuffix(p.ContentType, "disposition-notification") {
			return &Report{Kind: KindNone}, true
		}
	}
	return nil, false
}

// mdnDeletedRe is an RFC 8098 §3.2.6 Disposition field of an automatic
// "deleted" disposition (the message was discarded unread).
var mdnDeletedRe = lazyre.New(`(?im)^Disposition:\s*automatic-action/[^;]*;\s*deleted\b`)

// mdnRejectedRe is the text that a delivery agent's rejection says: "Your
// message to <user@example.org> was automatically rejected: ..."
// (Dovecot LDA / Pigeonhole Sieve "reject").
var mdnRejectedRe = lazyre.New(`(?i)\bwas automatically rejected\b`)

// IsMDNRejection reports whether m is a disposition notification that is
// really a delivery failure. QUIRK: Dovecot (LDA, LMTP, Pigeonhole Sieve
// "reject") refuses a message after accepting it (over quota, a Sieve
// rule) with an RFC 8098 report of disposition "deleted" whose text says
// the message "was automatically rejected"; a read receipt is never such.
func IsMDNRejection(m *Message) bool {
	deleted, rejected := false, false
	for _, p := range m.Parts {
		if p.Embedded != 0 {
			continue
		}
		switch {
		case strings.HasSuffix(p.ContentType, "disposition-notification"):
			deleted = deleted || mdnDeletedRe.MatchString(p.Text)
		case p.IsText():
			rejected = rejected || mdnRejectedRe.MatchString(p.Text)
		}
	}
	return deleted && rejected
}

// feedbackFormat reads RFC 5965 Abuse Reporting Format reports.
type feedbackFormat struct{}

func (feedbackFormat) Name() string { return "arf" }

func (feedbackFormat) Parse(m *Message) (*Report, bool) {
	ct, params := m.ContentType()
	var fr *Part
	for _, p := range m.Parts {
		if p.Embedded == 0 && p.ContentType == TypeFeedbackReport {
			fr = p
			break
		}
	}
	isARF := ct == TypeReport && strings.EqualFold(params["report-type"], ReportTypeFeedback)
	if fr == nil && !isARF {
		return nil, false
	}
	r := &Report{Kind: KindFeedback}
	var fields Header
	if fr != nil {
		fields = ParseHeaderText(fr.Text)
	}
	r.FeedbackType = strings.ToLower(CollapseSpace(StripComments(fields.Get("Feedback-Type")))) // RFC 5965 §3.1
	r.ReportingMTA = typedValue(fields.Get("Reporting-MTA"))
	r.ArrivalDate = CollapseSpace(fields.Get("Arrival-Date"))
	for _, v := range fields.Values("Original-Rcpt-To") { // RFC 5965 §3.2
		if a := FindAddress(v); a != "" {
			r.Recipients = append(r.Recipients, Recipient{Recipient: a, Diagnostic: r.FeedbackType})
		}
	}
	if len(r.Recipients) == 0 && m.Original != nil {
		if a := FindAddress(m.Original.Get("To")); a != "" {
			r.Recipients = append(r.Recipients, Recipient{Recipient: a, Diagnostic: r.FeedbackType})
		}
	}
	return r, true
}

// autoReplyFormat recognises RFC 3834 auto-replies and out-of-office mail.
type autoReplyFormat struct{}

func (autoReplyFormat) Name() string { return "rfc3834" }

// autoReplySubject matches the subject prefixes that autoresponders of
// common mail systems and languages write, and that people rarely do
// ("Automatic reply:", "Auto:", "[Auto-Reply]", "Out of Office:", and their
// Polish, Czech, Scandinavian, Finnish, Turkish, Hungarian, Russian,
// Japanese, Korean and Chinese forms).
var autoReplySubject = lazyre.New(`(?i)^\s*\[?(?:automatyczna odpowiedź|odpowiedź automatyczna|automatická odpověď|automatisk svar|automaattinen vastaus|otomatik yanıt|automatikus válasz|автоответ|автоматический ответ|自動返信|자동 응답|yahoo! auto response|auto(?:matic|matische)?[ -]?(?:reply|response|respons|antwort|answer|svar)|auto:|out of (?:the )?office(?: autoreply)?\s*:|abwesenheitsnotiz|réponse automatique|risposta automatica|respuesta automática|resposta automática|automatisch antwoord|autosvar|自動応答|自动回复)`)

// vacationSubject matches subjects that out-of-office replies use but people
// write too ("Vacation", "I am away until Monday", "Thank you for your
// email."); they count only with another sign of an autoresponder
// (autoresponderHint).
var vacationSubject = lazyre.New(`(?i)^\s*(?:(?:i am|i'm)\b.{0,20}\s(?:away|on vacation|on leave|out of (?:the )?office)|thank you for your (?:e-?mail|message)\.?\s*$|out of (?:the )?office|abwesenheit|absence|fuera de la oficina|vacation|on vacation|away from (?:the )?office)`)

// autoresponderHint reports whether the header has a sign of automatic
// sending besides the subject: a null Return-Path, Precedence bulk/junk/list,
// Microsoft's X-Auto-Response-Suppress, or a mailer naming an autoresponder.
func autoresponderHint(h Header) bool {
	if strings.TrimSpace(h.Get("Return-Path")) == "<>" || h.Has("X-Auto-Response-Suppress") {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "bulk", "junk", "list":
		return true
	}
	mailer := strings.ToLower(h.Get("X-Mailer") + " " + h.Get("User-Agent"))
	return strings.Contains(mailer, "vacation") || strings.Contains(mailer, "autorespond") || strings.Contains(mailer, "auto-reply")
}

func (autoReplyFormat) Parse(m *Message) (*Report, bool) {
	// QUIRK: some MTAs mark their bounces "Auto-Submitted: auto-replied";
	// a message with a delivery report or from a mailer daemon is a bounce.
	if len(m.Status) > 0 || m.DaemonSender() || !IsAutoReply(m.Header) {
		return nil, false
	}
	r := &Report{Kind: KindAutoReply}
	if a := FindAddress(m.Header.Get("From")); a != "" {
		r.Recipients = append(r.Recipients, Recipient{Recipient: a})
	}
	return r, true
}

// IsAutoReply reports whether a message header marks an auto-reply: RFC
// 3834 §5 Auto-Submitted: auto-replied, the X-Autoreply family of
// fields, or an out-of-office subject. Auto-generated messages (bounces,
// Auto-Submitted: auto-generated) are not auto-replies.
func IsAutoReply(h Header) bool {
	as := strings.ToLower(StripComments(h.Get("Auto-Submitted")))
	switch {
	case strings.HasPrefix(as, "auto-replied"):
		return true
	case strings.HasPrefix(as, "auto-generated"), strings.HasPrefix(as, "auto-notified"):
		return false
	}
	for _, name := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponse"} {
		if v := strings.ToLower(h.Get(name)); h.Has(name) && v != "no" && v != "false" {
			return true
		}
	}
	if strings.EqualFold(h.Get("Precedence"), "auto_reply") {
		return true
	}
	if strings.EqualFold(h.Get("X-Apple-Action"), "vacation") {
		return true
	}
	subject := h.Get("Subject")
	return autoReplySubject.MatchString(subject) || (vacationSubject.MatchString(subject) && autoresponderHint(h))
}

// daemonFrom matches the From of mail system notifications.
var daemonFrom = lazyre.New(`(?i)mailer[-_]?daemon|mail[-_]daemon|postmaster|mail delivery (?:system|subsystem|service|agent)|<>`)

// IsDaemonSender reports whether the message comes from a mail system
// rather than a person: a null Return-Path with a MAILER-DAEMON-like From,
// or a From of MAILER-DAEMON, postmaster or "Mail Delivery System".
func IsDaemonSender(h Header) bool {
	return daemonFrom.MatchString(h.Get("From"))
}

// emptyReportFormat reads delivery reports that have a delivery-status
// part without any per-recipient group, or a multipart/report of type
// delivery-status (or of no type) without a delivery-status part. QUIRK:
// some MTAs send only the per-message fields or only text; the recipients
// are then the addresses that the bounce's own text gives with an SMTP
// code, else the returned message's To.
type emptyReportFormat struct{}

func (emptyReportFormat) Name() string { return "rfc3464-empty" }

func (emptyReportFormat) Parse(m *Message) (*Report, bool) {
	var own []string
	for _, p := range m.Status {
		if p.Embedded == 0 {
			own = append(own, p.Text)
		}
	}
	ct, params := m.ContentType()
	rt := strings.ToLower(params["report-type"])
	isReport := ct == TypeReport && (rt == "" || strings.HasSuffix(rt, ReportTypeDeliveryStatus))
	if len(own) == 0 && !isReport {
		return nil, false
	}
	r := &Report{}
	for _, t := range own {
		m.ReadDeliveryStatus(t, r)
	}
	if len(r.Recipients) > 0 {
		return nil, false // the RFC 3464 reader had its chance
	}
	lines := strings.Split(m.BodyText(), "\n")
	for i, a := range FindAddresses(strings.Join(lines, "\n")) {
		if i >= maxRefine {
			break
		}
		if d := diagnosticFromLines(lines, a); d != "" {
			r.Recipients = append(r.Recipients, Recipient{Recipient: a, Diagnostic: d, Action: ActionFailed})
		}
	}
	if len(r.Recipients) == 0 && m.Original != nil {
		if a := FindAddress(m.Original.Get("To")); a != "" {
			r.Recipients = append(r.Recipients, Recipient{Recipient: a, Action: ActionFailed})
		}
	}
	return r, len(r.Recipients) > 0
}
