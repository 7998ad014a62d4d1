package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestMXLogicCorpus(t *testing.T) {
	pvCheckFamily(t, []string{"mxlogic"}, nil, "lhost-mxlogic-")
}

// TestMXLogicLayouts: the reply on the address line, or on indented lines
// below it; only notices with MX Logic's marks are read.
func TestMXLogicLayouts(t *testing.T) {
	const intro = "This message was created automatically by mail delivery software.\n\nA message that you have sent could not be delivered to one or more\nrecipients.  This is a permanent error.  The following address failed:\n\n"
	cases := []struct {
		name, header, body string
		ok                 bool
		remote, diag       string
	}{
		{"same line", "X-MX-Bounce: mta/src/queue/bounce\n", "  <a@example.jp>: 550 5.1.1 <a@example.jp>: User unknown\n", true, "", "550 5.1.1 <a@example.jp>: User unknown"},
		{"below", "Message-Id: <mxl~1.2@mxl8.example.net>\n", "  a@example.jp\n    SMTP error from remote mail server after RCPT TO:<a@example.jp>:\n    host mx.example.jp [192.0.2.1]: 550 5.1.1 unknown\n", true,
			"mx.example.jp", "SMTP error from remote mail server after RCPT TO:<a@example.jp>: host mx.example.jp [192.0.2.1]: 550 5.1.1 unknown"},
		{"no mark", "", "  <a@example.jp>: 550 5.1.1 unknown\n", false, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := "From: Mail Delivery System <MAILER-DAEMON@mxl8.example.net>\nSubject: Mail delivery failed\n" + c.header + "\n" + intro + c.body + "\nIncluded is a copy of the message header:\n-----\nTo: a@example.jp\n"
			m, err := dsn.NewMessage([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			r, ok := (mxLogic{}).Parse(m)
			if ok != c.ok {
				t.Fatalf("ok=%v, want %v", ok, c.ok)
			}
			if !ok {
				return
			}
			if len(r.Recipients) != 1 || r.Recipients[0].Diagnostic != c.diag || r.Recipients[0].RemoteMTA != c.remote {
				t.Errorf("got %+v", r.Recipients)
			}
		})
	}
}
