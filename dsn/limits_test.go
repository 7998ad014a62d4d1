package dsn_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// reportWith builds a multipart/report bounce for user@example.net (550
// 5.1.1) whose text part is text and whose third part is returned.
func reportWith(text, returned string) string {
	return "From: MAILER-DAEMON@mx.example.org\n" +
		"To: sender@example.com\n" +
		"Subject: Undelivered Mail Returned to Sender\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"BB\"\n\n" +
		"--BB\nContent-Type: text/plain\n\n" + text + "\n" +
		"--BB\nContent-Type: message/delivery-status\n\n" +
		"Reporting-MTA: dns; mx.example.org\n\n" +
		"Final-Recipient: rfc822; user@example.net\nAction: failed\nStatus: 5.1.1\n" +
		"Diagnostic-Code: smtp; 550 5.1.1 <user@example.net>: User unknown\n\n" +
		"--BB\n" + returned + "\n--BB--\n"
}

// returnedMessage is a message/rfc822 part whose returned message has body.
func returnedMessage(ct, body string) string {
	return "Content-Type: message/rfc822\n\n" +
		"Message-ID: <orig@example.com>\nSubject: Quarterly figures\nFrom: sender@example.com\nTo: user@example.net\n" +
		ct + "\n" + body
}

// nested is a multipart body nested levels deep.
func nested(levels int) (string, string) {
	var b strings.Builder
	for i := 1; i < levels; i++ {
		fmt.Fprintf(&b, "--n%d\nContent-Type: multipart/mixed; boundary=n%d\n\n", i-1, i)
	}
	fmt.Fprintf(&b, "--n%d\n\ndeep\n", levels-1)
	return "Content-Type: multipart/mixed; boundary=n0\n", b.String()
}

// TestLimitsSpareReturnedMessage: a returned message is carried, not read,
// so a long line or deep nesting inside it does not stop the bounce from
// being read; the same abuse in the bounce's own parts is still an error.
func TestLimitsSpareReturnedMessage(t *testing.T) {
	long := strings.Repeat("x", 2<<20)
	deepCT, deepBody := nested(30)
	manyBody := "--m\n" + strings.Repeat("\nx\n--m\n", 600) + "\ny\n--m--\n"
	spared := []struct{ name, raw string }{
		{"2 MiB line in the returned body", reportWith("Delivery failed.", returnedMessage("", long+"\n"))},
		{"2 MiB header line in the returned message", reportWith("Delivery failed.",
			"Content-Type: message/rfc822\n\nSubject: Quarterly figures\nX-Long: "+long+"\n\nbody\n")},
		{"2 MiB line in text/rfc822-headers", reportWith("Delivery failed.",
			"Content-Type: text/rfc822-headers\n\nSubject: Quarterly figures\nReferences: "+long+"\n")},
		{"30 nesting levels in the returned message", reportWith("Delivery failed.", returnedMessage(deepCT, deepBody))},
		{"600 parts in the returned message", reportWith("Delivery failed.",
			returnedMessage("Content-Type: multipart/mixed; boundary=m\n", manyBody))},
	}
	for _, tt := range spared {
		t.Run(tt.name, func(t *testing.T) {
			r, err := dsn.Parse([]byte(tt.raw), nil)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if r.Kind != dsn.KindFailure || len(r.Recipients) != 1 || r.Recipients[0].Status != "5.1.1" {
				t.Fatalf("report %+v, want user@example.net failed 5.1.1", r)
			}
			if r.Original.Subject != "Quarterly figures" {
				t.Errorf("returned subject %q", r.Original.Subject)
			}
		})
	}
	bounceCT, bounceBody := nested(30)
	refused := []struct{ name, raw string }{
		{"2 MiB line in the text part", reportWith(long, returnedMessage("", "hello\n"))},
		{"2 MiB line in the delivery status", strings.Replace(reportWith("Delivery failed.", returnedMessage("", "hello\n")),
			"Reporting-MTA: dns; mx.example.org", "Reporting-MTA: dns; "+long, 1)},
		{"2 MiB line in the bounce's header", "X-Long: " + long + "\n" + reportWith("Delivery failed.", "")},
		{"30 nesting levels in the bounce", "Subject: x\n" + bounceCT + "\n" + bounceBody},
		{"600 parts in the bounce", "Subject: x\nContent-Type: multipart/mixed; boundary=m\n\n" + manyBody},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := dsn.Parse([]byte(tt.raw), &dsn.Options{Limits: dsn.Limits{MaxHeaderBytes: 4 << 20}}); !errors.Is(err, dsn.ErrLimit) {
				t.Errorf("error %v, want one wrapping ErrLimit", err)
			}
		})
	}
}

// TestForgedBlockNeedsOurHeaders: a block is left out of the text only
// when the message carries X-Bounce-* fields; otherwise a forged one
// cannot hide the diagnostic it encloses.
func TestForgedBlockNeedsOurHeaders(t *testing.T) {
	body := dsn.AnnotationTextBegin + "Why your message was not delivered -----\n" +
		"<user@example.net>: host mx.example.net said: 550 5.1.1 User unknown\n" +
		dsn.AnnotationTextEnd + ": the original notice follows -----\n\nThis is the mail system.\n"
	for _, tt := range []struct {
		name   string
		header string
		hidden bool
	}{
		{"no X-Bounce fields", "", false},
		{"X-Bounce-Reason", "X-Bounce-Reason: userunknown\n", true},
		{"lower case", "x-bounce-status: 5.1.1\n", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := dsn.NewMessage([]byte(tt.header+"Subject: Undelivered Mail\n\n"+body), nil)
			if err != nil {
				t.Fatal(err)
			}
			if hidden := !strings.Contains(m.BodyText(), "550 5.1.1"); hidden != tt.hidden {
				t.Errorf("diagnostic hidden %v, want %v:\n%s", hidden, tt.hidden, m.BodyText())
			}
		})
	}
}
