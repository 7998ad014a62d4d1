package formats

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// TestLegacyLayouts parses one synthetic notice per older mail system,
// written in that system's layout, and checks family, recipient and the
// reason line read for it.
func TestLegacyLayouts(t *testing.T) {
	tests := []struct {
		file, format, rcpt, reply, diag string
	}{
		{"mdaemon.eml", "mdaemon", "someone@example.com", "552", "552 Message for <someone@example.com> would exceed mailbox quota"},
		{"mdaemon-local.eml", "mdaemon-local", "someone@example.com", "", "no such user here."},
		{"cdo.eml", "cdo", "someone@example.com", "", "could not be delivered to the following user"},
		{"smartermail.eml", "smartermail", "someone@example.com", "550", "Remote host said: 550 unknown user <someone@example.com>"},
		{"smail.eml", "smail", "someone@example.com", "", "unknown host"},
		{"usanet.eml", "usanet", "someone@example.net", "", "The following mail has been returned because it encountered an error while being processed"},
		{"e500.eml", "e500", "someone@example.com", "550", "550 Requested action not taken: mailbox unavailable."},
		{"postoffice.eml", "postoffice", "someone@example.it", "", "User not known"},
		{"netscape.eml", "netscape", "one@example.com", "", "Your message was not delivered because the destination computer was not reachable within the allowed queue period. Your message was not delivered within 2 days. Host example.com is not responding."},
		{"netscape-report.eml", "netscape", "someone@example.com", "", "The user(s) account is temporarily over quota."},
		{"phquery.eml", "phquery", "someone@example.edu", "", "Does not have a final email delivery point, please contact this person by alternate means."},
		{"aol.eml", "aol", "screenname1@aol.com", "", "Your mail to the following recipients could not be delivered because they are not accepting mail from list-bounces@example.org"},
		{"postoffice-remote.eml", "postoffice", "someone@example.com", "", "Delivery failed 20 attempts Unknown user"},
		{"exchange2000.eml", "exchange2000", "someone@example.com", "", "The e-mail account does not exist at the organization this message was sent to. <mx.example.com #5.1.1>"},
		{"mimesweeper.eml", "mimesweeper", "someone@example.fr", "", "The mailbox above does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.format+"/"+tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "legacy", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			r, err := dsn.Parse(raw, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != tt.format || r.Kind != dsn.KindFailure || len(r.Recipients) < 1 {
				t.Fatalf("got %s", summary(r, nil))
			}
			rc := r.Recipients[0]
			if rc.Recipient != tt.rcpt || rc.ReplyCode != tt.reply || rc.Diagnostic != tt.diag {
				t.Errorf("got %q reply %q diag %q", rc.Recipient, rc.ReplyCode, rc.Diagnostic)
			}
		})
	}
}

// TestLegacyNeedsSignal: the family phrases alone, in a person's mail
// without any bounce signal, are not a bounce.
func TestLegacyNeedsSignal(t *testing.T) {
	raw := []byte("From: Alice <alice@example.org>\r\nTo: bob@example.com\r\nSubject: notes\r\n\r\n" +
		"Your message has encountered delivery problems, you said?\r\n(Originally addressed to carol@example.com)\r\n")
	r, err := dsn.Parse(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != dsn.KindNone {
		t.Errorf("ordinary mail read as %s", summary(r, nil))
	}
}

// TestLegacyMDaemonTranscript: each recipient takes the reply that
// followed its own RCPT command in MDaemon's session transcript.
func TestLegacyMDaemonTranscript(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "legacy", "mdaemon-two.eml"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := dsn.Parse(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"one@example.com": "5.1.1", "two@example.com": "mailboxfull"}
	if r.Format != "mdaemon" || len(r.Recipients) != 2 {
		t.Fatalf("got %s", summary(r, nil))
	}
	for _, rc := range r.Recipients {
		if w := want[rc.Recipient]; (w != rc.Status && w != rc.Reason) || rc.Command != "RCPT" {
			t.Errorf("%s: %s %s %s %q", rc.Recipient, rc.Status, rc.Reason, rc.Command, rc.Diagnostic)
		}
	}
}

// TestBounceSubjects: subjects of old notices that are bounce signals.
func TestBounceSubjects(t *testing.T) {
	for _, s := range []string{"Nondeliverable mail", "Warning: could not send message for past 4 hours", "Bounced mail", "FAILED MAIL to \"user\"", "mail failed, returning to sender", "Письмо НЕ ДОСТАВЛЕНО", "メール配信エラー", "Unzustellbar: Termin"} {
		t.Run(s, func(t *testing.T) {
			if !isBounceSubject(s) {
				t.Errorf("%q is no bounce subject", s)
			}
		})
	}
}

// TestOrdinarySubjects: subjects of ordinary mail are no bounce signals.
func TestOrdinarySubjects(t *testing.T) {
	for _, s := range []string{"", "Hello", "Delivery of the sofa on Monday", "Доставка", "会議の件"} {
		t.Run(s, func(t *testing.T) {
			if isBounceSubject(s) {
				t.Errorf("%q taken for a bounce subject", s)
			}
		})
	}
}
