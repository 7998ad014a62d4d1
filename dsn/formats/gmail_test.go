package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestGmailCorpus(t *testing.T) {
	pvCheckFamily(t, []string{"gmail"}, nil, "lhost-gmail-")
}

// TestGmailFields checks the fields the reference table does not hold: the
// remote host, Gmail's state as the command, the delay action.
func TestGmailFields(t *testing.T) {
	cases := []struct {
		name, body            string
		remote, command, diag string
		action                dsn.Action
	}{
		{"remote host and reply",
			"Delivery to the following recipient failed permanently:\n\n     u@example.jp\n\nTechnical details of permanent failure: \nGoogle tried to deliver your message, but it was rejected by the server for the recipient domain example.jp by mx.example.jp. [192.0.2.153].\n\nThe error that the other server returned was:\n550 5.1.1 <u@example.jp>... User Unknown\n\n----- Original message -----\n\nSubject: x\n",
			"mx.example.jp", "", "550 5.1.1 <u@example.jp>... User Unknown", dsn.ActionFailed},
		{"state removed, reply once",
			"Delivery to the following recipient failed permanently:\n\n     u@example.jp\n\nTechnical details of permanent failure:\nGoogle tried to deliver your message, but it was rejected by the recipient domain. The error that the other server returned was: 550 550 5.2.2 <u@example.jp>... Mailbox Full (state 14).\n",
			"", "", "550 5.2.2 <u@example.jp>... Mailbox Full", dsn.ActionFailed},
		{"delay",
			"Delivery to the following recipient has been delayed:\n\n     u@example.jp\n\nMessage will be retried for 2 more day(s)\n",
			"", "", "Message will be retried for 2 more day(s)", dsn.ActionDelayed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\n\n" + c.body
			r, err := dsn.Parse([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "gmail" || len(r.Recipients) != 1 {
				t.Fatalf("format %q, %d recipients", r.Format, len(r.Recipients))
			}
			rc := r.Recipients[0]
			if rc.RemoteMTA != c.remote || rc.Command != c.command || rc.Diagnostic != c.diag || rc.Action != c.action {
				t.Errorf("got remote %q command %q diagnostic %q action %q", rc.RemoteMTA, rc.Command, rc.Diagnostic, rc.Action)
			}
		})
	}
}

// TestGmailNeedsGmailSender: the same text from someone else is not read.
func TestGmailNeedsGmailSender(t *testing.T) {
	raw := "From: someone@example.com\nSubject: fwd\n\nDelivery to the following recipient failed permanently:\n\n     u@example.jp\n"
	m, err := dsn.NewMessage([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := (gmail{}).Parse(m); ok {
		t.Error("gmail accepted a message not sent by Gmail's mailer daemon")
	}
}

// TestGmailCaseFoldingWidth: letters whose lower case is longer in UTF-8
// before the reply must not shift the reply's offset (no panic, same reply).
func TestGmailCaseFoldingWidth(t *testing.T) {
	raw := "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nContent-Type: text/plain; charset=utf-8\n\n" +
		"Delivery to the following recipient failed permanently:\n\n     u@example.jp\n\nTechnical details of permanent failure:\nȺȺȺȺȺȺȺȺȺȺȺȺ The error that the other server returned was: 550 5.1.1 unknown\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Recipients) != 1 || r.Recipients[0].Diagnostic != "550 5.1.1 unknown" {
		t.Fatalf("got %+v", r.Recipients)
	}
}
