package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestPostfixSamples(t *testing.T) { checkFamily(t, "postfix", []string{"postfix"}, 0.9) }

func TestPostfixTextOnly(t *testing.T) { checkTextOnly(t, "postfix", []string{"postfix"}, 0.5) }

// TestPostfixTextLayouts checks Postfix's bounce(8) templates without a
// delivery-status part: failure with an alias trail, and the delay
// warning.
func TestPostfixTextLayouts(t *testing.T) {
	head := "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net (Mail Delivery System)\nSubject: Undelivered Mail Returned to Sender\n\n"
	tests := []struct {
		name, body, status, reply, command string
		kind                               dsn.Kind
	}{
		{"failure", "This is the mail system at host mx.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n" +
			"<user@example.org> (expanded from <alias@example.net>): host\n    mx.example.org[192.0.2.1] said: 550 5.1.1 <user@example.org>: Recipient\n    address rejected: User unknown (in reply to RCPT TO command)\n",
			"5.1.1", "550", "RCPT", dsn.KindFailure},
		{"delay", "This is the mail system at host mx.example.net.\n\n####### THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #######\n\n" +
			"Your message could not be delivered for more than 3 hour(s).\nIt will be retried until it is 5 day(s) old.\n\n" +
			"<user@example.org>: connect to mx.example.org[192.0.2.1]:25: Connection timed\n    out\n",
			"4.0.0", "", "", dsn.KindDelay},
		{"success", "This is the mail system at host mx.example.net.\n\nYour message was successfully delivered to the destination(s)\nlisted below. If the message was delivered to mailbox you will\nreceive no further notifications. Otherwise you may still receive\nnotifications of mail delivery errors from other systems.\n\n" +
			"<user@example.org>: delivery via mx.example.org[192.0.2.1]:25: 250 2.0.0 Ok:\n    queued as 4ABCDE\n",
			"2.0.0", "250", "", dsn.KindSuccess},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := dsn.Parse([]byte(head+tt.body), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "postfix" || r.Kind != tt.kind || len(r.Recipients) != 1 {
				t.Fatalf("format %q kind %s, %d recipients", r.Format, r.Kind, len(r.Recipients))
			}
			rc := r.Recipients[0]
			if rc.Recipient != "user@example.org" || rc.Status != tt.status || rc.ReplyCode != tt.reply || rc.Command != tt.command {
				t.Errorf("got %s %s %q %q", rc.Recipient, rc.Status, rc.ReplyCode, rc.Command)
			}
		})
	}
}
