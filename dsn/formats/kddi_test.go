package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestKDDICorpus(t *testing.T) {
	pvCheckFamily(t, []string{"kddi"}, nil, "lhost-kddi-")
}

func TestKDDISentences(t *testing.T) {
	cases := []struct{ sentence, reason string }{
		{"As their mailbox is full.", "mailboxfull"},
		{"As the remote domain doesnt exist.", "hostunknown"},
		{"Due to the following SMTP relay error", "norelaying"},
	}
	for _, c := range cases {
		t.Run(c.sentence, func(t *testing.T) {
			raw := "From: no-reply@x0.dion.ne.jp\nSubject: Mail\n\nYour mail sent on: Thu, 29 Apr 2013 23:45:22 +0900\n     Could not be delivered to: <a@x0.dion.ne.jp>\n     " + c.sentence + "\n"
			r, err := dsn.Parse([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "kddi" || len(r.Recipients) != 1 || r.Recipients[0].Reason != c.reason {
				t.Fatalf("format %q %+v", r.Format, r.Recipients)
			}
		})
	}
}
