package dsn

import "testing"

// TestAutoReplySubjects: the subjects autoresponders write without any
// RFC 3834 field, and subjects of people that must stay ordinary mail.
func TestAutoReplySubjects(t *testing.T) {
	tests := []struct {
		subject string
		want    bool
	}{
		{"[Auto-Reply] hello", true},
		{"Yahoo! Auto Response", true},
		{"I am away until Monday", true},
		{"I'm on vacation", true},
		{"Thank you for your email.", true},
		{"Out of Office: hello", true},
		{"Thank you for your email about the meeting", false},
		{"I am writing about the office move", false},
		{"Re: auto parts order", false},
	}
	for _, tt := range tests {
		t.Run(tt.subject, func(t *testing.T) {
			h := ParseHeaderText("From: bob@example.com\nSubject: " + tt.subject + "\n")
			if got := IsAutoReply(h); got != tt.want {
				t.Errorf("IsAutoReply = %v", got)
			}
		})
	}
}
