package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// fallback is the last-resort reader for bounces of mail systems no other
// format knows. It is deliberately strict, because reporting ordinary mail
// as a bounce is the worst error: it needs a mail-system sender (null
// Return-Path, MAILER-DAEMON, postmaster, "Mail Delivery System"), a clear
// delivery-failure sentence in the bounce's own text, and an address line
// there. Each recipient is an address of that text (not the bounce's own
// From/To) that has an SMTP reply or enhanced status code near it, or,
// failing any such, an address standing alone on its line, leading it
// ("<user@example.org>: reason"), labelled ("Unknown user: user@...") or
// followed by a bracketed reason ("user@example.org [User unknown]"); the
// diagnostic is the text around it.
type fallback struct{}

func init() { dsn.Register(dsn.OrderFallback, fallback{}) }

func (fallback) Name() string { return "fallback" }

var (
	// fbFailureRe is a clear statement that delivery failed, in several
	// languages.
	fbFailureRe = lazyre.New(`(?i)could ?n[o']t be delivered|could not deliver|was not delivered|were not delivered|(?:has|have) not been delivered|not be delivered|undeliverable|undelivered|delivery (?:has |to [^\n]{0,80})?failed|failed to deliver|unable to deliver|permanent (?:error|failure)|fatal errors?|delivery failure|did not reach|returned to sender|error (?:has occurred )?while (?:attempting to )?deliver|error delivering|trouble delivering|(?:was|wasn't|were|not) able to deliver|delivery (?:errors?|problems?)|has been delayed|delivery (?:is |was )?delayed|message rejected|konnte nicht zugestellt werden|nicht zustellbar|n'a pas pu être (?:remis|distribué)|no se (?:pudo|ha podido) entregar|não (?:pôde|foi possível) (?:ser )?entreg|non (?:è stato possibile|può essere) recapitat|kon niet worden bezorgd|無法(?:傳遞|投遞)|无法(?:投递|送达)|配信できませんでした|送信できませんでした|届けることができませんでした`)
	// fbSuccessRe marks delivery and relay notices ("Delivery Status
	// Notification (Success)"): without a failure sentence they are no
	// failure.
	fbSuccessRe = lazyre.New(`(?i)\(success\)|successfully (?:delivered|relayed)|deliver(?:y|ed) (?:succeeded|successful)|(?:was|were|has been|have been) (?:delivered|relayed)|delivery to the following recipients? (?:succeeded|was successful|complete)`)
	// fbEndRe is where the returned message starts in a text bounce.
	fbEndRe = lazyre.New(`(?i)^\s*[-=*_ ]*(?:original message|this is a copy of|a copy of the (?:original )?message|below this line|returned message|unsent message|message headers? follows?|the header of the original message|original message headers|the original message (?:was|is) (?:attached|below|included)|here is your returned mail|returned mail follows|start of returned message|(?:附件中的内容是)?原(?:信件|邮件|始邮件)的?(?:一份)?拷贝|以下是原(?:信件|邮件))`)
	// fbAloneRe is an address alone on its line, optionally in <> with a
	// trailing colon or bullet.
	fbAloneRe = lazyre.New(`^\s*(?:[*-]\s+)?<?([^\s<>"]+@[^\s<>"]+?)>?:?\s*$`)
	// fbCodeRe is an SMTP reply or an enhanced status code in a line.
	fbCodeRe = lazyre.New(`(?:^|[\s(\[:;#'"])(?:[245][0-5]\d(?:[ ,-]|$)|[245]\.\d{1,3}\.\d{1,3}\b)`)
	// fbLeadRe is a line that starts with the address in <> or followed
	// by a colon, then the reason: "<user@example.org>: Host not found".
	// fbLabelRe is "Reason: address" ("Unknown user: user@example.org")
	// and fbBracketRe "address [reason]" or "address (reason)".
	fbLabelRe   = lazyre.New(`^\s*([A-Za-z][A-Za-z ,'/-]{2,60}):\s+<?([^\s<>"]+@[^\s<>"]+?)>?\.?$`)
	fbBracketRe = lazyre.New(`^\s*<?([^\s<>"]+@[^\s<>"]+?)>?\s+[\[(]([^\])]{3,200})[\])]$`)
	fbLeadRe    = lazyre.New(`^\s*(?:[*-]\s+)?(?:<([^\s<>"]+@[^\s<>"]+)>:?|([^\s<>"]+@[^\s<>"]+):)\s+(\S.*)$`)
)

// maxFallbackRecipients: a text that names more addresses than this (a
// list, a digest) is not read by the fallback (default 20).
const maxFallbackRecipients = 20

func (fallback) Parse(m *dsn.Message) (*dsn.Report, bool) {
	daemon := NullSender(m.Header) || m.DaemonSender()
	if !daemon && !subjectOnlyBounce(m) || dsn.IsAutoReply(m.Header) && !m.DaemonSender() {
		return nil, false
	}
	lines := ownLines(m.BodyText())
	own := strings.Join(lines, "\n")
	failed := fbFailureRe.MatchString(own) || fbDelayRe.MatchString(own)
	if !failed && (!bounceSubject(m) || fbSuccessRe.MatchString(m.Subject()+"\n"+own)) {
		return nil, false
	}
	skip := headerAddrs(m.Header)
	var rcpts []dsn.Recipient
	if daemon {
		rcpts = codedRecipients(lines, skip)
		if len(rcpts) == 0 {
			rcpts = aloneRecipients(lines, skip)
		}
	}
	if len(rcpts) == 0 && !daemon {
		rcpts = introducedRecipients(lines, skip)
	} else if len(rcpts) == 0 {
		rcpts = sentenceRecipients(lines, skip, daemon)
	} else {
		// the recipient a "could not deliver your message to <addr>"
		// sentence names is failed too, even when the reply quoted below
		// it names another address (an alias's target)
		rcpts = mergeRecipients(rcpts, sentenceRecipients(lines, skip, false))
	}
	if len(rcpts) == 0 || len(rcpts) > maxFallbackRecipients {
		return nil, false
	}
	// a recipient listed without a reason of its own takes the notice's
	// failure sentence
	if general := failureLine(lines); general != "" {
		for i := range rcpts {
			if rcpts[i].Diagnostic == "" {
				rcpts[i].Diagnostic = general
			}
		}
	}
	if fbDelayRe.MatchString(own) && !fbGiveUpRe.MatchString(own) && !hardFailure(own) {
		for i := range rcpts {
			rcpts[i].Action = dsn.ActionDelayed
		}
	}
	return &dsn.Report{Recipients: rcpts}, true
}

var (
	// fbDelayRe is a delay warning's statement that delivery goes on:
	// MessageSwitch "This is just a warning, you do not need to take any
	// action", Symantec "Delivery attempts will continue to be made",
	// Exchange "has been postponed", "has not yet been delivered".
	fbDelayRe = lazyre.New(`(?i)this is (?:just )?a warning|you do not need to (?:take any action|resend)|delivery attempts will continue|will (?:continue to|keep) (?:try|retry|attempt)|(?:will|shall) (?:be )?retr(?:y|ied)|has been postponed|(?:has|have) not yet been delivered|not (?:been )?delivered yet|could not be delivered yet|still (?:trying|attempting) to deliver|delivery (?:is |has been |was )?delayed|has been delayed|message delayed`)
	// fbGiveUpRe says the mail system stopped trying: the notice is a
	// failure even if it also mentions delays.
	fbGiveUpRe = lazyre.New(`(?i)permanent(?:ly)? (?:error|failure|failed|fatal)|(?:have|has|I've) given up|giving up|not going to try again|will not be retried|no further (?:delivery )?attempts|removed from the (?:mail )?queue|returned to (?:the )?sender|could not be delivered(?: to)?[^\n]{0,40}(?:\.|:)\s*$`)
)

// fbForwardRe is a subject of mail a person forwards.
var fbForwardRe = lazyre.New(`(?i)^\s*(?:fwd?|fw|wg|tr)\s*:`)

// maxSubjectOnlyLines: a notice known only by its subject must be short
// (default 40 lines of own text).
const maxSubjectOnlyLines = 40

// subjectOnlyBounce reports whether m, sent from an ordinary address, is
// still a gateway's notice: a bounce subject (not a forward), no
// attachment of a person's mail other than the returned one, and a short
// text. QUIRK: some corporate gateways send their non-delivery notices
// from a mailbox of their own and append "(delivery failed)" or "non
// remis" to the original subject.
func subjectOnlyBounce(m *dsn.Message) bool {
	subj := m.Subject()
	if !bounceSubject(m) || fbForwardRe.MatchString(subj) {
		return false
	}
	return len(ownLines(m.BodyText())) <= maxSubjectOnlyLines
}

var (
	// fbInvalidRe states that an address is wrong, in the notices that
	// say so in a sentence rather than with a code.
	fbInvalidRe = lazyre.New(`(?i)(?:is|was) (?:wrong|invalid|unknown|not valid)|no longer (?:valid|exists?|in use|active)|does not exist|did not (?:exactly )?match|(?:no such|unknown) (?:user|recipient|mailbox|address)`)
	// fbDeliverToRe is a failure sentence that introduces the address
	// itself: "could not be delivered to", "delivery to ... failed".
	fbDeliverToRe = lazyre.New(`(?i)(?:could ?n[o']t be delivered|was not delivered|could not deliver (?:your )?(?:message|mail)|unable to deliver (?:your )?(?:message|mail)) to\s*:?\s*$|(?:could ?n[o']t be delivered|was not delivered|unable to deliver (?:your )?(?:message|mail)) to <?[^\s<>]+@`)
)

// maxSentenceRecipients bounds the addresses a notice may name in its
// failure sentences (default 3): more is a list, not a notice.
const maxSentenceRecipients = 3

// sentenceRecipients finds the addresses that the notice names inside a
// sentence stating the failure ("Your message could not be delivered to
// user@example.org") or that the address is wrong ("The address ...,
// user@example.org, did not exactly match ..."). With daemon=false only a
// failure sentence that introduces the address counts.
func sentenceRecipients(lines []string, skip map[string]bool, daemon bool) []dsn.Recipient {
	var out []dsn.Recipient
	seen := map[string]bool{}
	for _, s := range sentences(lines) {
		ok := fbDeliverToRe.MatchString(s)
		if daemon {
			ok = ok || fbFailureRe.MatchString(s) || fbInvalidRe.MatchString(s) || fbDelayRe.MatchString(s)
		}
		if !ok {
			continue
		}
		for _, a := range dsn.FindAddresses(s) {
			if la := strings.ToLower(a); usable(a, skip) && !seen[la] {
				seen[la] = true
				out = append(out, dsn.Recipient{Recipient: a, Action: dsn.ActionFailed, Diagnostic: s})
			}
		}
	}
	if len(out) > maxSentenceRecipients {
		return nil
	}
	return out
}

// fbSentenceEndRe ends a sentence: a full stop, "!" or "?" before white
// space (not the dots of an address or host name).
var fbSentenceEndRe = lazyre.New(`[.!?]\s+`)

// sentences splits the text into sentences: paragraphs (blank lines,
// separator lines) joined, then cut at sentence ends. A failure sentence
// that ends in "to" keeps the address line after it.
func sentences(lines []string) []string {
	var out, para []string
	flush := func() {
		if len(para) > 0 {
			text := dsn.CollapseSpace(strings.Join(para, " "))
			out = append(out, fbSentenceEndRe.Split(text, -1)...)
			para = para[:0]
		}
	}
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.Trim(t, "*=-_#~ ") == "" || strings.HasPrefix(t, ">") {
			flush()
			continue
		}
		para = append(para, t)
	}
	flush()
	return out
}

// ownLines returns the bounce's own text lines, up to where the returned
// message starts.
func ownLines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if fbEndRe.MatchString(l) {
			break
		}
		out = append(out, strings.TrimRight(l, " \t"))
	}
	return out
}

// headerAddrs returns the lower-cased addresses of the bounce's own From,
// To, Cc, Reply-To, Sender and Return-Path: they are the sender of the
// failed message and the mail system, never the failed recipient.
func headerAddrs(h dsn.Header) map[string]bool {
	out := map[string]bool{}
	for _, name := range []string{"From", "To", "Cc", "Reply-To", "Sender", "Return-Path"} {
		for _, v := range h.Values(name) {
			for _, a := range dsn.FindAddresses(v) {
				out[strings.ToLower(a)] = true
			}
		}
	}
	return out
}

// usable reports whether a is a candidate recipient: not in skip and not
// a mail system mailbox.
func usable(a string, skip map[string]bool) bool {
	la := strings.ToLower(a)
	if skip[la] {
		return false
	}
	local, _, _ := strings.Cut(la, "@")
	switch local {
	case "postmaster", "mailer-daemon", "mail-daemon", "noreply", "no-reply", "abuse":
		return false
	}
	return true
}

// fbSenderRe marks a line that names the sender, not a recipient: "A
// message sent by", "From:", "MAIL FROM:<...>", "Sender:".
var fbSenderRe = lazyre.New(`(?i)(?:sent by|^\s*(?:from|sender|envelope-from|return-path|reply-to)\s*:|mail from\s*:)\s*(?:<[^<>]*>)?\s*$|^\s*(?:from|sender|envelope-from|return-path)\s*:|mail from\s*:\s*<`)

// fbAliasRe marks the alias trail under a recipient ("(generated from
// alias@...)", "(expanded from <...>)"): the original address, not the
// failed one.
var fbAliasRe = lazyre.New(`(?i)\((?:ultimately )?generated from|\(expanded from|original(?:ly)?[ -]recipient`)

// senderLine reports whether line i names the sender: the line itself or
// the non-blank line before it introduces one.
func senderLine(lines []string, i int) bool {
	if fbSenderRe.MatchString(lines[i]) || fbAliasRe.MatchString(lines[i]) {
		return true
	}
	for j := i - 1; j >= 0; j-- {
		if strings.TrimSpace(lines[j]) != "" {
			return fbSenderRe.MatchString(lines[j]) && strings.Contains(strings.ToLower(lines[j]), "sent by")
		}
	}
	return false
}

// codedRecipients finds the addresses that have an SMTP code on their
// line or in the (up to three) lines after it, before the next address.
func codedRecipients(lines []string, skip map[string]bool) []dsn.Recipient {
	var out []dsn.Recipient
	seen := map[string]bool{}
	for i, l := range lines {
		if senderLine(lines, i) {
			continue
		}
		for _, a := range dsn.FindAddresses(l) {
			if !usable(a, skip) || seen[strings.ToLower(a)] {
				continue
			}
			win := window(lines, i, 3)
			if !fbCodeRe.MatchString(strings.Join(win, "\n")) {
				continue
			}
			seen[strings.ToLower(a)] = true
			out = append(out, fbRecipient(a, win))
		}
	}
	return out
}

// aloneRecipients finds addresses standing alone on their line; the
// diagnostic is the lines after each.
func aloneRecipients(lines []string, skip map[string]bool) []dsn.Recipient {
	var out []dsn.Recipient
	seen := map[string]bool{}
	for i, l := range lines {
		if senderLine(lines, i) {
			continue
		}
		a := ""
		if sm := fbAloneRe.FindStringSubmatch(l); sm != nil {
			a = sm[1]
		} else if sm := fbLeadRe.FindStringSubmatch(l); sm != nil {
			a = sm[1] + sm[2]
		} else if sm := fbBracketRe.FindStringSubmatch(l); sm != nil {
			a = sm[1]
		} else if sm := fbLabelRe.FindStringSubmatch(l); sm != nil && !fbSenderRe.MatchString(l) {
			a = sm[2]
		}
		if a == "" || !usable(a, skip) || seen[strings.ToLower(a)] {
			continue
		}
		seen[strings.ToLower(a)] = true
		out = append(out, fbRecipient(a, window(lines, i, 3)))
	}
	return out
}

// window returns line i and up to n following non-blank lines, stopping
// at a blank line after some text or at the next line with an address.
func window(lines []string, i, n int) []string {
	out := []string{lines[i]}
	for j := i + 1; j < len(lines) && len(out) <= n; j++ {
		t := strings.TrimSpace(lines[j])
		if t == "" {
			if len(out) > 1 {
				break
			}
			continue
		}
		if dsn.FindAddress(t) != "" && fbAloneRe.MatchString(t) {
			break
		}
		out = append(out, t)
	}
	return out
}

// fbRecipient builds a failed recipient from its address and the lines
// around it; the address itself is dropped from the diagnostic's start.
func fbRecipient(addr string, win []string) dsn.Recipient {
	first := strings.TrimSpace(win[0])
	if sm := fbAloneRe.FindStringSubmatch(first); sm != nil {
		first = ""
	} else if sm := fbLeadRe.FindStringSubmatch(first); sm != nil {
		first = sm[3]
	} else if sm := fbBracketRe.FindStringSubmatch(first); sm != nil {
		first = sm[2]
	} else if sm := fbLabelRe.FindStringSubmatch(first); sm != nil {
		first = sm[1]
	}
	diag := dsn.CollapseSpace(strings.Join(append([]string{first}, win[1:]...), " "))
	return dsn.Recipient{Recipient: addr, Action: dsn.ActionFailed, Diagnostic: diag, RemoteMTA: RemoteHost(diag), ReplyCode: LeadingReply(win[1:])}
}

// mergeRecipients appends the recipients of more whose address is not in
// rcpts yet.
func mergeRecipients(rcpts, more []dsn.Recipient) []dsn.Recipient {
	have := map[string]bool{}
	for _, rc := range rcpts {
		have[strings.ToLower(rc.Recipient)] = true
	}
	for _, rc := range more {
		if !have[strings.ToLower(rc.Recipient)] {
			have[strings.ToLower(rc.Recipient)] = true
			rcpts = append(rcpts, rc)
		}
	}
	return rcpts
}

// fbIntroLineRe is a line that ends by introducing the failed address on
// the next line: "Your message could not be delivered to".
var fbIntroLineRe = lazyre.New(`(?i)(?:could ?n[o']t be delivered|was not delivered|could not deliver (?:your )?(?:message|mail)|unable to deliver (?:your )?(?:message|mail)) to\s*:?\s*$`)

// introducedRecipients finds the addresses standing alone on the line
// right after a line that introduces them (fbIntroLineRe): the only
// layout read in a notice known by its subject alone, since a person's
// sentence may say the same words about an address inline.
func introducedRecipients(lines []string, skip map[string]bool) []dsn.Recipient {
	var out []dsn.Recipient
	for i := 0; i+1 < len(lines) && len(out) < maxSentenceRecipients; i++ {
		if !fbIntroLineRe.MatchString(lines[i]) {
			continue
		}
		j := i + 1
		for j < len(lines)-1 && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if sm := fbAloneRe.FindStringSubmatch(lines[j]); sm != nil && usable(sm[1], skip) {
			out = append(out, dsn.Recipient{Recipient: sm[1], Action: dsn.ActionFailed,
				Diagnostic: dsn.CollapseSpace(lines[i] + " " + sm[1])})
		}
	}
	return out
}

// failureLine returns the first line of the notice that states the
// failure (fbFailureRe), trimmed, or "".
func failureLine(lines []string) string {
	for _, l := range lines {
		if fbFailureRe.MatchString(l) {
			return dsn.CollapseSpace(l)
		}
	}
	return ""
}

var (
	// fbHardFailRe states that delivery failed, not that it is late.
	fbHardFailRe = lazyre.New(`(?i)could ?n[o']t be delivered|(?:was|were) not delivered|undeliverable|delivery (?:has )?failed|failed to deliver|did not reach`)
	// fbNotYetRe follows a failure phrase that only says "not yet": "could
	// not be delivered yet", "... for 4 hours", "... within 2 days".
	fbNotYetRe = lazyre.New(`(?i)^\s*(?:yet\b|(?:for|within|in) (?:the (?:last|past) )?\d)`)
)

// hardFailure reports whether text states a failure that is not only a
// delay ("could not be delivered." rather than "... yet").
func hardFailure(text string) bool {
	for _, loc := range fbHardFailRe.FindAllStringIndex(text, -1) {
		if !fbNotYetRe.MatchString(text[loc[1]:min(loc[1]+40, len(text))]) {
			return true
		}
	}
	return false
}
