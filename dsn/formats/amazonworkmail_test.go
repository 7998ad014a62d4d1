package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestAmazonWorkMailCorpus(t *testing.T) {
	pvCheckFamily(t, []string{"amazonworkmail"}, nil, "lhost-amazonworkmail-")
}

// TestAmazonWorkMailLastReply: the bracketed remote reply wins over
// WorkMail's own code; without it the report's codes stay.
func TestAmazonWorkMailLastReply(t *testing.T) {
	cases := []struct{ diag, status, reply string }{
		{"554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>", "4.4.2", "421"},
		{"550 5.1.1 <u@example.org>... User Unknown", "5.1.1", "550"},
	}
	for _, c := range cases {
		t.Run(c.diag, func(t *testing.T) {
			raw := "From: MAILER-DAEMON@us-west-2.amazonses.com\nX-Mailer: Amazon WorkMail\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nfailed\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dsn; a.amazonses.com\n\nFinal-Recipient: rfc822; u@example.org\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; " + c.diag + "\n--b--\n"
			r, err := dsn.Parse([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "amazonworkmail" || len(r.Recipients) != 1 {
				t.Fatalf("format %q recipients %d", r.Format, len(r.Recipients))
			}
			if rc := r.Recipients[0]; rc.Status != c.status || rc.ReplyCode != c.reply {
				t.Errorf("status %q reply %q, want %q %q", rc.Status, rc.ReplyCode, c.status, c.reply)
			}
		})
	}
}
