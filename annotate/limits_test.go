package annotate

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// limitBounce builds a multipart/report bounce for user@example.net (550
// 5.1.1) with the given text part and returned part.
func limitBounce(text, returned string) []byte {
	return []byte("From: MAILER-DAEMON@mx.example.org\n" +
		"To: sender@example.com\n" +
		"Subject: Undelivered Mail Returned to Sender\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"BB\"\n\n" +
		"--BB\nContent-Type: text/plain; charset=us-ascii\n\n" + text + "\n" +
		"--BB\nContent-Type: message/delivery-status\n\n" +
		"Reporting-MTA: dns; mx.example.org\n\n" +
		"Final-Recipient: rfc822; user@example.net\nAction: failed\nStatus: 5.1.1\n" +
		"Diagnostic-Code: smtp; 550 5.1.1 <user@example.net>: User unknown\n\n" +
		"--BB\n" + returned + "\n--BB--\n")
}

// limitReturned is a message/rfc822 part around a returned message.
func limitReturned(ct, body string) string {
	return "Content-Type: message/rfc822\n\n" +
		"Message-ID: <orig@example.com>\nSubject: Quarterly figures\nFrom: sender@example.com\nTo: user@example.net\n" +
		ct + "\n" + body
}

// limitNested is a multipart body nested levels deep, with its Content-Type.
func limitNested(levels int) (string, string) {
	var b strings.Builder
	for i := 1; i < levels; i++ {
		fmt.Fprintf(&b, "--n%d\nContent-Type: multipart/mixed; boundary=n%d\n\n", i-1, i)
	}
	fmt.Fprintf(&b, "--n%d\n\ndeep\n", levels-1)
	return "Content-Type: multipart/mixed; boundary=n0\n", b.String()
}

// TestLimitsSpareReturnedMessage: a bounce whose report is readable is
// explained even when its returned message has a 2 MiB line or 30 levels
// of nesting, and the returned message is carried byte for byte; the same
// abuse in the bounce's own text is a limit error and changes nothing.
func TestLimitsSpareReturnedMessage(t *testing.T) {
	long := strings.Repeat("x", 2<<20)
	deepCT, deepBody := limitNested(30)
	spared := []struct {
		name string
		raw  []byte
	}{
		{"2 MiB line in the returned body", limitBounce("Delivery failed.", limitReturned("", long+"\n"))},
		{"2 MiB line in text/rfc822-headers", limitBounce("Delivery failed.",
			"Content-Type: text/rfc822-headers\n\nSubject: Quarterly figures\nReferences: "+long+"\n")},
		{"30 nesting levels in the returned message", limitBounce("Delivery failed.", limitReturned(deepCT, deepBody))},
	}
	for _, tt := range spared {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Annotate(tt.raw, Options{Lang: LangEN})
			if err != nil {
				t.Fatalf("Annotate: %v", err)
			}
			if !res.Changed || res.BodyParts != 1 || res.BodyNote != "" {
				t.Fatalf("changed %v, %d block(s), note %q", res.Changed, res.BodyParts, res.BodyNote)
			}
			if res.Report.Original.Subject != "Quarterly figures" ||
				!bytes.Contains(res.Output, []byte(`Your message "Quarterly figures" to user@example.net was not delivered`)) {
				t.Errorf("block does not explain the returned message:\n%.600s", res.Output)
			}
			i := bytes.LastIndex(tt.raw, []byte("--BB\n"))
			if !bytes.HasSuffix(res.Output, tt.raw[i:]) {
				t.Errorf("returned message not carried byte for byte")
			}
			checkPartsPreserved(t, tt.name, tt.raw, res.Output)
			again, err := Annotate(res.Output, Options{Lang: LangEN})
			if err != nil || !bytes.Equal(again.Output, res.Output) {
				t.Errorf("not idempotent (err %v)", err)
			}
		})
	}
	bounceCT, bounceBody := limitNested(30)
	refused := []struct {
		name string
		raw  []byte
	}{
		{"2 MiB line in the text part", limitBounce(long, limitReturned("", "hello\n"))},
		{"30 nesting levels in the bounce", []byte("Subject: x\n" + bounceCT + "\n" + bounceBody)},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Annotate(tt.raw, Options{Lang: LangEN})
			if !errors.Is(err, dsn.ErrLimit) {
				t.Errorf("error %v, want one wrapping dsn.ErrLimit", err)
			}
			if res.Changed || !bytes.Equal(res.Output, tt.raw) {
				t.Errorf("message changed")
			}
			if _, err := scan(tt.raw, dsn.Limits{}, 0); !errors.Is(err, dsn.ErrLimit) {
				t.Errorf("scan error %v, want one wrapping dsn.ErrLimit", err)
			}
		})
	}
}
