package dsn

import (
	"strings"
	"testing"
)

// A returned message is carried, not read: its text parts are not copied
// into Text, while a delivery-status part inside it is read, with CRLF and
// LF line endings alike.
func TestCarriedPartsNotCopied(t *testing.T) {
	lf := "From: MAILER-DAEMON@example.org\nContent-Type: multipart/report; boundary=b\n\n" +
		"--b\nContent-Type: text/plain\n\nDelivery failed.\n" +
		"--b\nContent-Type: message/rfc822\n\nSubject: hi\nContent-Type: multipart/mixed; boundary=c\n\n" +
		"--c\nContent-Type: text/plain\n\nfirst\nline\n--c\nContent-Type: message/delivery-status\n\n" +
		"Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.1.1\n--c--\n--b--\n"
	for _, raw := range []string{lf, strings.ReplaceAll(lf, "\n", "\r\n")} {
		m, err := NewMessage([]byte(raw), nil)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, p := range m.Parts {
			texts = append(texts, p.ContentType+"="+p.Text)
		}
		want := []string{"text/plain=Delivery failed.", "message/rfc822=", "text/plain=",
			"message/delivery-status=Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.1.1"}
		if strings.Join(texts, "|") != strings.Join(want, "|") {
			t.Fatalf("texts %q, want %q", texts, want)
		}
		if m.Original == nil || m.Original.Get("Subject") != "hi" {
			t.Fatalf("returned header not read")
		}
	}
}
