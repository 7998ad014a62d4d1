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

// TestTranscriptLineCaseFolding: letters whose lower case has another
// length in UTF-8 ("İ", "ẞ") must not shift the cut.
func TestTranscriptLineCaseFolding(t *testing.T) {
	tests := []struct{ name, transcript, addr, want string }{
		{"plain", "550 5.1.1 <user@example.org>... User unknown", "user@example.org", "550 5.1.1 User unknown"},
		{"case", "550 5.1.1 <USER@Example.org>... User unknown", "user@example.org", "550 5.1.1 User unknown"},
		{"dotted capital I", "550 İİİİ <user@example.org>... x", "user@example.org", "550 İİİİ x"},
		{"no match", "550 İİİİİİİİİİİİİİİİİİ <other@example.org>... x", "user@example.org", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := transcriptLine(tt.transcript, tt.addr); got != tt.want {
				t.Errorf("transcriptLine = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSendmailExpandedFrom: the alias trail under an address is the
// recipient the sender used.
func TestSendmailExpandedFrom(t *testing.T) {
	raw := "Return-Path: <>\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.nl>\nTo: list-admin@example.org\n" +
		"Subject: Returned mail: Too many hops\n\nThe original message was received at Sat, 1 Jan 2000 10:00:00 +0100\n\n" +
		"   ----- The following addresses had permanent fatal errors -----\nuser@mail.example.nl\n    (expanded from: user@example.nl)\n\n" +
		"   ----- Transcript of session follows -----\n554 Too many hops 26 (25 max): from list-admin@example.org via localhost, to user@example.nl\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "sendmail" || len(r.Recipients) != 1 {
		t.Fatalf("got %s", summary(r, nil))
	}
	if rc := r.Recipients[0]; rc.Recipient != "user@mail.example.nl" || rc.OriginalRecipient != "user@example.nl" {
		t.Errorf("got %q from %q", rc.Recipient, rc.OriginalRecipient)
	}
}
