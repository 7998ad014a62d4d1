// Command gen-large-bounce writes a large RFC 3464 bounce to standard
// output, for measuring the memory bouncenote spends on one message:
//
//	go run ./internal/gen-large-bounce -size 50MB > /tmp/large.eml
//
// The bounce is a multipart/report with a short text/plain explanation, a
// message/delivery-status part and the returned message (message/rfc822)
// whose text body fills the requested size.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
)

func main() {
	size := flag.String("size", "50MB", "approximate size of the bounce (B, KB, MB)")
	flag.Parse()
	n, err := parseSize(*size)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen-large-bounce:", err)
		os.Exit(2)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	write(w, n)
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "gen-large-bounce:", err)
		os.Exit(1)
	}
}

func parseSize(s string) (int, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	mul := 1
	switch {
	case strings.HasSuffix(s, "MB"):
		mul, s = 1<<20, strings.TrimSuffix(s, "MB")
	case strings.HasSuffix(s, "KB"):
		mul, s = 1<<10, strings.TrimSuffix(s, "KB")
	case strings.HasSuffix(s, "B"):
		s = strings.TrimSuffix(s, "B")
	}
	v, err := strconv.Atoi(s)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return v * mul, nil
}

func write(w *bufio.Writer, size int) {
	const b = "----=_large_bounce_0001"
	head := "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n" +
		"To: sender@example.com\r\n" +
		"Subject: Undelivered Mail Returned to Sender\r\n" +
		"Date: Mon, 1 Jun 2026 10:00:00 +0000\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"" + b + "\"\r\n" +
		"\r\n" +
		"--" + b + "\r\n" +
		"Content-Type: text/plain; charset=us-ascii\r\n\r\n" +
		"This is the mail system at host mx.example.org.\r\n\r\n" +
		"I'm sorry to have to inform you that your message could not\r\n" +
		"be delivered to one or more recipients.\r\n\r\n" +
		"<nobody@example.net>: host mx.example.net said: 550 5.1.1 <nobody@example.net>:\r\n" +
		"    Recipient address rejected: User unknown in local recipient table\r\n\r\n" +
		"--" + b + "\r\n" +
		"Content-Type: message/delivery-status\r\n\r\n" +
		"Reporting-MTA: dns; mx.example.org\r\n\r\n" +
		"Final-Recipient: rfc822; nobody@example.net\r\n" +
		"Action: failed\r\n" +
		"Status: 5.1.1\r\n" +
		"Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown\r\n\r\n" +
		"--" + b + "\r\n" +
		"Content-Type: message/rfc822\r\n\r\n" +
		"From: sender@example.com\r\n" +
		"To: nobody@example.net\r\n" +
		"Subject: a large message\r\n" +
		"Message-ID: <large@example.com>\r\n" +
		"Content-Type: text/plain; charset=us-ascii\r\n\r\n"
	tail := "\r\n--" + b + "--\r\n"
	w.WriteString(head)
	line := "The quick brown fox jumps over the lazy dog, line after line of it. 0123456789\r\n"
	for n := len(head) + len(tail); n < size; n += len(line) {
		w.WriteString(line)
	}
	w.WriteString(tail)
}
