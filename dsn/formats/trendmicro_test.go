package formats

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// TestTrendMicroSamples: the corpus's InterScan notices have no reference
// rows; check the fields the layout states.
func TestTrendMicroSamples(t *testing.T) {
	cases := []struct {
		file, rcpt, command, diag string
	}{
		{"lhost-trendmicro-01.eml", "kijitora@example.co.jp", "RCPT", "550 5.1.1 <kijitora@example.co.jp>... user unknown"},
		{"lhost-trendmicro-02.eml", "kijitora@neko.example.jp", "",
			"Unable to deliver message to <kijitora@neko.example.jp> (and other recipients in the same domain). Please check if address is correct."},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(pvCorpus, "bounces", c.file))
			if err != nil {
				t.Fatal(err)
			}
			r, err := dsn.Parse(raw, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "trendmicro" || len(r.Recipients) != 1 {
				t.Fatalf("format %q recipients %d", r.Format, len(r.Recipients))
			}
			if rc := r.Recipients[0]; rc.Recipient != c.rcpt || rc.Command != c.command || rc.Diagnostic != c.diag {
				t.Errorf("got %q %q %q", rc.Recipient, rc.Command, rc.Diagnostic)
			}
		})
	}
}
