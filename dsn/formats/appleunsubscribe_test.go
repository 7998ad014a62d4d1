package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestAppleUnsubscribe(t *testing.T) {
	tests := []struct {
		name, header string
		want         dsn.Kind
	}{
		{"unsubscribe request", "X-Apple-Unsubscribe: true\nAuto-Submitted: auto-replied\n", dsn.KindFeedback},
		{"plain auto-reply", "Auto-Submitted: auto-replied\n", dsn.KindAutoReply},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := "From: tama@icloud.example\nTo: opt-out-12345@lists.example.org\nSubject: unsubscribe\n" + tt.header +
				"Content-Type: text/plain\n\nApple Mail sent this email to unsubscribe from the message \"News\".\n"
			r, err := dsn.Parse([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != tt.want {
				t.Fatalf("kind %q (format %q), want %q", r.Kind, r.Format, tt.want)
			}
			if tt.want == dsn.KindFeedback && (len(r.Recipients) != 1 || r.Recipients[0].Recipient != "tama@icloud.example" || r.FeedbackType != "opt-out" || r.Recipients[0].Reason != dsn.ReasonFeedback) {
				t.Errorf("got %+v, feedback type %q", r.Recipients, r.FeedbackType)
			}
		})
	}
}
