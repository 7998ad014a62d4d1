package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestAmazonSESCorpus(t *testing.T) {
	pvCheckFamily(t, []string{"amazonses", "rfc3464"}, nil, "lhost-amazonses-", "lhost-receivingses-")
}

// TestAmazonSESNotifications covers the three notification types, the SNS
// envelope and SNS's "!" line folding.
func TestAmazonSESNotifications(t *testing.T) {
	const head = "From: AWS Notifications <no-reply@sns.amazonaws.com>\nSubject: AWS Notification Message\nx-amz-sns-message-id: 1\n\n"
	cases := []struct {
		name, body string
		kind       dsn.Kind
		rcpt       string
		status     string
		reason     string
	}{
		{"bounce in envelope with fold",
			`{"Type" : "Notification", "Message" : "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\",\"bouncedRecipients\":[{\"emailAddress\":\"u@exa!` + "\n " + `mple.com\",\"action\":\"failed\",\"status\":\"5.1.1\",\"diagnosticCode\":\"smtp; 550 5.1.1 user unknown\"}]}}"}`,
			dsn.KindFailure, "u@example.com", "5.1.1", "userunknown"},
		{"bare complaint",
			`{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"c@example.com"}],"complaintFeedbackType":"abuse"}}`,
			dsn.KindFeedback, "c@example.com", "", "feedback"},
		{"delivery",
			`{"notificationType":"Delivery","delivery":{"recipients":["d@example.com"],"smtpResponse":"250 2.6.0 Message received"}}` + "\n\n--\nIf you wish to stop receiving notifications from this topic, visit https://sns.example/unsubscribe\n",
			dsn.KindSuccess, "d@example.com", "2.6.0", "delivered"},
		{"subtype without diagnostic",
			`{"notificationType":"Bounce","bounce":{"bounceType":"Transient","bounceSubType":"MailboxFull","bouncedRecipients":[{"emailAddress":"f@example.com"}]}}`,
			dsn.KindFailure, "f@example.com", "", "mailboxfull"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := dsn.Parse([]byte(head+c.body), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "amazonses" || r.Kind != c.kind || len(r.Recipients) != 1 {
				t.Fatalf("format %q kind %q recipients %d", r.Format, r.Kind, len(r.Recipients))
			}
			rc := r.Recipients[0]
			if rc.Recipient != c.rcpt || (c.status != "" && rc.Status != c.status) || rc.Reason != c.reason {
				t.Errorf("got %s status %q reason %q", rc.Recipient, rc.Status, rc.Reason)
			}
		})
	}
}

// TestAmazonSESNeedsSNSHeader: JSON in a message that SNS did not send is
// not read, nor is broken JSON.
func TestAmazonSESNeedsSNSHeader(t *testing.T) {
	cases := map[string]string{
		"no header":   "From: a@example.com\n\n{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[{\"emailAddress\":\"u@example.com\"}]}}",
		"broken json": "x-amz-sns-message-id: 1\n\n{\"notificationType\":\"Bounce\",",
		"no json":     "x-amz-sns-message-id: 1\n\nhello",
	}
	for name, raw := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := dsn.NewMessage([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := (amazonSES{}).Parse(m); ok {
				t.Error("accepted")
			}
		})
	}
}
