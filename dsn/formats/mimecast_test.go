package formats

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestMimecastCorpus(t *testing.T) {
	pvCheckFamily(t, nil, nil, "lhost-mimecast-", "rhost-mimecast-")
}

// TestMimecastAlert reads the text alert (no reference row in the corpus):
// the additional information is the diagnostic, wrapped lines joined.
func TestMimecastAlert(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(pvCorpus, "bounces", "lhost-mimecast-01.eml"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := dsn.Parse(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "mimecast" || len(r.Recipients) != 1 {
		t.Fatalf("format %q recipients %d", r.Format, len(r.Recipients))
	}
	rc := r.Recipients[0]
	const want = "5.4.1 Recipient address rejected: Access denied. [QQQQQQE00000000.jpnprd01.prod.outlook.com 2024-02-19T09:30:25.255Z FFFFFFFFFFEEEEEE]"
	if rc.Recipient != "sabineko@neko.ef.example.org" || rc.Diagnostic != want || rc.Status != "5.4.1" {
		t.Errorf("got %q %q %q", rc.Recipient, rc.Status, rc.Diagnostic)
	}
}
