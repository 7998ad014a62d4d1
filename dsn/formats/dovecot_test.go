package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// dovecotMDN builds a multipart/report of type disposition-notification
// with the given text and Disposition field.
func dovecotMDN(text, disposition string) []byte {
	return []byte("Return-Path: <MAILER-DAEMON>\nFrom: Mail Delivery Subsystem <postmaster@example.com>\nTo: alice@example.org\n" +
		"Subject: Automatically rejected mail\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b/mail\"\n\n" +
		"--b/mail\nContent-Type: text/plain; charset=utf-8\n\n" + text + "\n" +
		"--b/mail\nContent-Type: message/disposition-notification\n\n" +
		"Reporting-UA: mx.example.com; Dovecot Mail Delivery Agent\nFinal-Recipient: rfc822; bob@example.com\n" +
		"Original-Message-ID: <1@example.org>\nDisposition: " + disposition + "\n\n" +
		"--b/mail--\n")
}

func TestDovecotRejection(t *testing.T) {
	tests := []struct {
		name, text, disposition string
		kind                    dsn.Kind
		reason                  string
	}{
		{"quota", "Your message to <bob@example.com> was automatically rejected:\nQuota exceeded (mailbox for user is full)",
			"automatic-action/MDN-sent-automatically; deleted", dsn.KindFailure, dsn.ReasonMailboxFull},
		{"read receipt", "Your message to bob@example.com was displayed on Monday.",
			"manual-action/MDN-sent-manually; displayed", dsn.KindNone, ""},
		{"deleted unread", "Your message was deleted without being read.",
			"automatic-action/MDN-sent-automatically; deleted", dsn.KindNone, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := dsn.Parse(dovecotMDN(tt.text, tt.disposition), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != tt.kind {
				t.Fatalf("got %s", summary(r, nil))
			}
			if tt.kind == dsn.KindNone {
				return
			}
			if len(r.Recipients) != 1 || r.Recipients[0].Recipient != "bob@example.com" || r.Recipients[0].Reason != tt.reason {
				t.Errorf("got %s", summary(r, nil))
			}
		})
	}
}
