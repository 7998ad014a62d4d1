package dsn

// STUB: replaced by the reason classifier (one table of text patterns per reason).

// Classify returns the Sisimai reason name for one failed or delayed delivery,
// from its enhanced status code ("5.1.1"), SMTP reply code ("550"), the SMTP
// command that failed ("RCPT") and the diagnostic text.
func Classify(status, replyCode, command, text string) string {
	switch {
	case status == "":
		return "undefined"
	case status[0] == '2':
		return "delivered"
	}
	return "undefined"
}

// IsHardBounce reports whether a failure with this reason and codes is
// permanent in the Sisimai sense: userunknown, hostunknown, hasmoved, and
// notaccept with a 5xx code.
func IsHardBounce(reason, status, replyCode string) bool {
	switch reason {
	case "userunknown", "hostunknown", "hasmoved":
		return true
	case "notaccept":
		return (status != "" && status[0] == '5') || (replyCode != "" && replyCode[0] == '5')
	}
	return false
}
