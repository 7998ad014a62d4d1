package dsn

import "testing"

// TestAutoReplySubjects: the subjects autoresponders write without any
// RFC 3834 field, and subjects of people that must stay ordinary mail.
func TestAutoReplySubjects(t *testing.T) {
	tests := []struct {
		header  string // extra header lines
		subject string
		want    bool
	}{
		{"", "[Auto-Reply] hello", true},
		{"", "Yahoo! Auto Response", true},
		{"", "Automatic reply: Quarterly figures", true},
		{"", "Out of Office: hello", true},
		{"Precedence: junk\n", "[Automatyczna odpowiedź] test", true},
		{"", "Automatisk svar: Møte", true},
		{"", "Автоответ: Re: счёт", true},
		{"Precedence: bulk\n", "I am away until Monday", true},
		{"Return-Path: <>\n", "I'm on vacation", true},
		{"X-Auto-Response-Suppress: All\n", "Thank you for your email.", true},
		{"X-Mailer: vacation/1.2\n", "Absence", true},
		// People write these too: without another sign they are ordinary mail.
		{"", "I am away until Monday", false},
		{"", "Vacation photos", false},
		{"", "Absence request for Friday", false},
		{"", "Thank you for your email.", false},
		{"", "Thank you for your email about the meeting", false},
		{"", "I am writing about the office move", false},
		{"", "Re: auto parts order", false},
	}
	for _, tt := range tests {
		t.Run(tt.header+tt.subject, func(t *testing.T) {
			h := ParseHeaderText("From: bob@example.com\n" + tt.header + "Subject: " + tt.subject + "\n")
			if got := IsAutoReply(h); got != tt.want {
				t.Errorf("IsAutoReply = %v", got)
			}
		})
	}
}
