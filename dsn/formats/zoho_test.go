package formats

import "testing"

func TestZohoCorpus(t *testing.T) {
	pvCheckFamily(t, []string{"zoho", "rfc3464"}, nil, "lhost-zoho-", "rhost-zoho-")
}

func TestZohoLines(t *testing.T) {
	cases := []struct {
		line, rcpt, reply, diag string
	}{
		{"a@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :Requested action not taken: mailbox unavailable",
			"a@example.org", "550", "550 Requested action not taken: mailbox unavailable"},
		{"a@example.jp Error, ERROR_CODE :421, ERROR_CODE :, Host not reachable.", "a@example.jp", "421", "421 Host not reachable."},
		{"[Status: Error, Address: <a@example.jp>, ResponseCode 421, , Host not reachable.]", "a@example.jp", "421", "421 Host not reachable."},
	}
	for _, c := range cases {
		t.Run(c.line, func(t *testing.T) {
			rc, ok := zohoRecipient(c.line, false)
			if !ok || rc.Recipient != c.rcpt || rc.ReplyCode != c.reply || rc.Diagnostic != c.diag {
				t.Errorf("got ok=%v %q %q %q", ok, rc.Recipient, rc.ReplyCode, rc.Diagnostic)
			}
		})
	}
	if _, ok := zohoRecipient("Thanks for your message, see you", false); ok {
		t.Error("read an ordinary line as a recipient")
	}
}
