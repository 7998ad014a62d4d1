package formats

import "testing"

func TestSendmailSamples(t *testing.T) {
	checkFamily(t, "sendmail", []string{"sendmail"}, 0.8)
}

func TestSendmailTextOnly(t *testing.T) { checkTextOnly(t, "sendmail", []string{"sendmail"}, 0.5) }
