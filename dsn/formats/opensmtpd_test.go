package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestOpenSMTPDSamples(t *testing.T) { checkFamily(t, "opensmtpd", []string{"opensmtpd"}, 0.9) }

func TestOpenSMTPDNotices(t *testing.T) {
	head := "Return-Path: <>\nFrom: Mailer Daemon <MAILER-DAEMON@mx.example.net>\nSubject: Delivery status notification\n\n    Hi!\n\n    This is the MAILER-DAEMON, please DO NOT REPLY to this email.\n\n"
	tests := []struct {
		name, intro string
		kind        dsn.Kind
	}{
		{"error", "    An error has occurred while attempting to deliver a message for\n    the following list of recipients:\n\nuser@example.org: 550 5.1.1 No such user\n", dsn.KindFailure},
		{"delay", "    A message is delayed for more than 4 hours for the following\n    list of recipients:\n\nuser@example.org: Network error on destination MXs\n\n    Please note that this is only a temporary failure report.\n", dsn.KindDelay},
		{"success", "    Your message was successfully delivered to these recipients.\n\nuser@example.org: 250 2.0.0 Ok\n", dsn.KindSuccess},
		{"relayed", "    Your message was relayed to these recipients.\n\nuser@example.org: 250 2.0.0 Ok\n", dsn.KindSuccess},
		// OpenSMTPD 6.8's notice when the queue ttl is over says "delayed"
		// but the envelope is gone (testdata/mta/opensmtpd/bounces/expired.eml).
		{"expired", "    A message is delayed for more than 0 seconds for the following\n    list of recipients:\n\nuser@example.org: Envelope expired\n\n    Please note that this is only a temporary failure report.\n", dsn.KindFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := dsn.Parse([]byte(head+tt.intro+"\n    Below is a copy of the original message:\n\nTo: user@example.org\n\nx\n"), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "opensmtpd" || r.Kind != tt.kind || len(r.Recipients) != 1 || r.Recipients[0].Recipient != "user@example.org" {
				t.Errorf("format %q kind %s recipients %v", r.Format, r.Kind, r.Recipients)
			}
		})
	}
}
