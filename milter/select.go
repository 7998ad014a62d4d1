package milter

import (
	"mime"
	"net/mail"
	"strings"

	"github.com/bouncenote/bouncenote/entity"
)

// pickReason says why a message was picked for annotation. Every other
// message is accepted at end-of-header without its body being sent to us.
type pickReason string

const (
	pickNullSender  pickReason = "empty envelope sender" // MAIL FROM:<>, RFC 5321 §4.5.5
	pickReportType  pickReason = "report content type"   // multipart/report, RFC 6522
	pickDaemonFrom  pickReason = "from mailer-daemon"    // From MAILER-DAEMON or postmaster
	pickBounceTitle pickReason = "bounce subject"        // a usual bounce subject
)

// reportTypes are top-level Content-Types that carry a report.
var reportTypes = []string{
	"multipart/report",        // RFC 6522
	"message/delivery-status", // RFC 3464, seen bare from broken MTAs
}

// daemonLocals are local parts of the addresses mail systems send bounces
// from (RFC 5321 §4.5.5 postmaster, the Sendmail convention MAILER-DAEMON).
var daemonLocals = []string{"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}

// daemonNames are display names mail systems put on bounces.
var daemonNames = []string{"mail delivery system", "mail delivery subsystem", "mailer-daemon", "mail administrator"}

// bounceSubjects are lower-case pieces of the subjects of common bounce
// families (Postfix, Sendmail, Exim, Exchange, Gmail, qmail, Domino, ...).
var bounceSubjects = []string{
	"undeliver",                    // Undelivered Mail Returned to Sender, Undeliverable:
	"delivery status notification", // Sendmail, Gmail
	"delivery failure",             // Delivery Failure, Delivery failure notification
	"delivery failed",              // Mail delivery failed
	"delivery has failed",          // Exchange
	"delivery notification",        // Delivery Notification: Delivery has failed
	"failure notice",               // qmail
	"returned mail",                // Sendmail
	"returned to sender",           // Postfix
	"non-deliver", "nondeliver",    // Non-delivery report
	"could not be delivered",         // many
	"delayed mail", "delivery delay", // Postfix and Exchange delay warnings
	"warning: could not send", // Sendmail delay warning
	"mail system error",       // Mail System Error - Returned Mail
	"unzustellbar", "non remis", "non recapitabile", "no entregado", "no se puede entregar",
	"退信", "未能送达", "无法投递", "系统退信",
	"メールエラー", "配信エラー", "エラー通知", // Japanese carriers
}

// pickHeader says why header field name: value makes the message a bounce
// candidate, or "" when it does not.
func pickHeader(name, value string) pickReason {
	switch strings.ToLower(name) {
	case "content-type":
		return pickContentType(value)
	case "from":
		return pickFrom(value)
	case "subject":
		return pickSubject(value)
	}
	return ""
}

func pickContentType(value string) pickReason {
	mt, _, err := mime.ParseMediaType(value)
	if err != nil {
		// QUIRK: broken parameters are common in bounces; the type alone decides.
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(value, ";", 2)[0]))
	}
	for _, t := range reportTypes {
		if mt == t {
			return pickReportType
		}
	}
	return ""
}

func pickFrom(value string) pickReason {
	v := decodeWords(value)
	if strings.TrimSpace(v) == "<>" { // the null reverse-path, RFC 5321 §4.5.5
		return pickDaemonFrom
	}
	if addr, err := mail.ParseAddress(v); err == nil {
		local, _, _ := strings.Cut(addr.Address, "@")
		if equalFold(daemonLocals, local) || equalFold(daemonNames, addr.Name) {
			return pickDaemonFrom
		}
		return ""
	}
	// QUIRK: unparsable From fields ("MAILER-DAEMON (Mail Delivery System)")
	// are common on bounces; look for the names anywhere.
	lv := strings.ToLower(v)
	for _, s := range append(daemonLocals[:len(daemonLocals):len(daemonLocals)], daemonNames...) {
		if strings.Contains(lv, s) {
			return pickDaemonFrom
		}
	}
	return ""
}

func pickSubject(value string) pickReason {
	lv := strings.ToLower(decodeWords(value))
	for _, s := range bounceSubjects {
		if strings.Contains(lv, s) {
			return pickBounceTitle
		}
	}
	return ""
}

// decodeWords decodes RFC 2047 encoded words and raw 8-bit text with the
// one header decoder, entity's.
func decodeWords(s string) string { return entity.DecodeValue(s) }

// equalFold reports whether list holds s, ignoring case and outer space.
func equalFold(list []string, s string) bool {
	ls := strings.ToLower(strings.TrimSpace(s))
	for _, item := range list {
		if ls == item {
			return true
		}
	}
	return false
}
