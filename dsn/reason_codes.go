package dsn

// statusReasons maps an enhanced status code (RFC 3463, IANA registry) to
// the reason it names by itself, as Sisimai reads the codes. Codes missing
// here (x.0.0, 4.3.0, 4.4.0, 4.7.0, 5.7.500 and the like) decide nothing.
var statusReasons = map[string]string{
	"2.1.5": ReasonDelivered,

	"4.1.6":  ReasonHasMoved,      // destination mailbox has moved
	"4.1.7":  ReasonRejected,      // bad sender's mailbox address syntax
	"4.1.8":  ReasonRejected,      // bad sender's system address
	"4.1.9":  ReasonSystemError,   // message relayed to non-compliant mailer
	"4.2.1":  ReasonBlocked,       // mailbox disabled (used for rate limits)
	"4.2.2":  ReasonMailboxFull,   // mailbox full
	"4.2.3":  ReasonExceedLimit,   // message length exceeds administrative limit
	"4.2.4":  ReasonFiltered,      // mailing list expansion problem
	"4.3.1":  ReasonSystemFull,    // mail system full
	"4.3.2":  ReasonNotAccept,     // system not accepting network messages
	"4.3.3":  ReasonSystemError,   // system not capable of selected features
	"4.3.5":  ReasonSystemError,   // system incorrectly configured
	"4.4.1":  ReasonExpired,       // no answer from host
	"4.4.2":  ReasonNetworkError,  // bad connection
	"4.4.3":  ReasonSystemError,   // directory server failure
	"4.4.4":  ReasonNetworkError,  // unable to route
	"4.4.5":  ReasonSystemFull,    // mail system congestion
	"4.4.6":  ReasonNetworkError,  // routing loop detected
	"4.4.7":  ReasonExpired,       // delivery time expired
	"4.4.8":  ReasonNetworkError,  // retry on IPv4
	"4.5.3":  ReasonSystemError,   // too many recipients
	"4.5.5":  ReasonSystemError,   // wrong protocol version
	"4.6.0":  ReasonContentError,  // other media error
	"4.6.2":  ReasonContentError,  // conversion required and prohibited
	"4.6.5":  ReasonContentError,  // conversion failed
	"4.7.1":  ReasonBlocked,       // delivery not authorized
	"4.7.2":  ReasonBlocked,       // mailing list expansion prohibited
	"4.7.5":  ReasonSecurityError, // cryptographic failure
	"4.7.6":  ReasonSecurityError, // cryptographic algorithm not supported
	"4.7.7":  ReasonSecurityError, // message integrity failure
	"4.7.12": ReasonSecurityError, // a password transition is needed
	"4.7.15": ReasonSecurityError, // priority level is too low
	"4.7.16": ReasonMesgTooBig,    // message too big for the specified priority
	"4.7.24": ReasonAuthFailure,   // SPF validation error
	"4.7.25": ReasonRequirePTR,    // reverse DNS validation failed
	"4.7.26": ReasonAuthFailure,   // multiple authentication checks failed

	"5.1.0":  ReasonUserUnknown,    // other address status
	"5.1.1":  ReasonUserUnknown,    // bad destination mailbox address
	"5.1.2":  ReasonHostUnknown,    // bad destination system address
	"5.1.3":  ReasonUserUnknown,    // bad destination mailbox address syntax
	"5.1.4":  ReasonFiltered,       // destination mailbox address ambiguous
	"5.1.6":  ReasonHasMoved,       // destination mailbox has moved
	"5.1.7":  ReasonRejected,       // bad sender's mailbox address syntax
	"5.1.8":  ReasonRejected,       // bad sender's system address
	"5.1.9":  ReasonSystemError,    // message relayed to non-compliant mailer
	"5.1.10": ReasonNotAccept,      // recipient address has null MX (RFC 7505)
	"5.2.0":  ReasonFiltered,       // other mailbox status
	"5.2.1":  ReasonFiltered,       // mailbox disabled, not accepting messages
	"5.2.2":  ReasonMailboxFull,    // mailbox full
	"5.2.3":  ReasonExceedLimit,    // message length exceeds administrative limit
	"5.2.4":  ReasonFiltered,       // mailing list expansion problem
	"5.3.0":  ReasonSystemError,    // other mail system status
	"5.3.1":  ReasonSystemFull,     // mail system full
	"5.3.2":  ReasonNotAccept,      // system not accepting network messages
	"5.3.3":  ReasonSystemError,    // system not capable of selected features
	"5.3.4":  ReasonMesgTooBig,     // message too big for system
	"5.3.5":  ReasonSystemError,    // system incorrectly configured
	"5.4.0":  ReasonNetworkError,   // other network or routing status
	"5.4.3":  ReasonSystemError,    // directory server failure
	"5.4.4":  ReasonHostUnknown,    // unable to route
	"5.5.2":  ReasonSyntaxError,    // syntax error
	"5.5.3":  ReasonTooManyConn,    // too many recipients
	"5.5.4":  ReasonSystemError,    // invalid command arguments
	"5.5.5":  ReasonSystemError,    // wrong protocol version
	"5.5.6":  ReasonSyntaxError,    // authentication exchange line is too long
	"5.6.0":  ReasonContentError,   // other media error
	"5.6.1":  ReasonContentError,   // media not supported
	"5.6.2":  ReasonContentError,   // conversion required and prohibited
	"5.6.3":  ReasonContentError,   // conversion required but not supported
	"5.6.5":  ReasonContentError,   // conversion failed
	"5.6.6":  ReasonContentError,   // message content not available
	"5.6.7":  ReasonContentError,   // non-ASCII addresses not permitted
	"5.6.8":  ReasonContentError,   // UTF-8 string reply is required
	"5.6.9":  ReasonContentError,   // UTF-8 header cannot be transferred
	"5.7.0":  ReasonSecurityError,  // other security status
	"5.7.1":  ReasonSecurityError,  // delivery not authorized, message refused
	"5.7.2":  ReasonSecurityError,  // mailing list expansion prohibited
	"5.7.3":  ReasonSecurityError,  // security conversion required
	"5.7.4":  ReasonSecurityError,  // security features not supported
	"5.7.5":  ReasonSecurityError,  // cryptographic failure
	"5.7.6":  ReasonSecurityError,  // cryptographic algorithm not supported
	"5.7.7":  ReasonSecurityError,  // message integrity failure
	"5.7.8":  ReasonSecurityError,  // authentication credentials invalid
	"5.7.9":  ReasonSecurityError,  // authentication mechanism is too weak
	"5.7.10": ReasonSecurityError,  // encryption needed
	"5.7.11": ReasonSecurityError,  // encryption required for authentication mechanism
	"5.7.13": ReasonSuspend,        // user account disabled
	"5.7.14": ReasonSecurityError,  // trust relationship required
	"5.7.15": ReasonSecurityError,  // priority level is too low
	"5.7.16": ReasonMesgTooBig,     // message is too big for the specified priority
	"5.7.17": ReasonHasMoved,       // mailbox owner has changed
	"5.7.18": ReasonHasMoved,       // domain owner has changed
	"5.7.19": ReasonSecurityError,  // RRVS test cannot be completed
	"5.7.20": ReasonAuthFailure,    // no passing DKIM signature found
	"5.7.21": ReasonAuthFailure,    // no acceptable DKIM signature found
	"5.7.22": ReasonAuthFailure,    // no valid author-matched DKIM signature found
	"5.7.23": ReasonAuthFailure,    // SPF validation failed
	"5.7.24": ReasonAuthFailure,    // SPF validation error
	"5.7.25": ReasonRequirePTR,     // reverse DNS validation failed
	"5.7.26": ReasonAuthFailure,    // multiple authentication checks failed
	"5.7.27": ReasonNotAccept,      // sender address has null MX
	"5.7.28": ReasonSpamDetected,   // mail flood of similar abusive messages
	"5.7.29": ReasonAuthFailure,    // ARC validation failure
	"5.7.30": ReasonFailedSTARTTLS, // REQUIRETLS support required
}

// defaultStatuses is the permanent code DefaultStatus gives each reason; the
// temporary one has class 4 instead of 5.
var defaultStatuses = map[string]string{
	ReasonAuthFailure:     "5.7.26", // multiple authentication checks failed
	ReasonBadReputation:   "5.7.1",
	ReasonBlocked:         "5.7.1",
	ReasonContentError:    "5.6.0",
	ReasonExceedLimit:     "5.2.3",
	ReasonExpired:         "5.4.7",
	ReasonFailedSTARTTLS:  "5.7.10", // encryption needed
	ReasonFiltered:        "5.2.0",
	ReasonHasMoved:        "5.1.6",
	ReasonHostUnknown:     "5.1.2",
	ReasonMailboxFull:     "5.2.2",
	ReasonMailerError:     "5.3.0",
	ReasonMesgTooBig:      "5.3.4",
	ReasonNetworkError:    "5.4.0",
	ReasonNoRelaying:      "5.7.1",
	ReasonNotAccept:       "5.3.2",
	ReasonNotCompliantRFC: "5.6.0",
	ReasonOnHold:          "5.0.0",
	ReasonPolicyViolation: "5.7.1",
	ReasonRejected:        "5.1.8", // bad sender's system address
	ReasonRequirePTR:      "5.7.25",
	ReasonSecurityError:   "5.7.0",
	ReasonSpamDetected:    "5.7.1",
	ReasonSpeeding:        "5.7.0",
	ReasonSuppressed:      "5.0.0",
	ReasonSuspend:         "5.2.1",
	ReasonSyntaxError:     "5.5.2",
	ReasonSystemError:     "5.3.0",
	ReasonSystemFull:      "5.3.1",
	ReasonTooManyConn:     "5.7.0",
	ReasonUndefined:       "5.0.0",
	ReasonUserUnknown:     "5.1.1",
	ReasonVirusDetected:   "5.7.1",
}

// DefaultStatus returns the enhanced status code (RFC 3463) that best states
// reason, for bounces that carry no code of their own: class 4 when the
// failure is temporary, 5 otherwise. It returns "2.1.5" for delivered and ""
// for reasons that are not delivery failures (feedback, vacation) or unknown
// names. Sisimai itself fills such gaps with private x.0.9xx codes; these are
// the standard codes instead.
func DefaultStatus(reason string, temporary bool) string {
	if reason == ReasonDelivered {
		return "2.1.5"
	}
	code, ok := defaultStatuses[reason]
	if !ok {
		return ""
	}
	if temporary {
		return "4" + code[1:]
	}
	return code
}
