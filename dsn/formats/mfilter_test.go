package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestMFilterCorpus(t *testing.T) {
	pvCheckFamily(t, []string{"mfilter"}, nil, "lhost-mfilter-")
}

// TestMFilterSections: several recipients share the server message and the
// command; without X-Mailer: m-FILTER the layout is not read.
func TestMFilterSections(t *testing.T) {
	const body = "\na@example.com\nb@example.com\n\n-------server message\n550 5.1.1 unknown user\n\n-------SMTP command\nRCPT\n\n-------original message\nTo: a@example.com\n"
	r, err := dsn.Parse([]byte("From: POSTMASTER <postmaster@example.com>\nX-Mailer: m-FILTER\nSubject: failure notice\n"+body), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "mfilter" || len(r.Recipients) != 2 {
		t.Fatalf("format %q recipients %d", r.Format, len(r.Recipients))
	}
	for _, rc := range r.Recipients {
		if rc.Command != "RCPT" || rc.ReplyCode != "550" || rc.Status != "5.1.1" {
			t.Errorf("%s: command %q reply %q status %q", rc.Recipient, rc.Command, rc.ReplyCode, rc.Status)
		}
	}
	r, err = dsn.Parse([]byte("From: postmaster <postmaster@example.co.jp>\nX-Mailer: local-mailhub\nSubject: failure notice\n"+body), nil)
	if err != nil || r.Format != "mfilter" {
		t.Errorf("relayed notice (X-Mailer rewritten): format %q err %v", r.Format, err)
	}
	m, err := dsn.NewMessage([]byte("From: someone@example.com\nSubject: failure notice\n"+body), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := (mFilter{}).Parse(m); ok {
		t.Error("accepted without the m-FILTER mark")
	}
}
