package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestQmailSamples(t *testing.T) { checkFamily(t, "qmail", []string{"qmail"}, 0.9) }

// TestQmailLayouts checks qmail-send texts beyond the corpus: djb's
// original wrapping of the intro, and a reason after a blank line.
func TestQmailLayouts(t *testing.T) {
	head := "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\nSubject: failure notice\n\nHi. This is the qmail-send program at mx.example.net.\n"
	tests := []struct{ name, body, status, reason string }{
		{"original wrapping", "I'm afraid I wasn't able to deliver your message to the\nfollowing addresses. This is a permanent error; I've given up.\nSorry it didn't work out.\n\n<user@example.org>:\nSorry, I couldn't find any host by that name. (#4.1.2)\n", "4.1.2", "hostunknown"},
		{"connection failure given up", "I'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<user@example.org>:\nSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\nI'm not going to try again; this message has been in the queue too long.\n", "4.4.1", "networkerror"},
		{"blank before reason", "I'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n<user@example.org>:\n\nezmlm-reject: fatal: Sorry, I don't accept message with empty Subject (#5.7.0)\n", "5.7.0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := dsn.Parse([]byte(head+tt.body+"\n--- Below this line is a copy of the message.\n\nTo: user@example.org\n\nx\n"), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "qmail" || len(r.Recipients) != 1 {
				t.Fatalf("format %q, %d recipients", r.Format, len(r.Recipients))
			}
			rc := r.Recipients[0]
			if rc.Recipient != "user@example.org" || rc.Status != tt.status || tt.reason != "" && rc.Reason != tt.reason {
				t.Errorf("got %s %s %s", rc.Recipient, rc.Status, rc.Reason)
			}
		})
	}
}
