// Package testmsg builds the test bounces and loopback addresses that the
// tests of several packages share, so that each is written once.
package testmsg

import (
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
