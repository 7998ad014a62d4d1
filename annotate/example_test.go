package annotate_test

import (
	"fmt"

	"github.com/bouncenote/bouncenote/annotate"
)

func ExampleAnnotate() {
	raw := []byte("From: MAILER-DAEMON@mx.example.org\r\n" +
		"To: sender@example.org\r\n" +
		"Subject: Undelivered Mail Returned to Sender\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n" +
		"\r\n--B\r\n" +
		"Content-Type: text/plain; charset=us-ascii\r\n\r\n" +
		"Your message could not be delivered.\r\n" +
		"--B\r\n" +
		"Content-Type: message/delivery-status\r\n\r\n" +
		"Reporting-MTA: dns; mx.example.org\r\n\r\n" +
		"Final-Recipient: rfc822; nobody@example.com\r\n" +
		"Action: failed\r\n" +
		"Status: 5.1.1\r\n" +
		"Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.com>: Recipient address rejected\r\n" +
		"\r\n--B--\r\n")
	res, err := annotate.Annotate(raw, annotate.Options{Lang: "en"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Report.Kind, res.Changed, res.BodyParts)
	fmt.Println(res.AddHeaders[1].Name+":", res.AddHeaders[1].Value)
	// Output:
	// failure true 1
	// X-Bounce-Status: 5.1.1 (reply 550)
}
