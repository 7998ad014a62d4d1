package dsn

// probeOrder is the order of the first pass for SMTP diagnostics: Sisimai
// tries its reason classes in this order, so that for example a full mailbox
// reported with 5.1.1 is mailboxfull, and the code-less "relay access denied"
// is norelaying before anything looks for "user unknown".
var probeOrder = []string{
	ReasonMailboxFull, ReasonMesgTooBig, ReasonExceedLimit, ReasonSuspend, ReasonHasMoved,
	ReasonNoRelaying, ReasonAuthFailure, ReasonUserUnknown, ReasonFiltered, ReasonRequirePTR,
	ReasonNotCompliantRFC, ReasonBadReputation, ReasonContentError, ReasonRejected,
	ReasonHostUnknown, ReasonSpamDetected, ReasonSpeeding, ReasonTooManyConn, ReasonBlocked,
}

// fallbackOrder is the order of the generic phrases tried when the first pass
// found nothing and the status code names no reason, or only a retryable one.
var fallbackOrder = []string{
	ReasonMailboxFull, ReasonAuthFailure, ReasonBadReputation, ReasonSpeeding, ReasonSpamDetected,
	ReasonVirusDetected, ReasonPolicyViolation, ReasonNoRelaying, ReasonSystemError,
	ReasonNetworkError, ReasonSuspend, ReasonContentError, ReasonSystemFull, ReasonNotAccept,
	ReasonExpired, ReasonFailedSTARTTLS, ReasonSecurityError, ReasonSuppressed, ReasonMailerError,
}

// probe reports whether the recipient's facts point at reason r in the first
// pass. Each case says which facts the reason trusts.
func probe(r string, in *input) bool {
	switch r {
	case ReasonMailboxFull, ReasonExceedLimit, ReasonAuthFailure, ReasonRequirePTR, ReasonTooManyConn, ReasonBlocked:
		// The code alone is enough, or the wording.
		return in.code == r || in.words.matches(r)
	case ReasonMesgTooBig:
		if in.code == r {
			return true
		}
		if in.code == ReasonExceedLimit {
			// x.2.3 is exceedlimit unless the text says the message's own
			// length is over the limit (RFC 3463's wording of 5.2.3 itself,
			// which Postfix and DragonFly relays pass on).
			return containsAny(in.text, messageLengthWords)
		}
		return in.words.matches(r)
	case ReasonSuspend:
		return in.reply == "525" || in.words.matches(r)
	case ReasonHasMoved, ReasonNotCompliantRFC, ReasonBadReputation, ReasonSpeeding:
		return in.words.matches(r)
	case ReasonNoRelaying:
		// A relay refusal cannot happen before the first MAIL.
		if in.command == "CONN" || in.command == "EHLO" || in.command == "HELO" {
			return false
		}
		return in.words.matches(r)
	case ReasonUserUnknown:
		return probeUserUnknown(in)
	case ReasonFiltered:
		return probeFiltered(in)
	case ReasonContentError:
		if probe(ReasonSpamDetected, in) {
			return false
		}
		return in.code == r || in.words.matches(r)
	case ReasonRejected:
		return probeRejected(in)
	case ReasonHostUnknown:
		if in.code == r {
			// A DNS failure reported with 5.1.2 / 5.4.4 is a network error.
			return !in.words.matches(ReasonNetworkError)
		}
		return in.words.matches(r)
	case ReasonSpamDetected:
		if in.status == "" {
			return false
		}
		if in.code == r {
			return true
		}
		return !commandsBeforeDATA[in.command] && in.words.matches(r)
	}
	return false
}

// probeUserUnknown: x.1.1 (and friends) is userunknown unless the text names
// a relay refusal, a block, a full or moved mailbox, a rejected sender or a
// domain that takes no mail; without such a code, the wording counts only
// when RCPT failed.
func probeUserUnknown(in *input) bool {
	if in.code == ReasonUserUnknown {
		for _, other := range []string{ReasonNoRelaying, ReasonBlocked, ReasonMailboxFull, ReasonHasMoved, ReasonRejected, ReasonNotAccept} {
			if in.words.matches(other) {
				return false
			}
		}
		return true
	}
	return in.command == "RCPT" && in.words.matches(ReasonUserUnknown)
}

// probeFiltered: x.2.0/x.2.1/x.2.4 and x.1.4 are filtered when the text names
// a missing user or a filter; without such a code, "user unknown" after the
// DATA command (or with no command known) means a filter, since the address
// itself was accepted at RCPT.
func probeFiltered(in *input) bool {
	if in.code == ReasonFiltered {
		return in.words.matches(ReasonUserUnknown) || in.words.matches(ReasonFiltered)
	}
	if commandsBeforeDATA[in.command] {
		return false
	}
	return in.words.matches(ReasonFiltered) || in.words.matches(ReasonUserUnknown)
}

// probeRejected: x.1.7/x.1.8 is rejected (a bad sender); otherwise the
// sender-refusal wording counts after MAIL, after DATA (unless the code says
// the recipient is unknown), or when the code is vague.
func probeRejected(in *input) bool {
	if in.code == ReasonRejected {
		return true
	}
	switch {
	case in.command == "MAIL":
		if in.words.matchesAtMail(ReasonRejected) {
			return true
		}
	case in.command == "DATA" && in.code != ReasonUserUnknown:
	case !explicit(in.code) || in.code == ReasonSecurityError || in.code == ReasonSystemError:
	default:
		return false
	}
	return in.words.matches(ReasonRejected)
}

// fallback is the second pass: generic phrases when the code decides nothing
// (or the diagnostic is not an SMTP reply), then the code itself, then the
// class of the code and the other facts.
func fallback(in *input) string {
	if !retryable[in.code] && in.dtype == "smtp" {
		return in.code
	}
	for _, r := range fallbackOrder {
		if in.words.matches(r) {
			return r
		}
	}
	if r := replyReasons[in.reply]; r != "" {
		return r
	}
	if in.code != "" {
		return in.code
	}
	if len(in.status) > 3 {
		switch in.status[2] {
		case '6':
			return ReasonContentError
		case '7':
			return ReasonSecurityError
		}
	}
	switch {
	case in.dtype == "x-unix":
		return ReasonMailerError
	case isSyntaxReply(in.reply):
		return ReasonSyntaxError
	case in.delayed:
		return ReasonExpired
	case in.command == "EHLO" || in.command == "HELO":
		return ReasonBlocked // the server refused the client's name
	case in.command == "STARTTLS":
		return ReasonFailedSTARTTLS
	}
	return ""
}

// isSyntaxReply reports a 401-407 or 501-507 reply: the server did not
// understand the command.
func isSyntaxReply(rc string) bool {
	if len(rc) != 3 || rc[1] != '0' {
		return false
	}
	return (rc[0] == '4' || rc[0] == '5') && rc[2] >= '1' && rc[2] <= '7'
}

// messageLengthWords say that the size of the message itself, not a count,
// went over a limit.
var messageLengthWords = []string{"message length exceeds", "message length exceeded"}

// replyReasons are the reply codes that name a reason by themselves when
// neither the text nor a specific status code does: RFC 7504's 521 (the
// host does not accept mail) and 556 (the domain does not), and the
// encryption replies 523 (RFC 5248 "encryption needed"), 524 and 538
// (RFC 4954 "encryption required for requested authentication
// mechanism"), as Sisimai's notaccept and failedstarttls rules read them.
var replyReasons = map[string]string{
	"521": ReasonNotAccept,
	"556": ReasonNotAccept,
	"523": ReasonFailedSTARTTLS,
	"524": ReasonFailedSTARTTLS,
	"538": ReasonFailedSTARTTLS,
}
