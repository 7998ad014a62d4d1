// Package testmsg builds the test bounces and loopback addresses that the
// tests of several packages share, so that each is written once.
package testmsg

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
)

// Bounce is a multipart/report bounce (RFC 6522, RFC 3464) for
// user@example.net (550 5.1.1) whose text part is text and whose third
// part is returned.
func Bounce(text, returned string) string {
	return "From: MAILER-DAEMON@mx.example.org\n" +
		"To: sender@example.com\n" +
		"Subject: Undelivered Mail Returned to Sender\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"BB\"\n\n" +
		"--BB\nContent-Type: text/plain; charset=us-ascii\n\n" + text + "\n" +
		"--BB\nContent-Type: message/delivery-status\n\n" +
		"Reporting-MTA: dns; mx.example.org\n\n" +
		"Final-Recipient: rfc822; user@example.net\nAction: failed\nStatus: 5.1.1\n" +
		"Diagnostic-Code: smtp; 550 5.1.1 <user@example.net>: User unknown\n\n" +
		"--BB\n" + returned + "\n--BB--\n"
}

// Returned is a message/rfc822 part around a returned message with the
// Content-Type field ct and body.
func Returned(ct, body string) string {
	return "Content-Type: message/rfc822\n\n" +
		"Message-ID: <orig@example.com>\nSubject: Quarterly figures\nFrom: sender@example.com\nTo: user@example.net\n" +
		ct + "\n" + body
}

// Nested is a multipart body nested levels deep, with its Content-Type
// field.
func Nested(levels int) (ct, body string) {
	var b strings.Builder
	for i := 1; i < levels; i++ {
		fmt.Fprintf(&b, "--n%d\nContent-Type: multipart/mixed; boundary=n%d\n\n", i-1, i)
	}
	fmt.Fprintf(&b, "--n%d\n\ndeep\n", levels-1)
	return "Content-Type: multipart/mixed; boundary=n0\n", b.String()
}

// Recipients is a multipart/report bounce (RFC 6522, RFC 3464) whose
// delivery-status part has n per-recipient groups (user1@example.net ...,
// all failed 5.1.1).
func Recipients(n int) string {
	var b strings.Builder
	b.WriteString("From: MAILER-DAEMON@mx.example.org\nSubject: Undelivered Mail Returned to Sender\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"BB\"\n\n" +
		"--BB\nContent-Type: text/plain\n\nDelivery failed.\n" +
		"--BB\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "\nFinal-Recipient: rfc822; user%d@example.net\nAction: failed\nStatus: 5.1.1\n", i)
	}
	b.WriteString("--BB--\n")
	return b.String()
}

// FreeTCP returns a loopback address nobody listened on a moment ago.
func FreeTCP(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// StopsEarly checks that reading a report stops once it is over the
// recipient limit: parse, which must fail with an error wrapping want,
// costs as many allocations on the build of 100,000 recipients as on that
// of 2,000, within 10%.
func StopsEarly(t *testing.T, build func(n int) []byte, parse func(raw []byte) error, want error) {
	t.Helper()
	allocs := func(n int) float64 {
		raw := build(n)
		return testing.AllocsPerRun(2, func() {
			if err := parse(raw); !errors.Is(err, want) {
				t.Fatalf("%d recipients: error %v, want one wrapping %v", n, err, want)
			}
		})
	}
	small, large := allocs(2000), allocs(100000)
	t.Logf("allocations: %.0f for 2,000 recipients, %.0f for 100,000", small, large)
	if large > small*1.1 {
		t.Errorf("100,000 recipients: %.0f allocations, over 1.1 × the %.0f of 2,000", large, small)
	}
}
