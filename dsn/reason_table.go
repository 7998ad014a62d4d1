package dsn

import (
	"strings"
	"sync"

	"github.com/bouncenote/bouncenote/internal/lazyre"
	"github.com/bouncenote/bouncenote/internal/literal"
)

// Reason names: the 36 names of the Sisimai library (testdata/reference/reasons.tsv).
// ReasonDelivered, ReasonFeedback and ReasonVacation are declared in finish.go.
const (
	ReasonAuthFailure     = "authfailure"
	ReasonBadReputation   = "badreputation"
	ReasonBlocked         = "blocked"
	ReasonContentError    = "contenterror"
	ReasonExceedLimit     = "exceedlimit"
	ReasonExpired         = "expired"
	ReasonFailedSTARTTLS  = "failedstarttls"
	ReasonFiltered        = "filtered"
	ReasonHasMoved        = "hasmoved"
	ReasonHostUnknown     = "hostunknown"
	ReasonMailboxFull     = "mailboxfull"
	ReasonMailerError     = "mailererror"
	ReasonMesgTooBig      = "mesgtoobig"
	ReasonNetworkError    = "networkerror"
	ReasonNoRelaying      = "norelaying"
	ReasonNotAccept       = "notaccept"
	ReasonNotCompliantRFC = "notcompliantrfc"
	ReasonOnHold          = "onhold"
	ReasonPolicyViolation = "policyviolation"
	ReasonRejected        = "rejected"
	ReasonRequirePTR      = "requireptr"
	ReasonSecurityError   = "securityerror"
	ReasonSpamDetected    = "spamdetected"
	ReasonSpeeding        = "speeding"
	ReasonSuppressed      = "suppressed"
	ReasonSuspend         = "suspend"
	ReasonSyntaxError     = "syntaxerror"
	ReasonSystemError     = "systemerror"
	ReasonSystemFull      = "systemfull"
	ReasonTooManyConn     = "toomanyconn"
	ReasonUndefined       = "undefined"
	ReasonUserUnknown     = "userunknown"
	ReasonVirusDetected   = "virusdetected"
)

// reasonRule is the one row of text patterns for one reason. All text is
// matched against the diagnostic lowercased, with runs of white space folded
// to one space and SMTP continuation prefixes ("550-5.7.1 ") removed.
//
//   - labels: error labels that name the reason outright (regexps), such as
//     the "LPN007_416" codes of Orange and La Poste.
//   - providers: a provider's documented wording, which decides the reason
//     when the mail went to or through that provider (see providerHosts), as
//     Sisimai's per-provider (rhost) tables do; elsewhere the same words are
//     only generic phrases.
//   - decisive: wording so specific (a provider's documented message, an MTA's
//     fixed sentence) that it decides the reason before any status code is
//     looked at. Sisimai gets the same effect from its per-provider (rhost)
//     and per-MTA (lhost) tables, which run before its generic checks.
//   - phrases: the reason's generic wording, used by the ordered checks in
//     reason.go (a phrase alone does not always win: see ClassifyFacts).
//   - ordered: groups of fragments that must all appear, in this order.
//   - regexps: the few patterns that substrings cannot express; compiled once.
//   - unless: wording that vetoes this rule's generic phrases.
//   - atMail: wording that names this reason only when the MAIL command
//     failed (a bare "access denied" at MAIL FROM refuses the sender).
type reasonRule struct {
	reason    string
	labels    []string
	providers []providerWords
	decisive  []string
	phrases   []string
	ordered   [][]string
	regexps   []string
	unless    []string
	atMail    []string
}

// reasonPatterns is THE table of text patterns, one row per reason. The row
// order is the order in which labels, then provider wording, then decisive
// phrases are tried (all labels of all rows first, and so on); the generic
// phrases are tried in the orders of probeOrder and fallbackOrder
// (reason_probe.go). Every phrase names a family of real messages: the
// comments say whose.
var reasonPatterns = []reasonRule{
	{
		reason: ReasonAuthFailure,
		labels: []string{
			// Cox, GoDaddy
			`aup#cxsndr\b`,
			`\bib508\b`,
			// Orange / La Poste error labels: "LPN007_416", "OFR_416", "OFR005_505"
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?(?:401|517)\b`,
		},
		providers: []providerWords{
			// Gmail / Google Workspace SMTP errors (support.google.com/a/answer/3726730, Sisimai Rhost::Google)
			{"google", []string{"the spf record of the sending domain", "senders to authenticate with either spf or dkim", "senders to authenticate with spf", "senders to authenticate their email with", "senders to authenticate with dkim", "aligned with either the authenticated spf or dkim"}},
			// Zoho Mail (zoho.com/mail/help, Sisimai Rhost::Zoho)
			{"zoho", []string{"email rejected per dmarc policy"}},
			{"apple", []string{"s dmarc policy", "blocked for failing both spf and dkim"}},
			{"mimecast", []string{"spf sender invalid - envelope rejected", "dkim sender invalid - envelope rejected", "dmarc sender invalid - envelope rejected"}},
			{"messagelabs", []string{"domain authentication fail"}},
			{"tencent", []string{"spf check failed"}},
			{"orange", []string{"spf/dns de votre nom de domaine"}},
		},
		decisive: []string{
			"spf authentication didn't pass",  // Gmail 4.7.27 / 5.7.27
			"dkim authentication didn't pass", // Gmail 4.7.30 / 5.7.30
			// Gmail's 2024 sender requirements (4.7.26, 4.7.27, 4.7.30, 5.7.26 ...)
			"senders to authenticate with either spf or dkim",
			"senders to authenticate with spf",
			"senders to authenticate their email with spf",
			"senders to authenticate their email with dkim",
			"senders to authenticate with dkim",
			"aligned with either the authenticated spf or dkim",
			"to add a dmarc record to",
			"the spf record of the sending domain",
			"has an spf record with a hard fail policy",
			"fails to pass spf checks for an spf record with a hard fail",
			"is not accepted due to domain's dmarc policy",
			"fails to pass authentication checks",
			"does not have authentication information", // Gmail 5.7.1 / 5.7.26, first line of the reply
			// Microsoft 365 (4.7.26, 5.7.23, 5.7.509, 5.7.515)
			"must pass either spf or dkim validation",
			"does not pass dmarc verification",
			"doesn't meet the required authentication level",
			"the message was rejected because of sender policy framework violation",
			// Yahoo / AOL
			"yahoo requires all senders to authenticate",
			// Tencent QQ, NetEase, Mail.ru, Apple, generic DMARC rejections
			"dmarc check failed",
			"owner dmarc policy",
			"per dmarc policy",
			"'s dmarc policy",
			"rejected due to dmarc", // Comcast "550 5.2.0 Message rejected due to DMARC"
		},
		phrases: []string{
			"//spf.pobox.com",
			"bad spf records for",
			"dmarc policy",
			"dmarc verification fail",
			"dmarc validation fail",
			"failed dmarc",
			"dkim signature verification fail",
			"dkim verification fail",
			"doesn't meet the required authentication level",
			"please inspect your spf settings",
			"sender policy framework (spf) fail",
			"sender policy framework violation",
			"spf (sender policy framework) domain authentication fail",
			"spf check: fail",
			"spf validation fail",
			"spf check failed",
			"authentication requirements defined for the sender",
		},
		ordered: [][]string{
			{"is not allowed to send mail.", "_401"},
			{"is not allowed to send from <", " per it's spf record"},
			{"unauthenticated email from ", " is not accepted due to domain"},
		},
	},
	{
		reason: ReasonBadReputation,
		labels: []string{
			// GoDaddy: poor Cloudmark reputation
			`\bib103\b`,
		},
		providers: []providerWords{
			{"mimecast", []string{"internal resources are temporarily unavailable", "local ct ip reputation - (reject)"}},
			{"messagelabs", []string{"connection rejected by policy"}},
		},
		decisive: []string{
			// Gmail 421 4.7.0 / 550 5.7.1
			"very low reputation of the sending",
			// Microsoft 4.7.650 (S775, S3113)
			"has been temporarily rate limited due to ip reputation",
		},
		phrases: []string{
			"a poor email reputation score",
			"due to the very low reputation", // Gmail: "likely suspicious due to the very low reputation of the sending IP/domain"
			"ip/domain reputation problems",
			"none/bad reputation",                                              // T-Online
			"temporarily deferred due to unexpected volume or user complaints", // Yahoo TSS04
			"the sending mta's poor reputation",
			"poor reputation",
			"sender reputation",
		},
	},
	{
		reason: ReasonNotCompliantRFC,
		labels: []string{
			// GoDaddy: blank or IP-literal From:
			`\bib50[12]\b`,
		},
		providers: []providerWords{
			{"messagelabs", []string{"has detected that this message is not rfc 5322", "550 requested action aborted [4]"}},
			{"google", []string{"553 5.1.7 the sender address "}}, // "... is not a valid RFC 5321 address" (the sender's, not the recipient's)
			{"google", []string{"missing a valid address in the from: header", "multiple addresses in from: header are not accepted", "missing a valid message-id: header", "contains a unicode character in a disallowed header", "encoded-word syntax is not permitted", "mail message is malformed"}},
		},
		decisive: []string{
			// Gmail 5.7.1 rfcmessagenoncompliant
			"this message is not rfc 5322 compliant",
			"p=rfcmessagenoncompliant",
			"headers are not rfc compliant", // Yahoo
			// Microsoft 5.7.512
			"message must be rfc 5322 section 3.6.2 compliant",
		},
		phrases: []string{
			"duplicate header",
			"messages with multiple addresses in from:",
			"is not rfc 5322 compliant",
			"not rfc compliant",
		},
		ordered: [][]string{{" multiple ", " header"}},
	},
	{
		reason: ReasonBlocked,
		labels: []string{
			// Spectrum "AUP#I-1000", Cox "AUP#CXBL", GoDaddy "IB110": the sending IP is blocked or listed
			`aup#[a-z]*-?(?:1000|120\d|1210)\b`,
			`aup#(?:cxbl|cdrbl|ipbl\d+)\b`,
			`\bib(?:104|105|106|110|111|112|113)\b`,
			// NetEase 163/126: sending IP listed or suspended (DT:RBL, HL:REP, HL:MEP, HL:IHU, HL:IPB, WM:BLI)
			`\b(?:dt:rbl|hl:(?:rep|mep|ihu|ipb)|wm:bli)\b`,
			// Orange / La Poste error labels: "LPN007_416", "OFR_416", "OFR005_505"
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?(?:101|102|103|510)\b`,
		},
		providers: []providerWords{
			{"tencent", []string{"too many invalid recipients"}}, // QQ: the sending IP sent to many unknown addresses
			// Gmail / Google Workspace SMTP errors (support.google.com/a/answer/3726730, Sisimai Rhost::Google)
			{"google", []string{"try again later, closing connection", "empty helo/ehlo argument not allowed"}},
			// Exchange Online / Exchange Server NDR texts (learn.microsoft.com NDR reference, Sisimai Rhost::Microsoft)
			{"microsoft", []string{"access denied, please try again later"}},
			{"zoho", []string{"greylisted, try again after some time"}},
			{"cox", []string{"cox too many bad commands from", "too many invalid recipients"}},
			{"godaddy", []string{"rbl reject", "www.spamhaus.org/query/bl?ip="}},
			{"apple", []string{"rejected due to having a domain present in the spamhaus", "rejected due to listing in spamhaus", "blocked - see https://support.proofpoint.com/dnsbl-lookup", "not accepting connections"}},
			{"mimecast", []string{"sender address blocked", "recipient temporarily unavailable", "ip temporarily blacklisted"}},
			{"cloudflare", []string{"found on one or more dnsbls"}},
			{"messagelabs", []string{"mail rejected because your ip is in the pbl", "your ip address has been "}},
			{"tencent", []string{"suspected bounce attacks", "suspected spam ip", "connection denied"}},
		},
		decisive: []string{
			// Microsoft 365 / Outlook.com
			"banned sending ip",
			"part of their network is on our block list",
			"using customer block list",
			"access denied, banned sender",
			"access denied, bad helo",
			"access denied, rejected by recipient",
			"does not accept email over ipv6",
			"not currently accepting mail from your ip",
			"access denied, traffic not accepted from this ip",
			"client blocked from sending from unregistered domains",
			// Gmail
			"ip not in whitelist for rcpt domain",
			"an unusual rate of unsolicited mail",
			"an unusual rate of mail",
			"helo/ehlo argument is invalid",
			// Yahoo / AOL
			"because the ip is in spamhaus's list",
			"not accepted from ip addresses on spamhaus xbl",
			// Apple iCloud
			"esmtp not accepting connections",
			// Orange / Wanadoo / La Poste: "Service refuse ... LPN006_107, OFR004_104"
			"service refuse. veuillez essayer plus tard",
			// Mail.ru
			"we do not accept mail from dynamic ips",
			// Free.fr
			"too many spams from your ip",
			// Cox
			"aup#cdrbl",
			// Postfix: the server rejected the connection itself
			"refused to talk to me:",
		},
		phrases: []string{
			"server access forbidden by your ip",
			"is black listed",
			"rbl restriction",
			" said: 550 blocked",
			"//www.spamcop.net/bl.",
			"spamhaus.org/query/bl",
			"spamhaus.org/sbl",
			"spamhaus.org/xbl",
			"spamhaus.org/pbl",
			"bad sender ip address",
			"blacklisted by",
			"blocklisted by",
			"blocked using ",
			"blocked - see http",
			"dnsbl:attrbl",
			"client host rejected: abus detecte",
			"client host rejected: may not be mail exchanger",
			"client host rejected: was not authenticated",
			"confirm this mail server",
			"connection dropped",
			"connection refused by",
			"connection reset by peer",
			"connection was dropped by remote host",
			"connections not accepted from ip addresses on spamhaus",
			"currently sending spam see: ",
			"domain does not exist:",
			"dynamic/zombied/spam ips blocked",
			"error: no valid recipients from ",
			"extreme bad ip profile",
			"go away",
			"helo command rejected:",
			"host network not allowed",
			"hosts with dynamic ip",
			"invalid ip for sending mail of domain",
			"ip address blacklisted",
			"ip address blocklisted",
			"is in a black list",
			"is in a block list",
			"is not allowed to send mail from",
			"listed in spamhaus",
			"mailfrom domain is listed in spamhaus",
			"no access from mail server",
			"no matches to nameserver query",
			"on our block list",
			"please use the smtp server of your isp",
			"refused - see http",
			"rejected - multi-blacklist",
			"rejected because the sending mta or the sender has not passed validation",
			"rejecting open proxy",
			"sender ip address rejected",
			"server access forbidden by your ip ",
			"service not available, closing transmission channel",
			"smtp error from remote mail server after initial connection:",
			"sorry, that domain isn't in my list of allowed rcpthosts",
			"sorry, your remotehost looks suspiciously like spammer",
			"to submit messages to this e-mail system has been rejected",
			"too many unwanted messages have been sent from the following ip address above",
			"was blocked by ",
			"you are not allowed to connect",
			"you are sending spam",
			"your ip address is listed in",
			"your network is temporary blacklisted",
			"your server requires confirmation",
			"barracudacentral.org",
			"b.barracudacentral",
			"sorbs.net",
			"uceprotect",
			"spamcop.net",
			"abuseat.org",
			"psbl.surriel.com",
			"dnsbl",
		},
		ordered: [][]string{
			{"(", "@", ":blocked)"},
			{"access from ip address ", " blocked"},
			{"client host ", " blocked using"},
			{"connections will not be accepted from ", " because the ip is in spamhaus"},
			{"dnsbl:rbl ", ">_is_blocked"},
			{"email blocked by ", ".barracudacentral.org"},
			{"email blocked by ", "spamhaus"},
			{"host ", " refused to talk to me: ", " blocked"},
			{"ip ", " is blocked by earthlink"},
			{"is in an ", "rbl on "},
			{"mail server at ", " is blocked"},
			{"mail from ", " refused:"},
			{"message from ", " rejected based on blacklist"},
			{"messages from ", " temporarily deferred due to user complaints"},
			{"server ip ", " listed as abusive"},
			{"your ip address", " is blocked by rbl"},
			{"the domain ", " is blacklisted"},
			{"the email ", " is blacklisted"},
			{"the ip", " is blacklisted"},
			{"the ip", " is blocklisted"},
			{"your access ip", " has been rejected"},
			{"your sender's ip address is listed at ", ".abuseat.org"},
		},
	},
	{
		reason: ReasonSpeeding,
		labels: []string{
			// Spectrum, GoDaddy: too much mail in a period
			`aup#[a-z]*-?(?:13[5-9]\d|14[0-8]\d|1490|1540|1550|1580)\b`,
			`\bib(?:101|504|510|607)\b`,
			// NetEase: too much mail in a short time (HL:IFC, HL:IFQ, MI:SFQ)
			`\b(?:hl:if[cq]|mi:sfq)\b`,
			// Orange / Wanadoo "ME Service refuse ... OFR_999 [999]": the service
			// refuses this client for now (Sisimai 5 counts it as speeding)
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?999\b`,
		},
		providers: []providerWords{
			{"apple", []string{"due to excessive volume"}},
			{"tencent", []string{"mailbox unavailable or access denined", "frequency of receiving messages is limited"}},
			{"google", []string{"is receiving mail too quickly", "peak smtp relay limit exceeded", "daily sending quota exceeded", "daily user sending limit exceeded", "daily smtp relay limit exceeded", "daily smtp relay sending limit exceeded", "this mail has been rate limited"}},
			{"microsoft", []string{"recipient thread limit exceeded", "reached your daily limit for message recipients", "submission quota exceeded", "recipient's per hour message receive limit", "the recipient has exceeded their limit for", "tenant has exceeded threshold"}},
		},
		decisive: []string{
			"smtp relay limit exceeded", // Google Workspace SMTP relay: "Peak SMTP relay limit exceeded for this customer"
			// Gmail 450 4.2.1
			"receiving mail at a rate that prevents additional messages from being delivered",
			// Yahoo
			"user is receiving mail too quickly",
		},
		phrases: []string{
			"mail sent from your ip address has been temporarily rate limited",
			"exceeded message rate limit", // Yandex "450 4.2.1 The recipient has exceeded message rate limit"
			"please try again slower",
			"receiving mail too quickly",
			"has exceeded permitted limits within",
			"recipient's per hour message receive limit",
			"you are sending too fast",
			"rate limit exceeded",
			"rate limited",
			"too many messages",
			"too much mail",
		},
		unless: []string{"connection rate limit", "too many messages on the server"},
	},
	{
		reason: ReasonTooManyConn,
		labels: []string{
			// Spectrum, Cox, GoDaddy: too many connections or recipients
			`aup#[a-z]*-?(?:13[0-3]\d|1340)\b`,
			`aup#(?:cxcnct|cxmxrt)\b`,
			`\bib(?:605|007)\b`,
			// Exchange 2007 and later: NDR label "RESOLVER.ADR.RecipLimit", "QUEUE.Expired"
			`resolver\.adr\.reciplimit`,
			// NetEase: too many connections, messages or recipients per connection (HL:ICC, MI:DMC, RP:DRC)
			`\b(?:hl:icc|mi:dmc|rp:drc)\b`,
			// Orange / La Poste error labels: "LPN007_416", "OFR_416", "OFR005_505"
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?(?:104)\b`,
		},
		providers: []providerWords{
			{"cox", []string{"too many sessions from", "requested action aborted: try again later", "message threshold exceeded"}},
			{"mimecast", []string{"account service is temporarily unavailable", "exceeding outbound thread limit"}},
			{"messagelabs", []string{"too many recipients received this hour", "too many messages"}},
			{"tencent", []string{"ip frequency limited", "domain frequency limited", "sender frequency limited", "connection frequency limited"}},
			{"google", []string{"your message has too many recipients", "too many recipients for this sender"}},
			{"microsoft", []string{"has exceeded the maximum number of connections"}},
		},
		decisive: []string{
			"max message per connection reached",   // Yahoo
			"too many concurrent smtp connections", // Microsoft
			"too many connections from your host",  // Microsoft
		},
		phrases: []string{
			"all available ips are at maximum connection limit",
			"connection rate limit exceeded",
			"exceeds per-domain connection limit for",
			"has exceeded the max emails per hour ",
			"throttling failure: daily message quota exceeded",
			"throttling failure: maximum sending rate exceeded",
			"too many connections",
			"too many errors from your ip",
			"too many recipients",
			"too many smtp sessions for this host",
			"trop de connexions, ",
			"we have already made numerous attempts to deliver this message",
		},
	},
	{
		reason: ReasonMailboxFull,
		providers: []providerWords{
			{"godaddy", []string{"account storage limit"}},
			{"apple", []string{"user is over quota"}},
		},
		labels: []string{
			// Orange / La Poste error labels: "LPN007_416", "OFR_416", "OFR005_505"
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?(?:417)\b`,
		},
		decisive: []string{
			// IMail, au EZweb
			"user mailbox exceeds allowed size",
			"the user(s) account is temporarily over quota",
			// Exim appendfile, qmail, Biglobe
			"mailbox is full",
			"error: quota exceed",
			"the number of messages in recipient's mailbox exceeded the local limit",
			// Gmail 452 4.2.2 / 552 5.2.2
			"inbox is out of storage space",
			"the email account that you tried to reach is over quota",
			// Microsoft Exchange
			"mapiexceptionshutoffquotaexceeded",
			"mapiexceptionquotaexceeded",
		},
		phrases: []string{
			"does not have enough space",
			"mail file size exceeds the maximum size allowed for mail delivery",
			"452 insufficient disk space",
			"account disabled temporarly for exceeding receiving limits",
			"boite du destinataire pleine",
			"disk quota exceeded",
			"exceeded storage allocation",
			"full mailbox",
			"is over quota",
			"mailbox exceeds allowed size",
			"mailbox size limit exceeded",
			"mailbox would exceed maximum allowed storage",
			"mailfolder is full",
			"no space left on device",
			"not sufficient disk space",
			"over quota",
			"quota exceeded",
			"quota violation for",
			"too much mail data",
			"user has exceeded quota, bouncing mail",
			"user has too many messages on the server",
			"user's space has been used up",
			"mailbox is full",
			"mailbox full",
			"storage quota",
			"insufficient storage",
		},
		ordered: [][]string{
			{"account is ", " quota"},
			{"disk", "quota"},
			{"enough ", " space"},
			{"mailbox ", "exceeded", " limit"},
			{"mailbox ", "full"},
			{"mailbox ", "quota"},
			{"maildir ", "quota"},
			{"over ", "quota"},
			{"quota ", "exceeded"},
		},
		// Amazon SES "454 Throttling failure: Daily message quota exceeded" is the
		// sender's own sending quota (toomanyconn), not a full mailbox.
		unless: []string{"throttling failure", "organization queue quota"},
	},
	{
		reason: ReasonMesgTooBig,
		labels: []string{
			// Spectrum
			`aup#[a-z]*-?1530\b`,
			// Orange / La Poste error labels: "LPN007_416", "OFR_416", "OFR005_505"
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?(?:514)\b`,
		},
		providers: []providerWords{
			{"mimecast", []string{"maximum email size exceeded"}},
			{"tencent", []string{"message too large"}},
		},
		decisive: []string{
			"exceeded google's message size limits",
			"exceeds google's message size limit of",
			"resolver.rst.recipsizelimit",
		},
		phrases: []string{
			"exceeded maximum inbound message size",
			"exceeded the maximum incoming message size",
			"line limit exceeded",
			"max message size exceeded",
			"message file too big",
			"message length exceeds administrative limit",
			"message size exceeds fixed limit",
			"message size exceeds fixed maximum message size",
			"message size exceeds maximum value",
			"message size exceeds",
			"message too big",
			"message too large for this ",
			"message is too large",
			"message is too big",
			"size limit",
			"taille limite du message atteinte",
			"mail size is too large",
		},
	},
	{
		reason: ReasonExceedLimit,
		providers: []providerWords{
			// Gmail / Google Workspace SMTP errors (support.google.com/a/answer/3726730, Sisimai Rhost::Google)
			{"google", []string{"exceeds google's limit of", "message header size limit", "bytes per individual header size", "exceeds google's header name limit"}},
		},
		labels: []string{
			// Exchange 2007 and later: NDR label "RESOLVER.ADR.RecipLimit", "QUEUE.Expired"
			`resolver\.rst\.recipsizelimit`,
		},
		decisive: []string{
			// qmail-ldap
			"the message exeeded the maximum size the user accepts",
		},
		phrases: []string{
			"message header size exceeds limit",
			"message too large",
		},
	},
	{
		reason: ReasonSuspend,
		labels: []string{
			// Orange / La Poste error labels: "LPN007_416", "OFR_416", "OFR005_505"
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?(?:420|426)\b`,
		},
		providers: []providerWords{
			{"gmx", []string{"user is inactive"}}, // GMX / WEB.DE: the account is no longer used
			// Exchange Server / Exchange Online NDR texts (Sisimai Rhost::Microsoft)
			{"microsoft", []string{"access denied, banned recipient"}},
			{"godaddy", []string{"account disabled"}},
			{"yahoo", []string{" is no longer valid."}},
			{"microsoft", []string{"access denied, banned recipient", "mailbox cannot be accessed"}},
		},
		decisive: []string{
			// au EZweb
			"the user(s) account is disabled.",
			"the user(s) account is temporarily limited.",
			// qmail-ldap
			"mailaddress is administrativ",
			// Gmail 5.2.1
			"email account that you tried to reach is disabled",
			"the email account that you tried to reach is inactive",
			// Tencent QQ
			"is a deactivated mailbox",
			// NetEase 163/126
			"user suspended",
			// Yahoo / AOL
			"this mailbox is disabled",
			// i.ua
			"mailbox is frozen",
		},
		phrases: []string{
			" is currently suspended",
			" temporary locked",
			"archived recipient",
			"boite du destinataire archivee",
			"has been suspended",
			"inactive account",
			"account is inactive",
			"account inactive",
			"account has been disabled",
			"account is disabled",
			"account disabled",
			"invalid/inactive user",
			"is unavailable: user is terminated",
			"mailbox currently suspended",
			"mailbox disabled",
			"mailbox unavailable or access denied",
			"recipient rejected: temporarily inactive",
			"recipient suspend the service",
			"this account has been disabled or discontinued",
			"this account has been temporarily suspended",
			"this address no longer accepts mail",
			"user or domain is disabled",
			"vdelivermail: account is locked email bounced",
			"disabled recipient address",
			"user account disabled",
			"account has been suspended",
		},
	},
	{
		reason: ReasonHasMoved,
		providers: []providerWords{
			{"apple", []string{"recipient no longer on server"}},
		},
		phrases: []string{
			" has been replaced by ",
			"mailbox has moved",
			"address has moved",
			"user has moved",
		},
	},
	{
		reason: ReasonNoRelaying,
		providers: []providerWords{
			// Exchange Online / Exchange Server NDR texts (learn.microsoft.com NDR reference, Sisimai Rhost::Microsoft)
			{"microsoft", []string{"5.7.1 client was not authenticated"}},
			{"apple", []string{"relay access denied"}},
			{"mimecast", []string{"open relay not allowed", "open relay is not allowed"}},
			{"messagelabs", []string{" as a relay, "}},
			{"google", []string{"is not authorized to send email directly to our servers"}},
		},
		decisive: []string{
			"mail relay denied",                      // Google Workspace SMTP relay
			"invalid credentials for relay",          // Google Workspace SMTP relay
			"tenantattribution; relay access denied", // Microsoft 5.7.64
		},
		phrases: []string{
			"as a relay",
			"email address is not verified.",
			"insecure mail relay",
			"is not permitted to relay through this server without authentication",
			"mail server requires authentication when attempting to send to a non-local e-mail address",
			"no relaying",
			"not a gateway",
			"not allowed to relay through this machine",
			"not an open relay, so get lost",
			"not local host",
			"relay access denied",
			"we do not relay", // IceWarp/Merak (testdata/reference/icewarp-merak-5xx.tsv)
			"relay denied",
			"relay not permitted",
			"relaying denied",
			"relaying mail to ",
			"relaying not allowed",
			"relay not allowed",
			"unable to relay",
			"specified domain is not allowed",
			"that domain isn't in my list of allowed rcpthost",
			"this system is not configured to relay mail",
			"we don't handle mail for",
		},
	},
	{
		reason: ReasonUserUnknown,
		labels: []string{
			// Exchange 2003: "MSEXCH:IMS:... (000C05A6) Unknown Recipient"
			`\((?:000c05a6)\)`,
			// Exchange / Microsoft 365 resolver codes (5.1.1, 5.1.10)
			`resolver\.adr\.(?:ex)?recip(?:ient)?notfound`,
			// Orange / La Poste error labels: "LPN007_416", "OFR_416"
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?(?:416)\b`,
		},
		providers: []providerWords{
			// GMX / WEB.DE / IONOS (postmaster.gmx.net error pages), NetEase, Yandex
			{"gmx", []string{"requested action not taken: mailbox unavailable"}},
			{"netease", []string{"user not found"}},
			{"yandex", []string{"no such user"}},
			// Exchange Server / Exchange Online NDR texts (Sisimai Rhost::Microsoft)
			{"microsoft", []string{"recipient addresses in single label domains not accepted", "invalid x.400 address", "recipient address reserved by rfc 2606"}},
			{"zoho", []string{"user does not exist"}},
			// Outlook.com (hotmail.com MX): its "mailbox unavailable" is a missing mailbox whatever the command
			{"outlook", []string{"requested action not taken: mailbox unavailable"}},
			{"cox", []string{"recipient rejected"}},
			{"godaddy", []string{"recipient not found", "account does not exist"}},
			{"apple", []string{"inactive email address", "user does not exist", "unknown or illegal alias"}},
			{"mimecast", []string{"invalid address", "user unknown", "invalid recipient"}},
			{"google", []string{"the email account that you tried to reach does not exist", "we weren't able to find the recipient domain", "is not a valid rfc 5321 address"}},
			{"yahoo", []string{"dd this user doesn't have a ", "mailbox not found"}},
			{"kddi", []string{">: user unknown"}},
			{"messagelabs", []string{"no such user", "invalid recipient", "mailbox is not allowed"}},
			{"tencent", []string{"mailbox not found"}},
			{"microsoft", []string{"storedrv.submit; invalid recipient address", "recipient address reserved by rfc 2606", "recipient address rejected: access denied"}},
		},
		decisive: []string{
			// Gmail "553 5.1.2 The recipient address <.@gmail.com> is not a valid RFC-5321 address":
			// the address itself is malformed, not its domain
			"is not a valid rfc-5321 address",
			// Domino in other languages, Notes in Japanese, IMail
			"no se encuentra en el directorio de domino",
			"non répertorié dans l'annuaire domino",
			"ディレクトリのリストにありません",
			"invalid final delivery userid",
			// Lotus Domino / Notes, Exchange 2003, Verizon MMS, Gmail as sender
			"not listed in domino directory",
			"not listed in public name & address book",
			"the recipient name is not recognized",
			"no valid recipients for this mm",
			"because the address couldn't be found",
			// qmail, qmail-ldap: "Sorry, no mailbox here by that name. (#5.1.1)"
			"no mailbox here by that name",
			// Microsoft 5.1.1 / 5.1.10
			"resolver.adr.recipnotfound",
			"resolver.adr.recipientnotfound",
			"recipient not found by smtp address lookup",
			// Facebook RCP-P1
			"rcp-p1 ",
		},
		phrases: []string{
			"#5.1.1 bad address",
			"550 address invalid",
			"5.1.0 address rejected.",
			"address does not exist",
			"address not present in directory",
			"address unknown",
			"can't accept user",
			"does not exist.",
			"destination addresses were unknown",
			"destination server rejected recipients",
			"email address does not exist",
			"email address could not be found",
			"inactive email address",
			"invalid address",
			"invalid mailbox",
			"invalid recipient",
			"is not a known user",
			"is not a valid mailbox",
			"is not an active address at this host",
			"mailbox does not exist",
			"mailbox invalid",
			"mailbox is inactive",
			"mailbox is unavailable",
			"mailbox not present",
			"mailbox not found",
			"mailbox unavailable",
			"nessun utente simile in questo indirizzo",
			"no account by that name here",
			"no existe dicha persona",
			"no existe ese usuario ",
			"no mail box available for this user",
			"no mailbox by that name is currently available",
			"no mailbox found",
			"no such address here",
			"no such mailbox",
			"no such person at this address",
			"no such recipient",
			"no such user",
			"no thank you rejected: account unavailable",
			"no valid recipients, bye",
			"not a valid recipient",
			"not a valid user here",
			"not a local address",
			"not email addresses",
			"recipient address rejected. (in reply to rcpt to command)",
			"recipient address rejected: access denied",
			"recipient address rejected: invalid user",
			"recipient address rejected: invalid-recipient",
			"recipient address rejected: unknown user",
			"recipient address rejected: userunknown",
			"recipient address rejected: user unknown",
			"recipient does not exist",
			"recipient is not accepted",
			"recipient is not local",
			"recipient not exist",
			"recipient not found",
			"recipient not ok",
			"recipient refuses to accept your mail",
			"recipient unknown",
			"requested action not taken: mailbox unavailable",
			"sorry, user unknown",
			"sorry, badrcptto",
			"sorry, no mailbox here by that name",
			"sorry, your envelope recipient has been denied",
			"that domain or user isn't in my list of allowed rcpthosts",
			"the following recipients was undeliverable",
			"the user's email name is not found",
			"there is no one at this address",
			"this address no longer accepts mail",
			"this email address is wrong or no longer valid",
			"this recipient is in my badrecipientto list",
			"this recipient is not in my validrcptto list",
			"this spectator does not exist",
			"unknown mailbox",
			"unknown recipient",
			"unknown user",
			"user does not exist",
			"user missing home directory",
			"user not active",
			"user not exist",
			"user not found",
			"user not known",
			"user unknown",
			"utilisateur inconnu",
			"destinataire invalide",
			"vdeliver: invalid or unknown virtual user",
			"weil die adresse nicht gefunden wurde oder keine e-mails empfangen kann",
			"your envelope recipient is in my badrcptto list",
			"recipient address rejected.",
			"no existe ese usuario", // Spanish-language servers
		},
		ordered: [][]string{
			{"<", "> not found"},
			{"mailbox ", "@", " unavailable"}, // "mailbox user@example.org unavailable"
			{"<", ">... blocked by "},
			{"account ", " does not exist at the organization"},
			{"bad", "recipient"},
			{"mailbox ", "does not exist"},
			{"mailbox ", "unavailable or access denied"},
			{"no ", " in name directory"},
			{"non", "existent user"},
			{"rcpt <", " does not exist"},
			{"rcpt (", "t exist "},
			{"recipient ", " was not found in"},
			{"recipient address rejected: user ", " does not exist"},
			{"recipient address rejected: user unknown in ", " table"},
			{"this user doesn't have a ", " account"},
			{"unknown e", "mail address"},
			{"unknown local", "part"},
			{"user ", " was not found"},
			{"user ", " does not exist"},
			{"user (", ") unknown"},
		},
		unless: []string{
			"sender address rejected",
			"sender ip address rejected",
		},
	},
	{
		reason: ReasonFiltered,
		labels: []string{
			// Exchange 2003: "MSEXCH:IMS:... (000C05A6) Unknown Recipient"
			`\((?:000c0595)\)`,
		},
		providers: []providerWords{
			{"kddi", []string{"550 : user unknown"}},
		},
		decisive: []string{
			// Domino
			"cannot route mail to user",
			"refused due to recipient preferences", // Facebook RCP-P2
			"has restricted sms e-mail",            // AT&T
		},
		phrases: []string{
			"account is protected by",
			"bounced address",
			"is not accepting any mail",
			"message filtered",
			"message rejected due to user rules",
			"not found recipient account",
			"recipient id refuse to receive mail",
			"recipient is only accepting mail from specific email addresses",
			"user not found",
			"user refuses to receive this mail",
			"user reject",
			"you have been blocked by the recipient",
		},
	},
	{
		reason: ReasonRequirePTR,
		providers: []providerWords{
			// Gmail / Google Workspace SMTP errors (support.google.com/a/answer/3726730, Sisimai Rhost::Google)
			{"google", []string{" have a ptr record, or the ptr record", "does not meet ipv6 sending guidelines regarding ptr records"}},
			{"cox", []string{"dns check failure - try again later", "rejected - no rdns"}},
		},
		labels: []string{
			// Spectrum, Cox, GoDaddy: reverse DNS of the sending IP
			`aup#[a-z]*-?(?:11[0-4]\d|1150)\b`,
			`aup#cxdns\b`,
			`\bib108\b`,
		},
		decisive: []string{
			// Gmail 5.7.25
			"the ip address sending this message does not have a ptr record setup",
			"the corresponding forward dns entry does not point to the sending ip",
			// Microsoft 5.7.25
			"must have a reverse dns record",
			// GMX / web.de / mail.com
			"bad dns ptr resource record",
		},
		phrases: []string{
			"cannot resolve your address", // the client's address has no name
			"access denied. ip name lookup failed",
			"all mail servers must have a ptr record with a valid reverse dns entry",
			"cannot find your hostname",
			"cannot resolve your address.",
			"client host rejected: cannot find your hostname",
			"fix reverse dns for ",
			"ips with missing ptr records",
			"no ptr record found.",
			"please get a custom reverse dns name from your isp for your host",
			"ptr record setup",
			"reverse dns failed",
			"reverse dns required",
			"reverse dns lookup failed",
			"no reverse dns",
			"sender ip reverse lookup rejected",
			"this system will not accept messages from servers/devices with no reverse dns",
			"unresolvable relay host name",
			"we do not accept mail from hosts with dynamic ip or generic dns ptr-records",
			"does not have a ptr record",
			"missing ptr record",
		},
		ordered: [][]string{
			{"domain ", " mismatches client ip"},
			{"dns lookup failure: ", " try again later"},
			{"reverse dns lookup for host ", " failed permanently"},
			{"server access ", " forbidden by invalid rdns record of your mail server"},
			{"service permits ", " unverifyable sending ips"},
		},
	},
	{
		reason: ReasonContentError,
		labels: []string{
			// Exchange 2003: "MSEXCH:IMS:... (000C05A6) Unknown Recipient"
			`\((?:00050311|000502cc)\)`,
		},
		providers: []providerWords{
			// Exchange Online / Exchange Server NDR texts (learn.microsoft.com NDR reference, Sisimai Rhost::Microsoft)
			{"microsoft", []string{"too many related errors", "agent generated message depth exceeded", "invalid message content"}},
			{"messagelabs", []string{"stray linefeeds in message"}},
		},
		decisive: []string{
			// Exim
			"too many \"received\" headers",
			"mime complexity exceeds the policy maximum",
		},
		phrases: []string{
			"duplicate header",
			"header size exceeds maximum permitted",
			"headers too large",
			"improper use of 8-bit data in message header",
			"message header size, or recipient list, exceeds policy limit",
			"message mime complexity exceeds the policy maximum",
			"routing loop detected -- too many received: headers",
			"this message contain invalid mime headers",
			"this message contain improperly-formatted binary content",
			"this message contain text that uses unnecessary base64 encoding",
			"invalid characters",
			"bare line feed",
		},
	},
	{
		reason: ReasonRejected,
		labels: []string{
			// Spectrum, Cox, GoDaddy: the sending account or sender domain is refused
			`aup#[a-z]*-?(?:10[1-7]\d|1080|1500|1520)\b`,
			`aup#cxsmtp\b`,
			`\bib506\b`,
			// Exchange 2007 and later: NDR label "RESOLVER.ADR.RecipLimit", "QUEUE.Expired"
			`resolver\.rst\.notauthorized`,
			// NetEase: sender not in the allowed list (WM:BLU)
			`\bwm:blu\b`,
			// Orange / La Poste error labels: "LPN007_416", "OFR_416", "OFR005_505"
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?(?:403|405|415|421)\b`,
		},
		providers: []providerWords{
			// Exchange Online / Exchange Server NDR texts (learn.microsoft.com NDR reference, Sisimai Rhost::Microsoft)
			{"microsoft", []string{"sender was not authenticated"}},
			{"zoho", []string{"email cannot be delivered. reason: email flagged as spam", "mail rejected by destination domain"}},
			{"cox", []string{"sender rejected"}},
			{"apple", []string{"sender address rejected"}},
			{"mimecast", []string{"administrative prohibition envelope blocked", "envelope blocked - user entry", "envelope blocked - user domain entry", "rejected by header-based manually blocked senders", "rejected by header-based blocked senders", "envelope rejected - block policy for envelope from address"}},
			// Yahoo TSS04 deferrals and TSS09/TSS11 sender blocks
			{"yahoo", []string{"temporarily deferred due to unexpected volume or user complaints", " will be permanently deferred", "due to unresolvable rfc.5321 domain", "due to unresolvable rfc.5321 from domain"}},
			{"messagelabs", []string{"sender envelope domain not allowed for sender ip address", "your domain has been blocked", "your email address has been blocked", "your envelope sender is in my badmailfrom list", "your domain has been blacklisted"}},
			{"tencent", []string{"suspected spam", "mail is rejected by recipients"}},
			{"google", []string{"mail sending denied", "unauthenticated email is not accepted"}},
			{"microsoft", []string{"sender denied", "access denied, bad outbound sender", "delivery not authorized", "sender was not authenticated by organization", "sender not in allowed-senders list", "sender not authenticated for group", "sender was not authenticated for mailbox", "access denied, spam abuse detected"}},
		},
		decisive: []string{
			// Google Groups, every language: the notice links its help pages
			"groups.google.com/support/",
			// Google Groups, fml: posting refused to a non-member
			"you may not have permission to post messages to the group",
			"you are not a member of this mailing list",
		},
		phrases: []string{
			"access denied (in reply to mail from command)",
			"access denied (sender blacklisted)",
			"address rejected",
			"administrative prohibition",
			"batv failed to verify",
			"batv validation failure",
			"backscatter protection detected an invalid or expired email address",
			"because the sender isn't on the recipient's list of senders to accept mail from",
			"bogus mail from",
			"can't determine purported responsible address",
			"connections not accepted from servers without a valid sender domain",
			"denied [bouncedeny]",
			"denied by secumail valid-address-filter",
			"delivery not authorized, message refused",
			"does not exist e2110",
			"domain of sender address ",
			"email address is on senderfilterconfig list",
			"emetteur invalide",
			"empty envelope senders not allowed",
			"envelope blocked - ",
			"error: no third-party dsns",
			"from: domain is invalid. please provide a valid from:",
			"fully qualified email address required",
			"invalid domain, see <url:",
			"invalid sender",
			"is not a registered gateway user",
			"mail from not owned by user",
			"message rejected: email address is not verified",
			"mx records for ",
			"null sender is not allowed",
			"recipient addresses rejected : access denied",
			"recipient not accepted. (batv: no tag",
			"returned mail not accepted here",
			"rfc 1035 violation: recursive cname records for",
			"rule imposed mailbox access for",
			"sending this from a different address or alias using the ",
			"sender address has been blacklisted",
			"sender email address rejected",
			"sender is in my black list",
			"sender is spammer",
			"sender not pre-approved",
			"sender rejected",
			"sender domain is empty",
			"sender verify failed",
			"sender was rejected",
			"spam reporting address",
			"syntax error: empty email address",
			"the message has been rejected by batv defense",
			"this server does not accept mail from",
			"transaction failed unsigned dsn for",
			"unroutable sender address",
			"you are not allowed to post to this mailing list",
			"you are sending to/from an address that has been blacklisted",
			"your access to submit messages to this e-mail system has been rejected",
			"your email address has been blacklisted",
			// Sisimai's sender-refusal families: IronPort/Mirapoint sender
			// checks ("BadSenderMX", "SenderNoA"), fml's non-member posts,
			// outbound suspensions, "this server does not accept mail from"
			"badsendermx",
			"sendernoa",
			"empty email address",
			"has an outgoing mail suspension",
			"not member article from ",
			"server does not accept mail from",
		},
		ordered: [][]string{
			{"reject mail from ", "@"}, // fml
			{"sender is ", " list"},    // "sender is on a block list", "sender is in my black list"
		},
		unless: []string{
			"5.1.0 address rejected",
			"recipient address rejected",
			"sender ip address rejected",
		},
		atMail: []string{"access denied"},
	},
	{
		reason: ReasonHostUnknown,
		providers: []providerWords{
			{"aol", []string{"host or domain name not found"}},
		},
		labels: []string{
			// Exchange 2007 and later: NDR label "RESOLVER.ADR.RecipLimit", "QUEUE.Expired"
			`smtpsend\.dns\.nonexistentdomain`,
		},
		decisive: []string{
			// Gmail as sender (older notices)
			"dns error: domain name not found",
			"dns error: dns server returned answer with no data",
			// qmail: "Sorry, I couldn't find any host named ..." (#5.1.2)
			"sorry, i couldn't find any host ",
			// Exim
			"all host address lookups failed permanently",
			"all relevant mx records point to non-existent hosts",
			// Gmail as sender: "** Domain not found **"
			"because the domain couldn't be found",
			// Outlook.com
			"the domain is not reachable",
			// DragonFly Mail Agent (dma net.c): "DNS lookup failure: host %s not found"
			"dns lookup failure: host ",
		},
		phrases: []string{
			"domain does not exist",
			"domain is not reachable",
			"domain must exist",
			"host or domain name not found",
			"host unknown",
			"host unreachable",
			"mail domain mentioned in email address is unknown",
			"name or service not known",
			"no such domain",
			"recipient address rejected: unknown domain name",
			"recipient domain must exist",
			"the account or domain may not exist",
			"unknown host",
			"unroutable address",
			"unrouteable address",
			"domain not found",
		},
		ordered: [][]string{{"553 ", " does not exist"}},
	},
	{
		reason: ReasonSpamDetected,
		labels: []string{
			// Cox, GoDaddy
			`aup#urlbl\d+\b`,
			`\bib212\b`,
			// NetEase: content looks like spam (DT:SPM)
			`\bdt:spm\b`,
			// Orange / La Poste error labels: "LPN007_416", "OFR_416", "OFR005_505"
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?(?:506)\b`,
		},
		providers: []providerWords{
			{"godaddy", []string{"message rejected for spam or virus content"}},
			{"messagelabs", []string{"message filtered", "filtered by outbound scanning"}},
			{"tencent", []string{"spam is embedded in the email"}},
			{"google", []string{"due to the nature of the content or the links within", "likely unsolicited mail"}},
			{"microsoft", []string{"content filter agent quarantined this message"}},
		},
		decisive: []string{
			// Yandex, Mail.ru
			"rejected under suspicion of spam",
			// Google Groups
			"was rejected due to spam classification",
			// Tencent QQ
			"mail content denied",
			// Mail.ru
			"spam message rejected.",
			// Gmail 5.7.1
			"our system has detected that this message is likely unsolicited mail",
			"has been blocked because it is likely spam",
		},
		phrases: []string{
			" - spam",
			"//www.spamhaus.org/help/help_spam_16.htm",
			"//dsbl.org/help/help_spam_16.htm",
			"//mail.163.com/help/help_spam_16.htm",
			"554 5.7.0 reject, id=",
			"appears to be unsolicited",
			"blacklisted url in message",
			"block for spam",
			"blocked by policy: no spam please",
			"blocked by spamassassin",
			"blocked for abuse. see http://att.net/blocks",
			"cannot be forwarded because it was detected as spam",
			"considered unsolicited bulk e-mail (spam) by our mail filters",
			"content filter rejection",
			"cyberoam anti spam engine has identified this email as a bulk email",
			"denied due to spam list",
			"high probability of spam",
			"is classified as spam and is rejected",
			"listed in work.drbl.imedia.ru",
			"the mail server detected your message as spam and has prevented delivery.",
			"mail appears to be unsolicited",
			"may consider spam",
			"message considered as spam or virus",
			"message contains spam or virus",
			"message content rejected",
			"message detected as spam",
			"message filtered",
			"message looks like spam",
			"message is being rejected as it seems to be a spam",
			"message refused by mailmarshal spamprofiler",
			"message refused by trustwave seg spamprofiler",
			"message rejected as spam",
			"message rejected because of unacceptable content",
			"message rejected due to suspected spam content",
			"message rejected for policy reasons",
			"message was rejected for possible spam/virus content",
			"our email server thinks this email is spam",
			"our system has detected that this message is ",
			"probable spam",
			"reject bulk.advertising",
			"rejected: spamassassin score ",
			"rejected - bulk email",
			"rejecting banned content",
			"rejecting mail content",
			"related to content with spam-like characteristics",
			"sender domain listed at ",
			"sending address not accepted due to spam filter",
			"spam blocked",
			"spam check",
			"spam content matched",
			"spam detected",
			"spam email",
			"spam not accepted",
			"spam refused",
			"spam rejection",
			"spam score ",
			"spambouncer identified spam",
			"spamming not allowed",
			"too many spam complaints",
			"too much spam.",
			"the email message was detected as spam",
			"the message has been rejected by spam filtering engine",
			"the message was rejected due to classification as bulk mail",
			"the content of this message looked like spam",
			"this message appears to be spam",
			"this message has been identified as spam",
			"this message has been scored as spam with a probability",
			"this message was classified as spam",
			"this message was rejected by recurrent pattern detection system",
			"transaction failed spam message not queued",
			"we dont accept spam",
			"your email appears similar to spam we have received before",
			"your email breaches local uribl policy",
			"your email had spam-like ",
			"your email is considered spam",
			"your email is probably spam",
			"your email was detected as spam",
			"your message as spam and has prevented delivery",
			"your message has been temporarily blocked by our filter",
			"your message has been rejected because it appears to be spam",
			"your message has triggered a spam block",
			"your message may contain the spam contents",
			"your message failed several antispam checks",
			"ube, id=",
		},
		ordered: [][]string{
			{"greylisted", " please try again in"},
			{"mail score (", " over "},
			{"mail rejete. mail rejected. ", "506"},
			{"our filters rate at and above ", " percent probability of being spam"},
			{"rejected by ", " (spam)"},
			{"rejected due to spam ", "classification"},
			{"rejected due to spam ", "content"},
			{"rule imposed as ", " is blacklisted on"},
			{"spam ", " exceeded"},
			{"this message scored ", " spam points"},
		},
	},
	{
		reason: ReasonVirusDetected,
		providers: []providerWords{
			{"zoho", []string{" detected by zoho mail"}},
		},
		labels: []string{
			// GoDaddy
			`\bib705\b`,
		},
		decisive: []string{
			// IMail
			"requested action not taken: virus detected",
			"mcspamsignature", // Mimecast
		},
		phrases: []string{
			"it has a potentially executable attachment",
			"the message was rejected because it contains prohibited virus or spam content",
			"this form of attachment has been used by recent viruses or other malware",
			"virus detected",
			"virus found",
			"infected with a virus",
			"contains a virus",
			"virus phishing/malicious_url detected",
			"your message was infected with a virus",
		},
	},
	{
		reason: ReasonPolicyViolation,
		labels: []string{
			// Spectrum
			`aup#[a-z]*-?(?:11[6-8]\d|1190|1560)\b`,
			// Orange / La Poste error labels: "LPN007_416", "OFR_416", "OFR005_505"
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?(?:630)\b`,
		},
		providers: []providerWords{
			{"gmx", []string{"reject due to policy restrictions"}}, // GMX / WEB.DE / IONOS policy codes
			{"zoho", []string{"email policy violation detected", "mailbox delivery restricted by policy error"}},
			{"cox", []string{"esmtp no data before greeting", "attachment extension is forbidden"}},
			{"apple", []string{"due to local policy"}},
			{"mimecast", []string{"anti-spoofing policy - inbound not allowed", "rejected by header-based anti-spoofing policy", "message bounced due to content examination policy", "host network not allowed", "host network, not allowed"}},
			{"google", []string{"has a policy that prohibited", "sending messages with the same message-id"}},
			{"microsoft", []string{"x-dg-ref header is too long", "policy violation detected (as345)"}},
		},
		decisive: []string{
			// Yahoo PH01 / 5.7.9
			"not accepted for policy reasons",
			// Mimecast
			"email rejected due to security policies",
			// Zoho "554 5.2.3 MailPolicy violation Error delivering to mailboxes"
			"mailpolicy violation",
		},
		phrases: []string{
			"an illegal attachment on your message",
			"because the recipient is not accepting mail with ",
			"by non-member to a members-only list",
			"closed mailing list",
			"denied by policy",
			"email not accepted for policy reasons",
			"header are not accepted",
			"header error",
			"local policy violation",
			"message bounced due to organizational settings",
			"message given low priority",
			"message not accepted for policy reasons",
			"message rejected due to local policy",
			"messages with multiple addresses",
			"rejected for policy reasons",
			"protocol violation",
			"the email address used to send your message is not subscribed to this group",
			"the message was rejected by organization policy",
			"this message was blocked because its content presents a potential",
			"we do not accept messages containing images or other attachments",
			"you're using a mass mailer",
		},
		ordered: [][]string{{"you have exceeded the", "allowable number of posts without solving a captcha"}},
	},
	{
		reason: ReasonSystemError,
		labels: []string{
			// Spectrum
			`aup#[a-z]*-?1090\b`,
			// Exchange 2003: "MSEXCH:IMS:... (000C05A6) Unknown Recipient"
			`\((?:00010256|000d06b5)\)`,
			// Exchange 2007 and later: NDR label "RESOLVER.ADR.RecipLimit", "QUEUE.Expired"
			`resolver\.adr\.(?:badprimary|invalidinsmtp|ambiguous)`,
			// Orange / La Poste error labels: "LPN007_416", "OFR_416", "OFR005_505"
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?(?:505)\b`,
		},
		providers: []providerWords{
			// Exchange Server / Exchange Online NDR texts (Sisimai Rhost::Microsoft)
			{"microsoft", []string{"4.3.2 service not available", "4.3.2 service not active", "helo / ehlo requires domain address", "destination mailbox address ambiguous", "mailing list expansion problem", "misconfigured forwarding address"}},
			{"zoho", []string{"temporary system error"}},
			{"cox", []string{"esmtp server temporarily not available"}},
			{"godaddy", []string{"message is looping"}},
			{"mimecast", []string{"unable to process connection at this time", "message ended early", "unable to process command", "unable to process an email at this time"}},
			{"cloudflare", []string{"upstream error"}},
			{"google", []string{"temporary system problem", "server busy", "multiple destination domains per transaction is unsupported", "mail server has temporarily rejected this message", "mail server temporarily rejected message", "domain policy size per transaction exceeded"}},
			{"microsoft", []string{"message failed to be replicated:", "pfa agent busy", "server busy. please try again later from", "(suspiciousremoteservererror)", "system incorrectly configured", "misconfigured forwarding address", "when journaling archive is disabled"}},
		},
		decisive: []string{
			// Domino, Courier
			"several matches found in domino directory",
			"this domain's dns violates rfc 1035",
			// qmail-ldap, Exim, fml
			"unable to contact ldap server",
			"temporary failure in ldap lookup",
			"timeout while performing search on ldap server",
			"unable to login into ldap server",
			"automatic homedir creator crashed",
			"illegal value in ldap attribute",
			"delivery to file forbidden",
			"delivery to pipe forbidden",
			"local delivery failed",
			"duplicated message-id",
		},
		phrases: []string{
			"aliasing/forwarding loop broken",
			"can't create user output file",
			"could not load drd for domain",
			"internal error reading data",
			"internal server error: operation now in progress",
			"interrupted system call",
			"it encountered an error while being processed",
			"it would create a mail loop",
			"local configuration error",
			"local error in processing",
			"loop was found in the mail exchanger",
			"loops back to myself",
			"mail system configuration error",
			"queue file write error",
			"recipient deferred because there is no mdb",
			"remote server is misconfigured",
			"server configuration error",
			"service currently unavailable",
			"system config error",
			"temporary local problem",
			"timeout waiting for input",
			"transaction failed ",
			"internal system error",
		},
		ordered: [][]string{{"unable to connect ", "daemon"}},
	},
	{
		reason: ReasonNetworkError,
		labels: []string{
			// Spectrum: IPv6 not accepted
			`aup#[a-z]*-?1260\b`,
			// Exchange 2003: "MSEXCH:IMS:... (000C05A6) Unknown Recipient"
			`\((?:00120270)\)`,
			// Exchange 2007 and later: NDR label "RESOLVER.ADR.RecipLimit", "QUEUE.Expired"
			`smtpsend\.dns\.mxloopback`,
		},
		providers: []providerWords{
			// Exchange Online / Exchange Server NDR texts (learn.microsoft.com NDR reference, Sisimai Rhost::Microsoft)
			{"microsoft", []string{"4.4.316 connection refused", "5.4.4 invalid arguments"}},
			{"mimecast", []string{"the incorrect hostname used for inbounds", "mail loop detected"}},
			{"microsoft", []string{"dns query failed"}},
		},
		decisive: []string{
			// Notes, Courier, OpenSMTPD
			"message has exceeded maximum hop count",
			"dns lookup failed.",
			"address family mismatch on destination mxs",
			"all routes to destination blocked",
			"bad dns lookup error code",
			"could not retrieve source address",
			"no valid route to remote mx",
			"no valid route to destination",
			"temporary failure in mx lookup",
			// qmail
			"sorry, i wasn't able to establish an smtp connection",
			"although i'm listed as a best-preference mx or a for that host",
			// OpenSMTPD
			"network error on destination mxs",
			"message exceeded 50 hops", // Gmail mail loop
		},
		phrases: []string{
			"could not connect and send the mail to",
			"dns records for the destination computer could not be found",
			"hop count exceeded - possible mail loop",
			"host is unreachable",
			"host name lookup failure",
			"host not found, try again",
			"mail forwarding loop for ",
			"malformed name server reply",
			"malformed or unexpected name server reply",
			"maximum forwarding loop count exceeded",
			"message looping",
			"message probably in a routing loop",
			"no route to host",
			"too many hops",
			"unable to resolve route ",
			"unrouteable mail domain",
			"routing loop detected",
			"dns error:",
			"dns resolution failed",
			"dns lookup failed",
			"dns query failed",
		},
	},
	{
		reason: ReasonSystemFull,
		decisive: []string{
			// qmail
			"requested action not taken: mailbox unavailable (not enough free space)",
		},
		phrases: []string{
			"mail system full",
			"organization queue quota exceeded", // Exchange Online 450 4.7.3: the recipient organisation's queue is full
			"requested mail action aborted: exceeded storage allocation",
		},
	},
	{
		reason: ReasonNotAccept,
		providers: []providerWords{
			{"aol", []string{"type=mx: malformed or unexpected name server reply"}},
			{"apple", []string{"host/domain does not accept mail"}},
			{"mimecast", []string{"account inbounds disabled"}},
			{"microsoft", []string{"hosted tenant which has no mail-enabled subscriptions", "missing or bad storedriver mdb properties"}},
		},
		decisive: []string{
			// OpenSMTPD
			"destination seem to reject all mails",
			"no mx found for domain",
			"no mx found for destination",
			// qmail (notqmail) on a Null MX domain, Exim "no SMTP service"
			"sorry, i couldn't find a mail exchanger or ip address",
			"an mx or srv record indicated no smtp service",
			"no host found for existing smtp connection",
			// Gmail on a Null MX (RFC 7505) domain
			"doesn't receive email according to the administrator: returned null mx",
		},
		phrases: []string{
			"does not accept mail (nullmx)",
			"host/domain does not accept mail",
			"host does not accept mail",
			"mail receiving disabled",
			"name server: .: host not found",
			"no mx record found for domain=",
			"no route for current request",
			"smtp protocol returned a permanent error",
			"null mx",
		},
	},
	{
		reason: ReasonExpired,
		providers: []providerWords{
			{"godaddy", []string{"has been in the queue too long", "delivery timeout"}},
			{"mimecast", []string{"journal messages past the expiration"}},
		},
		labels: []string{
			// Exchange 2007 and later: NDR label "RESOLVER.ADR.RecipLimit", "QUEUE.Expired"
			`\bqueue\.expired\b`,
		},
		decisive: []string{
			// au EZweb, Gmail as sender
			"your message was not delivered within ",
			"did not accept our requests to connect",
			"dns error: could not contact dns servers",
			"delivery to the following recipient has been delayed",
			// OpenSMTPD, Exim, Zoho
			"envelope expired",
			"retry timeout exceeded",
			"all hosts have been failing for a long time",
			"retry time not reached for any host after a long failure period",
			"was frozen on arrival by ",
			"host not reachable",
			"queue.expired; message expired", // Exchange 4.4.7
			"timeout - closing connection",   // Gmail 4.4.2
			"connection expired, try reconnecting",
			// DragonFly Mail Agent (dma.c): "Could not deliver for the last %d seconds. Giving up."
			"could not deliver for the last ",
		},
		phrases: []string{
			// Greylisting: the retries ran out before the greylist let the mail in
			"greylisted",
			"greylisting",
			"grey-listed",
			"graylisted",
			"connection timed out",
			"could not find a gateway for",
			"delivery attempts will continue to be",
			"delivery expired",
			"delivery time expired",
			"failed to deliver to domain ",
			"giving up on",
			"have been failing for a long time",
			"has been delayed",
			"it has not been collected after",
			"message expired",
			"message timed out",
			"retry time not reached for any host after a long failure period",
			"retry timeout exceeded",
			"server did not respond",
			"this message has been in the queue too long",
			"unable to deliver message after multiple retries",
			"was not reachable within the allowed queue period",
			"your message could not be delivered for more than",
			"did not accept our requests to connect",
		},
		ordered: [][]string{{"could not be delivered for", " days"}},
	},
	{
		reason: ReasonFailedSTARTTLS,
		providers: []providerWords{
			// Gmail / Google Workspace SMTP errors (support.google.com/a/answer/3726730, Sisimai Rhost::Google)
			{"google", []string{"starttls may not be repeated"}},
			{"mimecast", []string{"this route requires encryption (tls)", "this route requires tls version 1.2 or greater", "this route requires high-strength ciphers", "configuration is invalid for this certificate"}},
			{"messagelabs", []string{"tls/sslv3 connection required"}},
		},
		decisive: []string{
			"ssl routines",                        // OpenSSL errors quoted by Postfix and Exim
			"tls handshake failed",                // a TLS session that could not be set up
			"must issue a starttls command first", // Gmail 5.7.0
			"tls required for rcpt domain",        // Gmail 4.7.0
			"senders to use tls/ssl for smtp",     // Gmail 4.7.29
			"starttls-not-supported:",             // Microsoft 4.7.321
			"certificate-expired:",                // Microsoft 5.7.322
			"failed mta-sts validation",           // Microsoft 4.4.8
		},
		phrases: []string{
			"starttls is required to send mail",
			"tls required but not supported",
			"must issue a starttls command",
			"encryption required",
			"tls is required",
			"requires tls",
			"tls required",
		},
	},
	{
		reason: ReasonSecurityError,
		labels: []string{
			// Cox, GoDaddy
			`aup#(?:cxthrt|cxmj)\b`,
			`\bib401\b`,
			// Exchange 2003: "MSEXCH:IMS:... (000C05A6) Unknown Recipient"
			`\((?:000b0981)\)`,
			// Exchange 2007 and later: NDR label "RESOLVER.ADR.RecipLimit", "QUEUE.Expired"
			`resolver\.rst\.authrequired`,
			// Orange / La Poste error labels: "LPN007_416", "OFR_416", "OFR005_505"
			`\b(?:lpn|ofr|ouk)[a-z]*\d*_?(?:305|402)\b`,
		},
		providers: []providerWords{
			// Exchange Server / Exchange Online NDR texts (Sisimai Rhost::Microsoft)
			{"microsoft", []string{"cannot achieve exchange server authentication", "client was not authenticated to send anonymous mail"}},
			{"mimecast", []string{"incorrect authentication data", "submitter failed to authenticate"}},
			{"google", []string{"too many login attempts", "no identity changes permitted", "application-specific password required", "please log in with your web browser", "please log in through your web browser", "username and password not accepted"}},
			{"microsoft", []string{"cannot achieve exchange server authentication", "client was not authenticated to send anonymous mail"}},
		},
		decisive: []string{
			// OpenSMTPD
			"could not retrieve credentials",
			"please turn on smtp authentication in your mail client", // MessageLabs
		},
		phrases: []string{
			"account not subscribed to ses",
			"authentication credentials invalid",
			"authentication failure",
			"authentication required",
			"authentication turned on in your email client",
			"executable files are not allowed in compressed files",
			"insecure mail relay",
			"recipient address rejected: access denied",
			"sorry, you don't authenticate or the domain isn't in my list of allowed rcpthosts",
			"unauthenticated senders not allowed",
			"verification failure",
			"you are not authorized to send mail, authentication is required",
			"sender was not authenticated",
			"client was not authenticated",
		},
		ordered: [][]string{
			{"authentication failed; server ", " said: "},
			{"authentification invalide", "305"},
			{"authentification requise", "402"},
			{"domain ", " is a dead domain"},
			{"user ", " is not authorized to perform ses:sendrawemail on resource"},
		},
	},
	{
		reason: ReasonSuppressed,
		decisive: []string{
			// Amazon SES suppression lists
			"has suppressed sending to this address",
		},
		phrases: []string{
			"address is on the suppression list",
			"on the account-level suppression list",
			"recipient is on the suppression list",
		},
	},
	{
		reason: ReasonSyntaxError,
		decisive: []string{
			// Exim address parser
			"angle-brackets nested too deep",
			"domain missing in source-routed address",
		},
		providers: []providerWords{
			// Gmail / Google Workspace SMTP errors (support.google.com/a/answer/3726730, Sisimai Rhost::Google)
			{"google", []string{"optional argument not permitted", "unrecognized authentication type"}},
			// Exchange Server / Exchange Online NDR texts (Sisimai Rhost::Microsoft)
			{"microsoft", []string{"5.3.3 unrecognized command"}},
			{"tencent", []string{"bad address syntax"}},
			{"yahoo", []string{"syntax error in parameters or arguments"}},
			{"google", []string{"smtp protocol violation", "bad sequence of commands", "unrecognized command", "unimplemented command", "too many unauthenticated commands"}},
			{"microsoft", []string{"send hello first"}},
		},
	},
	{
		reason: ReasonMailerError,
		phrases: []string{
			" || exit ",
			"procmail: ",
			"bin/procmail",
			"bin/maidrop",
			"command failed: ",
			"command died with status ",
			"command output:",
			"mailer error",
			"pipe to |/",
			"x-unix; ",
		},
	},
	{
		reason: ReasonVacation,
		phrases: []string{
			"i am away on vacation",
			"i am away until",
			"i am out of the office",
			"i will be traveling for work on",
			"out of office",
			"auto-reply",
			"autoreply",
		},
	},
}

// providerWords is a provider's own wording for one reason.
type providerWords struct {
	provider string // key of providerHosts
	phrases  []string
}

// providerHosts names, per provider, the host names its mail servers use.
// A provider's wording counts when the remote MTA's name ends with one of
// them, or when one of them ends with the recipient's domain (so that mail
// to icloud.com counts for ".mail.icloud.com"). These are the host classes
// Sisimai uses to pick its per-provider tables.
var providerHosts = map[string][]string{
	"aol":         {".mail.aol.com", ".mx.aol.com"},
	"cloudflare":  {".mx.cloudflare.net"},
	"apple":       {".mail.icloud.com", ".apple.com", ".me.com"},
	"cox":         {"cox.net"},
	"docomo":      {".docomo.ne.jp"},
	"facebook":    {".facebook.com"},
	"godaddy":     {"smtp.secureserver.net", "mailstore1.secureserver.net"},
	"google":      {"aspmx.l.google.com", "gmail-smtp-in.l.google.com", "googlemail.com"},
	"iua":         {".email.ua"},
	"kddi":        {".ezweb.ne.jp", "msmx.au.com"},
	"messagelabs": {".messagelabs.com"},
	"microsoft":   {".prod.outlook.com", ".protection.outlook.com", ".office365.com", ".onmicrosoft.com", ".exchangelabs.com", ".hotmail.com"},
	"mimecast":    {".mimecast.com"},
	"orange":      {".laposte.net", ".orange.fr", ".wanadoo.fr"},
	"gmx":         {".gmx.net", ".gmx.de", ".gmx.com", ".web.de", ".kundenserver.de", ".ionos.com", ".ionos.de", ".1and1.com"},
	"netease":     {".163.com", ".126.com", ".yeah.net", ".netease.com"},
	"yandex":      {".yandex.ru", ".yandex.net", ".yandex.com"},
	"outlook":     {".hotmail.com"},
	"spectrum":    {"charter.net"},
	"tencent":     {".qq.com"},
	"yahoo":       {".yahoodns.net"},
	"zoho":        {".zoho.com", ".zoho.eu", ".zohomail.com"},
}

// matcher is the compiled form of one reasonRule: its phrases as needle
// ids of the table's literal index (reasonTable), its regexps with the ids
// of their required literals.
type matcher struct {
	reason    string
	labels    []gatedRE
	providers []providerIDs
	decisive  []int32
	phrases   []int32
	ordered   []orderedIDs
	regexps   []gatedRE
	unless    []int32
	atMail    []int32
}

// gatedRE is a regexp that can match only where one of its required
// literals (need) occurs; nil need: no such literal, always run.
type gatedRE struct {
	re   *lazyre.Regexp
	need []int32
}

// providerIDs is providerWords with its phrases as needle ids.
type providerIDs struct {
	provider string
	phrases  []int32
}

// orderedIDs is one ordered group: its fragments and their needle ids.
type orderedIDs struct {
	frags []string
	ids   []int32
}

// compiledTable is reasonPatterns compiled: the matchers keyed by reason,
// in table order (in which labels, provider wording and decisive phrases
// are tried), and one literal index over every phrase of the table and
// every required literal of its regexps, so that one pass over a text
// answers all the phrase tests of a classification.
type compiledTable struct {
	byReason map[string]*matcher
	order    []*matcher
	index    *literal.Index
	commands []int32 // commandWords, in order
}

// reasonTable compiles reasonPatterns on first use (not at program start).
var reasonTable = sync.OnceValue(func() *compiledTable {
	b := literal.NewBuilder()
	t := &compiledTable{byReason: map[string]*matcher{}}
	for _, r := range reasonPatterns {
		m := &matcher{
			reason:   r.reason,
			labels:   gateAll(b, r.labels),
			decisive: addLower(b, r.decisive),
			phrases:  addLower(b, r.phrases),
			regexps:  gateAll(b, r.regexps),
			unless:   addLower(b, r.unless),
			atMail:   addLower(b, r.atMail),
		}
		for _, pw := range r.providers {
			m.providers = append(m.providers, providerIDs{pw.provider, addLower(b, pw.phrases)})
		}
		for _, seq := range r.ordered {
			m.ordered = append(m.ordered, orderedIDs{seq, addLower(b, seq)})
		}
		t.byReason[r.reason] = m
		t.order = append(t.order, m)
	}
	for _, cw := range commandWords {
		t.commands = append(t.commands, b.Add(cw.words))
	}
	t.index = b.Build()
	return t
})

// addLower adds the lower-cased phrases to b and returns their ids.
func addLower(b *literal.Builder, phrases []string) []int32 {
	ids := make([]int32, len(phrases))
	for i, p := range phrases {
		ids[i] = b.Add(strings.ToLower(p))
	}
	return ids
}

// gateAll compiles patterns (on first use) and adds their required
// literals to b. The texts they run on are lower case, so a literal
// compared with ASCII case folding (literal.RequiredFolded) is found as is.
func gateAll(b *literal.Builder, patterns []string) []gatedRE {
	out := make([]gatedRE, len(patterns))
	for i, p := range patterns {
		out[i].re = lazyre.New(p)
		for _, l := range literal.RequiredFolded(p) {
			out[i].need = append(out[i].need, b.Add(l))
		}
	}
	return out
}

// phrases is a normalised diagnostic text with the set of the reason
// table's needles it holds.
type phrases struct {
	text  string
	found literal.Set
}

// scanPhrases scans the normalised text once for every needle of the table.
func scanPhrases(text string) phrases {
	if text == "" {
		return phrases{}
	}
	return phrases{text, reasonTable().index.Scan(text)}
}

// any reports whether one of the needles ids occurs in the text.
func (p phrases) any(ids []int32) bool { return p.found != nil && p.found.Any(ids) }

// match runs g on the text when its literals occur.
func (p phrases) match(g gatedRE) bool {
	if g.need != nil && !p.any(g.need) {
		return false
	}
	return g.re.MatchString(p.text)
}

// matches reports whether the normalised text carries one of the generic or
// decisive phrases of reason, and none of its vetoes.
func (p phrases) matches(reason string) bool {
	m := reasonTable().byReason[reason]
	if m == nil || p.text == "" {
		return false
	}
	if p.any(m.unless) {
		return false
	}
	if p.any(m.phrases) || p.any(m.decisive) {
		return true
	}
	for _, seq := range m.ordered {
		if p.found.All(seq.ids) && inOrder(p.text, seq.frags) {
			return true
		}
	}
	for _, g := range m.regexps {
		if p.match(g) {
			return true
		}
	}
	return false
}

// matchesAtMail reports whether the text carries wording that names reason
// when the MAIL command failed.
func (p phrases) matchesAtMail(reason string) bool {
	m := reasonTable().byReason[reason]
	return m != nil && p.text != "" && p.any(m.atMail) && !p.any(m.unless)
}

// labelReason returns the reason an error label in the text names, or "".
func (p phrases) labelReason() string {
	for _, m := range reasonTable().order {
		for _, g := range m.labels {
			if p.match(g) {
				return m.reason
			}
		}
	}
	return ""
}

// providerReason returns the reason a provider's own wording names, for the
// providers the hosts belong to, or "".
func (p phrases) providerReason(hosts hostFacts) string {
	for _, m := range reasonTable().order {
		for _, pw := range m.providers {
			if p.any(pw.phrases) && hosts.belongTo(pw.provider) {
				return m.reason
			}
		}
	}
	return ""
}

// decisiveReason returns the reason whose decisive phrase the text carries,
// trying the rows in table order, or "".
func (p phrases) decisiveReason() string {
	for _, m := range reasonTable().order {
		if p.any(m.decisive) {
			return m.reason
		}
	}
	return ""
}

// commandInText returns the command the normalised text names
// (commandWords, first in order), or "".
func (p phrases) commandInText() string {
	for i, id := range reasonTable().commands {
		if p.found != nil && p.found.Has(id) {
			return commandWords[i].command
		}
	}
	return ""
}

// hostFacts are the host names a recipient's mail went to.
type hostFacts struct {
	remote string // remote MTA host name, lower case
	domain string // recipient's domain, lower case
}

// newHostFacts takes the host name out of a Remote-MTA value ("dns;
// mx.example.jp. (192.0.2.1)") and the domain out of a recipient address.
func newHostFacts(remoteMTA, recipient string) hostFacts {
	var h hostFacts
	r := strings.ToLower(strings.TrimSpace(remoteMTA))
	if i := strings.IndexByte(r, ';'); i >= 0 {
		r = strings.TrimSpace(r[i+1:])
	}
	if f := strings.Fields(r); len(f) > 0 {
		h.remote = strings.Trim(f[0], "[]<>.")
	}
	rc := strings.ToLower(strings.TrimSpace(recipient))
	if i := strings.LastIndexByte(rc, '@'); i >= 0 && i+1 < len(rc) {
		h.domain = strings.Trim(rc[i+1:], "<>. ")
	}
	return h
}

// belongTo reports whether the hosts are the provider's.
func (h hostFacts) belongTo(provider string) bool {
	for _, p := range providerHosts[provider] {
		if h.remote != "" && strings.HasSuffix(h.remote, p) {
			return true
		}
		if h.domain != "" && strings.HasSuffix(p, h.domain) && (len(p) == len(h.domain) || p[len(p)-len(h.domain)-1] == '.') {
			return true
		}
	}
	return false
}

func containsAny(text string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(text, p) {
			return true
		}
	}
	return false
}

// inOrder reports whether every fragment of seq occurs in text, each after
// the end of the one before.
func inOrder(text string, seq []string) bool {
	for _, frag := range seq {
		i := strings.Index(text, frag)
		if i < 0 {
			return false
		}
		text = text[i+len(frag):]
	}
	return len(seq) > 0
}
