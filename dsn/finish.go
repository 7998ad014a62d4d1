package dsn

import "strings"

// Reasons Finish assigns itself, for kinds that are not delivery failures.
const (
	ReasonFeedback  = "feedback"  // RFC 5965 feedback report
	ReasonVacation  = "vacation"  // RFC 3834 auto-reply
	ReasonDelivered = "delivered" // 2.x.x success
)

// Finish completes a Report that a Format filled in: for every recipient it
// fills what can be derived (see FinishRecipient), then sets Kind from the
// actions unless the Format chose feedback, auto-reply or none. Formats may
// call it themselves; calling it twice is harmless.
func Finish(r *Report) {
	if r.Recipients == nil {
		r.Recipients = []Recipient{}
	}
	for i := range r.Recipients {
		finishRecipient(&r.Recipients[i], r.Kind, r.ReportingMTA)
	}
	switch r.Kind {
	case KindFeedback, KindAutoReply, KindNone:
		return
	}
	if k := KindFromActions(r.Recipients); k != "" {
		r.Kind = k
	} else if r.Kind == "" {
		r.Kind = KindFailure
	}
}

// KindFromActions returns failure when any recipient failed, else delay
// when any was delayed, else success when any was delivered, relayed or
// expanded, else "".
func KindFromActions(rs []Recipient) Kind {
	var delayed, ok bool
	for _, rc := range rs {
		switch rc.Action {
		case ActionFailed:
			return KindFailure
		case ActionDelayed:
			delayed = true
		case ActionDelivered, ActionRelayed, ActionExpanded:
			ok = true
		}
	}
	switch {
	case delayed:
		return KindDelay
	case ok:
		return KindSuccess
	}
	return ""
}

// FinishRecipient fills the derived fields of one recipient of a report
// of kind k:
//   - Diagnostic white space collapsed; addresses trimmed of brackets;
//   - ReplyCode from the diagnostic text when empty (FindReplyCode);
//   - Status from the diagnostic text when empty or only x.0.0 (the text's
//     code is more specific), else from the reply code or action class;
//   - Action from the status class when empty;
//   - Command from the diagnostic text when empty (FindCommand);
//   - Reason by Classify (feedback and vacation for those kinds) unless
//     the format set one, and HardBounce by IsHardBounce.
func FinishRecipient(rc *Recipient, k Kind) {
	finishRecipient(rc, k, "")
}

// finishRecipient is FinishRecipient for a report whose Reporting-MTA is
// reporting (may be empty).
func finishRecipient(rc *Recipient, k Kind, reporting string) {
	rc.Diagnostic = CollapseSpace(rc.Diagnostic)
	rc.Recipient = trimAddr(rc.Recipient)
	rc.OriginalRecipient = trimAddr(rc.OriginalRecipient)
	if rc.ReplyCode == "" {
		rc.ReplyCode = replyCodeFor(rc.DiagnosticType, rc.Diagnostic)
	}
	if reply, status := NestedReply(rc.Diagnostic); status != "" && !vaguerStatus(status, rc.Status) {
		// A relay's message quoting the remote server's reply: the
		// remote reply is the more specific one.
		rc.ReplyCode, rc.Status = reply, status
	}
	rc.Status = betterStatus(rc.Status, FindStatus(rc.Diagnostic), rc.ReplyCode)
	if rc.Status == "" {
		rc.Status = statusFromClass(rc.ReplyCode, rc.Action)
	}
	if rc.Action == "" {
		rc.Action = actionFromStatus(rc.Status)
	}
	if rc.Command == "" {
		rc.Command = string(FindCommand(rc.Diagnostic))
	}
	switch k {
	case KindFeedback:
		rc.Reason = ReasonFeedback
	case KindAutoReply:
		rc.Reason = ReasonVacation
	default:
		// A format may set the reason its layout states (a Google Groups
		// posting refusal, a carrier's "mailbox full" notice); keep it.
		if rc.Reason == "" {
			rc.Reason = classifyRecipientAt(rc, reporting)
		}
	}
	rc.HardBounce = IsHardBounce(rc.Reason, rc.Status, rc.ReplyCode)
}

// replyCodeFor finds the reply code in a diagnostic of the given type.
// Diagnostics that are not SMTP replies (x-unix exit codes and the like)
// only count a number written before an enhanced code ("550 5.1.1").
func replyCodeFor(diagType, text string) string {
	switch strings.ToLower(diagType) {
	case "", "smtp", "esmtp", "x-smtp", "x-postfix":
		return FindReplyCode(text)
	}
	if i, j := replyEnhanced(text); i >= 0 {
		return text[i:j]
	}
	return ""
}

// betterStatus returns the more specific of the report's Status field and
// the code found in the diagnostic text: the text wins when the field is
// empty or only x.0.0 (RFC 3463 §3.1 "other undefined status"), or when
// the field's class contradicts the remote reply code and the text's code
// agrees with it.
func betterStatus(field, text, reply string) string {
	switch {
	case field == "":
		return text
	case text == "" || text == field:
		return field
	case strings.HasSuffix(field, ".0.0") && !strings.HasSuffix(text, ".0.0"):
		return text
	case reply != "" && field[0] != reply[0] && text[0] == reply[0]:
		return text
	}
	return field
}

// statusFromClass gives x.0.0 from the reply code's class or, failing
// that, the action (RFC 3463 §3.1).
func statusFromClass(reply string, a Action) string {
	if reply != "" {
		switch reply[0] {
		case '2', '4', '5':
			return reply[:1] + ".0.0"
		}
	}
	switch a {
	case ActionFailed:
		return "5.0.0"
	case ActionDelayed:
		return "4.0.0"
	case ActionDelivered, ActionRelayed, ActionExpanded:
		return "2.0.0"
	}
	return ""
}

// actionFromStatus gives the action a status class implies. QUIRK: many
// text bounces and some broken reports have no Action at all.
func actionFromStatus(s string) Action {
	if s == "" {
		return ""
	}
	switch s[0] {
	case '5':
		return ActionFailed
	case '4':
		return ActionDelayed
	case '2':
		return ActionDelivered
	}
	return ""
}

// trimAddr removes space, angle brackets and quotes around an address.
func trimAddr(a string) string {
	a = strings.TrimSpace(a)
	a = strings.TrimPrefix(a, "<")
	a = strings.TrimSuffix(a, ">")
	return strings.Trim(strings.TrimSpace(a), `"'`)
}

// vaguerStatus reports whether status is only x.0.0 while than is a more
// specific code: a quoted "550 5.0.0" must not replace a report's 5.1.1.
func vaguerStatus(status, than string) bool {
	return strings.HasSuffix(status, ".0.0") && than != "" && !strings.HasSuffix(than, ".0.0")
}
