package annotate

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/entity"
)

// scan reads raw's MIME tree as Annotate does, with the default limits.
func scan(raw []byte) (*entity.Entity, error) {
	t, err := dsn.ReadTree(raw, nil)
	if t == nil {
		return nil, err
	}
	return t.Root, err
}

// mboxLineEnd returns the offset after a leading mbox "From " line, or 0.
func mboxLineEnd(raw []byte) int {
	if !bytes.HasPrefix(raw, []byte("From ")) {
		return 0
	}
	if i := bytes.IndexByte(raw, '\n'); i >= 0 {
		return i + 1
	}
	return 0
}

// TestUndecodablePartLeftAlone: lhost-office365-08's text/html part is
// declared quoted-printable, but its header runs into its body and the
// body starts with header lines ending in "==", which are no
// quoted-printable: the part is left byte for byte, and the block goes
// into the text/plain alternative only.
func TestUndecodablePartLeftAlone(t *testing.T) {
	raw, err := os.ReadFile("../testdata/corpus/sisimai/bounces/lhost-office365-08.eml")
	if err != nil {
		t.Fatal(err)
	}
	root, err := scan(raw)
	if err != nil {
		t.Fatal(err)
	}
	var html *entity.Entity
	for _, p := range findTargets(root) {
		if textType(p) == "text/html" {
			html = p
		}
	}
	if html == nil {
		t.Fatal("no text/html target")
	}
	if _, err = entity.Decode(html.Header, html.Body()); !errors.Is(err, entity.ErrEncoding) {
		t.Fatalf("html part decodes (error %v): sample changed", err)
	}
	res, err := Annotate(raw, Options{Lang: LangEN})
	if err != nil || res.BodyParts != 1 {
		t.Fatalf("%d block(s), error %v", res.BodyParts, err)
	}
	if !bytes.Contains(res.Output, raw[html.Start:html.End]) {
		t.Error("text/html part changed")
	}
}
