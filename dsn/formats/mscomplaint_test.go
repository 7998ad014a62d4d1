package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// msComplaintMessage builds a Microsoft complaint report around a reported
// message with the given extra header lines.
func msComplaintMessage(subject, inner string) []byte {
	return []byte("From: staff@hotmail.example\nTo: abuse@example.com\nSubject: " + subject + "\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"CC\"\n\n" +
		"--CC\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n" + inner +
		"From: Sender <sender@example.com>\nTo: tama@example.net\nSubject: Hello\n\nHello\n--CC--\n")
}

func TestMicrosoftComplaint(t *testing.T) {
	tests := []struct {
		name, subject, inner string
		wantKind             dsn.Kind
		wantRcpt             string
	}{
		{"complaint", "complaint about message from 198.51.100.7", "X-HmXmrOriginalRecipient: tama@example.net\n", dsn.KindFeedback, "tama@example.net"},
		{"masked address", "complaint about message from 198.51.100.xxx", "X-HmXmrOriginalRecipient: tama@example.net\n", dsn.KindFeedback, "tama@example.net"},
		{"no recipient field", "complaint about message from 198.51.100.7", "", dsn.KindNone, ""},
		{"ordinary forward", "Fwd: complaint about message from my neighbour", "X-HmXmrOriginalRecipient: tama@example.net\n", dsn.KindNone, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := dsn.Parse(msComplaintMessage(tt.subject, tt.inner), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != tt.wantKind {
				t.Fatalf("kind %q (format %q), want %q", r.Kind, r.Format, tt.wantKind)
			}
			if tt.wantRcpt == "" {
				return
			}
			if len(r.Recipients) != 1 || r.Recipients[0].Recipient != tt.wantRcpt || r.Recipients[0].Reason != dsn.ReasonFeedback || r.FeedbackType != "abuse" {
				t.Errorf("got %+v, feedback type %q", r.Recipients, r.FeedbackType)
			}
		})
	}
}
