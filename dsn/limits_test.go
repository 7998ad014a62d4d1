package dsn_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/testmsg"
)

// TestLimitsSpareReturnedMessage: a returned message is carried, not read,
// so a long line or deep nesting inside it does not stop the bounce from
// being read; the same abuse in the bounce's own parts is still an error.
func TestLimitsSpareReturnedMessage(t *testing.T) {
	long := strings.Repeat("x", 2<<20)
	deepCT, deepBody := testmsg.Nested(30)
	manyBody := "--m\n" + strings.Repeat("\nx\n--m\n", 600) + "\ny\n--m--\n"
	spared := []struct{ name, raw string }{
		{"2 MiB line in the returned body", testmsg.Bounce("Delivery failed.", testmsg.Returned("", long+"\n"))},
		{"2 MiB header line in the returned message", testmsg.Bounce("Delivery failed.",
			"Content-Type: message/rfc822\n\nSubject: Quarterly figures\nX-Long: "+long+"\n\nbody\n")},
		{"2 MiB line in text/rfc822-headers", testmsg.Bounce("Delivery failed.",
			"Content-Type: text/rfc822-headers\n\nSubject: Quarterly figures\nReferences: "+long+"\n")},
		{"30 nesting levels in the returned message", testmsg.Bounce("Delivery failed.", testmsg.Returned(deepCT, deepBody))},
		{"600 parts in the returned message", testmsg.Bounce("Delivery failed.",
			testmsg.Returned("Content-Type: multipart/mixed; boundary=m\n", manyBody))},
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
	bounceCT, bounceBody := testmsg.Nested(30)
	refused := []struct{ name, raw string }{
		{"2 MiB line in the text part", testmsg.Bounce(long, testmsg.Returned("", "hello\n"))},
		{"2 MiB line in the delivery status", strings.Replace(testmsg.Bounce("Delivery failed.", testmsg.Returned("", "hello\n")),
			"Reporting-MTA: dns; mx.example.org", "Reporting-MTA: dns; "+long, 1)},
		{"2 MiB line in the bounce's header", "X-Long: " + long + "\n" + testmsg.Bounce("Delivery failed.", "")},
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

// TestRecipientLimitStopsEarly: a report over MaxRecipients is refused
// once the recipient after the limit is read, not after the whole report:
// 100,000 recipients cost about the allocations of 2,000.
func TestRecipientLimitStopsEarly(t *testing.T) {
	testmsg.StopsEarly(t, func(n int) []byte { return []byte(testmsg.Recipients(n)) },
		func(raw []byte) error { _, err := dsn.Parse(raw, nil); return err }, dsn.ErrLimit)
	if _, err := dsn.Parse([]byte(testmsg.Recipients(dsn.DefaultMaxRecipients)), nil); err != nil {
		t.Errorf("%d recipients: %v", dsn.DefaultMaxRecipients, err)
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
