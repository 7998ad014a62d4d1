package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestGoogleCorpus(t *testing.T) {
	pvCheckFamily(t, nil, nil, "rhost-google-", "rhost-gsuite-")
}

// TestGoogleText: without a Diagnostic-Code the remote reply of the text
// part (multi-line replies joined) or else Google's notice is used.
func TestGoogleText(t *testing.T) {
	cases := []struct {
		name, text   string
		diag, reason string
	}{
		{"remote reply",
			"** Message not delivered **\n\nThere was a problem delivering your message to a@example.com.\n\nThe response from the remote server was:\n550-5.1.1 The email account that you tried to reach does not exist.\n550 5.1.1 https://support.google.com/mail/?p=NoSuchUser\n\n",
			"550-5.1.1 The email account that you tried to reach does not exist. 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser", "userunknown"},
		{"notice only",
			"** Address not found **\n\nYour message wasn't delivered to a@example.com because the address couldn't be found.\n\nLearn more here: https://support.google.com/mail/?p=NoSuchUser\n",
			"Address not found. Your message wasn't delivered to a@example.com because the address couldn't be found.", "userunknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\n" + c.text +
				"\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; googlemail.com\n\nFinal-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.0.0\n--b--\n"
			r, err := dsn.Parse([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "google" || len(r.Recipients) != 1 {
				t.Fatalf("format %q recipients %d", r.Format, len(r.Recipients))
			}
			if rc := r.Recipients[0]; rc.Diagnostic != c.diag || rc.Reason != c.reason {
				t.Errorf("diagnostic %q reason %q", rc.Diagnostic, rc.Reason)
			}
		})
	}
}
