package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestSendmailSamples(t *testing.T) {
	checkFamily(t, "sendmail", []string{"sendmail"}, 0.8)
}

func TestSendmailTextOnly(t *testing.T) { checkTextOnly(t, "sendmail", []string{"sendmail"}, 0.5) }

// TestSendmailTextLayout checks a Sendmail 8 bounce without a
// delivery-status part: two recipients, an alias trail, the transcript.
func TestSendmailTextLayout(t *testing.T) {
	raw := "Return-Path: <MAILER-DAEMON@mx.example.net>\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\nSubject: Returned mail: see transcript for details\n\n" +
		"The original message was received at Thu, 29 Apr 2010 23:34:45 +0900\nfrom localhost [127.0.0.1]\n\n" +
		"   ----- The following addresses had permanent fatal errors -----\n<user@example.org>\n    (reason: 550 5.1.1 <user@example.org>... User unknown)\n    (expanded from: <alias@example.net>)\n" +
		"<full@example.org>\n    (reason: 552 5.2.2 Mailbox full)\n\n" +
		"   ----- Transcript of session follows -----\n... while talking to mx.example.org.:\n>>> RCPT To:<user@example.org>\n<<< 550 5.1.1 <user@example.org>... User unknown\n550 5.1.1 <user@example.org>... User unknown\n" +
		">>> DATA\n<<< 552 5.2.2 Mailbox full\n\n   ----- Original message follows -----\n\nTo: user@example.org\n\nx\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ addr, status, reply, remote string }{
		{"user@example.org", "5.1.1", "550", "mx.example.org"},
		{"full@example.org", "5.2.2", "552", ""},
	}
	if r.Format != "sendmail" || len(r.Recipients) != len(want) {
		t.Fatalf("format %q with %d recipients", r.Format, len(r.Recipients))
	}
	for i, w := range want {
		rc := r.Recipients[i]
		t.Run(w.addr, func(t *testing.T) {
			if rc.Recipient != w.addr || rc.Status != w.status || rc.ReplyCode != w.reply || rc.RemoteMTA != w.remote {
				t.Errorf("got %s %s %q %q", rc.Recipient, rc.Status, rc.ReplyCode, rc.RemoteMTA)
			}
		})
	}
}
