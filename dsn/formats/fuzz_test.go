package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// FuzzTextFormats feeds arbitrary messages to every registered format and
// through Parse: no panic, no recipient without an address, no kind
// outside the known set. Seeds: testdata/fuzz.
func FuzzTextFormats(f *testing.F) {
	f.Add([]byte("From: MAILER-DAEMON\nSubject: failure notice\n\nHi. This is the qmail-send program at x.\n<a@b.c>:\nx\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := dsn.NewMessage(raw, nil)
		if err != nil {
			return
		}
		// every format sees the input, not only those before the one
		// that claims it
		for _, f := range dsn.Formats() {
			f.Parse(m)
		}
		r, err := dsn.ParseMessage(m)
		if err != nil {
			return
		}
		switch r.Kind {
		case dsn.KindFailure, dsn.KindDelay, dsn.KindSuccess, dsn.KindAutoReply, dsn.KindFeedback, dsn.KindNone:
		default:
			t.Fatalf("unknown kind %q", r.Kind)
		}
		for _, rc := range r.Recipients {
			if r.Kind != dsn.KindNone && rc.Recipient == "" && r.Format != "rfc3464" && r.Format != "rfc3834" && r.Format != "arf" {
				t.Fatalf("%s: recipient without address", r.Format)
			}
		}
	})
}
