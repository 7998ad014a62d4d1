package formats_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/testmsg"
)

// sendmailStatusBounce is a Sendmail bounce for n recipients whose
// delivery-status fields are in a message/delivery-status part, or, when
// inline is set, written into its text (the two ways the sendmail format
// reads them itself, before the RFC 3464 reader).
func sendmailStatusBounce(n int, inline bool) []byte {
	var b strings.Builder
	b.WriteString("From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\nSubject: Returned mail: see transcript for details\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"BB\"\n\n" +
		"--BB\nContent-Type: text/plain\n\n   ----- The following addresses had permanent fatal errors -----\n<user1@example.net>\n\n")
	if !inline {
		b.WriteString("--BB\nContent-Type: message/delivery-status\n\n")
	}
	b.WriteString("Reporting-MTA: dns; mx.example.org\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "\nFinal-Recipient: rfc822; user%d@example.net\nAction: failed\nStatus: 5.1.1\n", i)
	}
	b.WriteString("--BB--\n")
	return []byte(b.String())
}

// TestFormatRecipientLimitStopsEarly: a format that reads delivery-status
// fields itself stops, as the RFC 3464 reader does, once the report is over
// Limits.MaxRecipients: 100,000 recipients cost no more allocations than
// 2,000, and the report is refused.
func TestFormatRecipientLimitStopsEarly(t *testing.T) {
	for _, inline := range []bool{false, true} {
		t.Run(fmt.Sprintf("inline=%v", inline), func(t *testing.T) {
			r, err := dsn.Parse(sendmailStatusBounce(dsn.DefaultMaxRecipients, inline), nil)
			if err != nil {
				t.Fatalf("%d recipients: %v", dsn.DefaultMaxRecipients, err)
			}
			if r.Format != "sendmail" || len(r.Recipients) != dsn.DefaultMaxRecipients {
				t.Fatalf("%d recipients: format %q, %d recipients; want sendmail, all of them", dsn.DefaultMaxRecipients, r.Format, len(r.Recipients))
			}
			testmsg.StopsEarly(t, func(n int) []byte { return sendmailStatusBounce(n, inline) },
				func(raw []byte) error { _, err := dsn.Parse(raw, nil); return err }, dsn.ErrLimit)
		})
	}
}
