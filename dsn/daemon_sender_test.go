package dsn

import "testing"

// TestDaemonSenders: the From spellings of mail systems, and people.
func TestDaemonSenders(t *testing.T) {
	tests := []struct {
		from string
		want bool
	}{
		{"MAILER-DAEMON@example.com", true},
		{"Mailer_Daemon <mailer_daemon@example.com>", true},
		{"mail-daemon@example.com", true},
		{"Mail Delivery Agent <mda@example.com>", true},
		{"System Administrator <postmaster@example.com>", true},
		{"Daemon Tools Support <support@example.com>", false},
		{"Alice <alice@example.com>", false},
	}
	for _, tt := range tests {
		t.Run(tt.from, func(t *testing.T) {
			if got := IsDaemonSender(ParseHeaderText("From: " + tt.from + "\n")); got != tt.want {
				t.Errorf("IsDaemonSender = %v", got)
			}
		})
	}
}
