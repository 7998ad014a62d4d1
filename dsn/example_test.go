package dsn_test

import (
	"fmt"
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
)

func ExampleParse() {
	raw := "From: MAILER-DAEMON@mx.example.org\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=B\r\n\r\n" +
		"--B\r\nContent-Type: message/delivery-status\r\n\r\n" +
		"Reporting-MTA: dns; mx.example.org\r\n\r\n" +
		"Final-Recipient: rfc822; nobody@example.net\r\nAction: failed\r\nStatus: 5.0.0\r\n" +
		"Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected\r\n" +
		"  (in reply to RCPT TO command)\r\n" +
		"--B--\r\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	rc := r.Recipients[0]
	fmt.Println(r.Kind, r.Format, r.ReportingMTA)
	fmt.Println(rc.Recipient, rc.Action, rc.Status, rc.ReplyCode, rc.Command)
	// Output:
	// failure rfc3464 mx.example.org
	// nobody@example.net failed 5.1.1 550 RCPT
}

func ExampleFindReplyCode() {
	text := "host mx.example.net[192.0.2.1] said: 452-4.2.2 The recipient's inbox is out of storage space"
	fmt.Println(dsn.FindReplyCode(text), dsn.FindStatus(text))
	// Output: 452 4.2.2
}

// lineFormat is a toy Format: bounces whose body says "undeliverable to ADDR".
type lineFormat struct{}

func (lineFormat) Name() string { return "example-line" }

func (lineFormat) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !dsn.IsDaemonSender(m.Header) {
		return nil, false
	}
	for _, line := range strings.Split(m.BodyText(), "\n") {
		if rest, ok := strings.CutPrefix(line, "undeliverable to "); ok {
			return &dsn.Report{Recipients: []dsn.Recipient{{
				Recipient: dsn.FindAddress(rest), Action: dsn.ActionFailed, Diagnostic: rest,
			}}}, true
		}
	}
	return nil, false
}

func ExampleRegister() {
	dsn.Register(dsn.OrderFallback-1, lineFormat{})
	r, _ := dsn.Parse([]byte("From: Mailer-Daemon@example.org\n\nundeliverable to <x@example.net>: 550 5.1.1 no such user\n"), nil)
	fmt.Println(r.Kind, r.Format, r.Recipients[0].Recipient, r.Recipients[0].Status)
	// Output: failure example-line x@example.net 5.1.1
}
