package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestEZwebCorpus(t *testing.T) {
	pvCheckFamily(t, []string{"ezweb"}, nil, "lhost-ezweb-")
}

// TestEZwebLayouts covers the transcript layout, EZweb's own sentences and
// the spam-filter header.
func TestEZwebLayouts(t *testing.T) {
	const head = "From: Postmaster@ezweb.ne.jp\nSubject: Mail System Error - Returned Mail\n"
	cases := []struct {
		name, extra, body string
		reason, command   string
	}{
		{"transcript", "", "Each of the following recipients was rejected by a remote\nmail server.\n\n    Recipient: <a@ezweb.ne.jp>\n    >>> RCPT TO:<a@ezweb.ne.jp>\n    <<< 550 <a@ezweb.ne.jp>: User unknown\n",
			"userunknown", "RCPT"},
		{"over quota", "", "The user(s) account is temporarily over quota.\n\n<a@ezweb.ne.jp>\n", "mailboxfull", ""},
		{"disabled", "", "The user(s) account is disabled.\n\n<a@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)\n", "suspend", "RCPT"},
		{"spam filter", "X-SPASIGN: NG\n", "<a@ezweb.ne.jp>\n\nEach of the following recipients was rejected by a remote mail server.\n", "filtered", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := dsn.Parse([]byte(head+c.extra+"\n"+c.body), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "ezweb" || len(r.Recipients) != 1 {
				t.Fatalf("format %q recipients %d", r.Format, len(r.Recipients))
			}
			if rc := r.Recipients[0]; rc.Reason != c.reason || rc.Command != c.command || rc.Recipient != "a@ezweb.ne.jp" {
				t.Errorf("got %s reason %q command %q", rc.Recipient, rc.Reason, rc.Command)
			}
		})
	}
}

// TestEZwebNeedsTwoMarks: one EZweb telltale alone is not enough.
func TestEZwebNeedsTwoMarks(t *testing.T) {
	raw := "From: friend@example.jp\nSubject: Mail System Error - Returned Mail\n\n<a@ezweb.ne.jp>\nThe user(s) account is disabled.\n"
	m, err := dsn.NewMessage([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := (ezweb{}).Parse(m); ok {
		t.Error("accepted a message with one EZweb mark")
	}
}
