package dsn

import (
	"strings"
	"testing"
)

// The parts of a returned message share its text, and read the same with
// CRLF and LF line endings.
func TestCarriedPartsShareText(t *testing.T) {
	lf := "From: MAILER-DAEMON@example.org\nContent-Type: multipart/report; boundary=b\n\n" +
		"--b\nContent-Type: text/plain\n\nDelivery failed.\n" +
		"--b\nContent-Type: message/rfc822\n\nSubject: hi\nContent-Type: multipart/mixed; boundary=c\n\n" +
		"--c\nContent-Type: text/plain\n\nfirst\nline\n--c\nContent-Type: text/plain; charset=iso-8859-1\n\ncaf\xe9\n--c--\n--b--\n"
	for _, raw := range []string{lf, strings.ReplaceAll(lf, "\n", "\r\n")} {
		m, err := NewMessage([]byte(raw), nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		var carried string
		for _, p := range m.Parts {
			switch {
			case p.ContentType == TypeRFC822:
				carried = p.Text
			case p.Embedded > 0:
				got = append(got, p.Text)
			}
		}
		if len(got) != 2 || got[0] != "first\nline" || got[1] != "café" {
			t.Fatalf("carried texts %q", got)
		}
		if !strings.Contains(carried, "first\nline") || strings.Contains(carried, "\r") {
			t.Fatalf("returned message text %q", carried)
		}
	}
}
