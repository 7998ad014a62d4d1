package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestExchangeCorpus(t *testing.T) {
	pvCheckFamily(t, []string{"exchange", "rfc3464"}, nil, "lhost-office365-", "lhost-exchange2007-")
	pvCheckFamily(t, nil, nil, "rhost-microsoft-", "rhost-outlook-", "lhost-outlook-")
}

// TestExchangeReplies covers the reply forms and the QUEUE.Expired quirk.
func TestExchangeReplies(t *testing.T) {
	cases := []struct {
		name    string
		replies []string
		want    string
	}{
		{"single", []string{"550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"}, "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"},
		{"expired then remote", []string{"550 4.4.7 QUEUE.Expired; message expired", "441 4.4.1 Error encountered while communicating"}, "441 4.4.1 Error encountered while communicating"},
		{"only expired", []string{"550 4.4.7 QUEUE.Expired; message expired"}, "550 4.4.7 QUEUE.Expired; message expired"},
		{"none", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := exchReply(c.replies); got != c.want {
				t.Errorf("exchReply = %q, want %q", got, c.want)
			}
		})
	}
}

// TestExchangeTextOnly reads a report without delivery-status part, with
// the "#550 ... ##" reply form.
func TestExchangeTextOnly(t *testing.T) {
	raw := "From: postmaster@example.com\nSubject: Undeliverable: hi\nX-MS-Exchange-Message-Is-Ndr:\n\n" +
		"Delivery has failed to these recipients or groups:\n\na@example.com\nThe e-mail address you entered couldn't be found.\n\n" +
		"Diagnostic information for administrators:\n\nGenerating server: mx.example.com\n\na@example.com\n#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##\n\nOriginal message headers:\n\nTo: a@example.com\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "exchange" || len(r.Recipients) != 1 {
		t.Fatalf("format %q recipients %d", r.Format, len(r.Recipients))
	}
	rc := r.Recipients[0]
	if rc.Status != "5.1.1" || rc.ReplyCode != "550" || rc.Reason != "userunknown" || rc.RemoteMTA != "mx.example.com" {
		t.Errorf("got %+v", rc)
	}
}
