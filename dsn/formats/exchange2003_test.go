package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestExchange2003Corpus(t *testing.T) {
	pvCheckFamily(t, []string{"exchange2003"}, nil, "lhost-exchange2003-")
}

// TestExchange2003Codes: Exchange's error code decides the reason; several
// recipients are read.
func TestExchange2003Codes(t *testing.T) {
	raw := "From: System Administrator <postmaster@example.com>\nSubject: Undeliverable: x\nX-Mailer: Internet Mail Service (5.5.2653.19)\n\n" +
		"Your message\n\n  To:      a@example.com\n  Subject: x\n\ndid not reach the following recipient(s):\n\n" +
		"a@example.com on Thu, 9 May 2005 23:34:45 +0900\n    The recipient name is not recognized\n    MSEXCH:IMS:ORG:SITE:SRV 0 (000C05A6) Unknown Recipient\n" +
		"b@example.com on Thu, 9 May 2005 23:34:45 +0900\n    Ambiguous\n    MSEXCH:IMS:ORG:SITE:SRV 0 (000C0595) Ambiguous Recipient\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "exchange2003" || len(r.Recipients) != 2 {
		t.Fatalf("format %q recipients %d", r.Format, len(r.Recipients))
	}
	for i, want := range []string{"userunknown", "filtered"} {
		if got := r.Recipients[i].Reason; got != want {
			t.Errorf("recipient %d reason %q, want %q", i, got, want)
		}
	}
}
