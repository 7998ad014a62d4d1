package catalog

import (
	"strings"
	"testing"
)

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
		{"clean already", "550 5.1.1 <bob@example.net>: User unknown (in reply to RCPT TO command)", "550 5.1.1 <bob@example.net>: User unknown (in reply to RCPT TO command)"},
		{"code again", "550 5.7.1 rejected 550 5.7.1 policy", "550 5.7.1 rejected policy"},
		{"other code after", "550 5.7.1 rejected 554 5.7.1 policy", "550 5.7.1 rejected 554 5.7.1 policy"},
		{"code no status first", "550 rejected 550 5.7.1 policy", "550 rejected 550 5.7.1 policy"},
		{"tab", "550 5.1.1\tunknown", "550 5.1.1 unknown"},
		{"no-break space", "550 5.1.1\u00a0unknown", "550 5.1.1 unknown"},
		{"trailing space", "550 unknown ", "550 unknown"},
		{"continuation", "550-5.1.1 a", "550 5.1.1 a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanReply(tt.in); got != tt.want {
				t.Errorf("CleanReply(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if got := cleanWords(tt.in); got != tt.want {
				t.Errorf("cleanWords(%q)\n got %q\nwant %q", tt.in, got, tt.want)
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
		if slow := cleanWords(s); once != slow {
			t.Errorf("CleanReply(%q) = %q, word by word %q", s, once, slow)
		}
		for _, w := range strings.Fields(s) {
			_, st := parseStatus(w, false)
			_, rp := parseReply(w, false)
			if IsStatusCode(w) != st || IsReplyCode(w) != rp {
				t.Errorf("%q: IsStatusCode %v, parseStatus %v; IsReplyCode %v, parseReply %v", w, IsStatusCode(w), st, IsReplyCode(w), rp)
			}
		}
		if twice := CleanReply(once); twice != once {
			t.Errorf("not idempotent: %q -> %q -> %q", s, once, twice)
		}
		if len(once) > len(s)+len(" ") {
			t.Errorf("grew: %q -> %q", s, once)
		}
	})
}

// TestIsCodeSameAsParse: IsStatusCode and IsReplyCode, which CleanReply
// asks of every word, say what parseStatus and parseReply say.
func TestIsCodeSameAsParse(t *testing.T) {
	for _, s := range []string{"5.1.1", " 5.1.1 ", "4.7.0", "2.0.0", "5.1.10", "5.123.456", "5.1234.1", "5.1.", "5..1",
		"5.1", "5.1.1.1", "3.1.1", "55.1.1", "x.1.1", "5.x.1", "5.1.a", "", "5", "5.1.1\t", "\u00a05.1.1", "550", " 550",
		"550-", "250", "199", "600", "5a0", "55", "5500", "word", "5.1.1;", "5.1.1:"} {
		t.Run(s, func(t *testing.T) {
			_, st := parseStatus(s, false)
			_, rp := parseReply(s, false)
			if IsStatusCode(s) != st || IsReplyCode(s) != rp {
				t.Errorf("IsStatusCode %v (parseStatus %v), IsReplyCode %v (parseReply %v)", IsStatusCode(s), st, IsReplyCode(s), rp)
			}
		})
	}
}
