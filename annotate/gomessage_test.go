package annotate

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decoders for non-UTF-8 parts
)

// mimeShape walks raw with an independent MIME reader (go-message) and
// returns one line per entity: depth, media type and decoded body length
// for leaves. The error is the reader's first complaint.
func mimeShape(raw []byte) (string, error) {
	e, err := message.Read(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
		return "", err
	}
	var sb strings.Builder
	err = e.Walk(func(path []int, ent *message.Entity, err error) error {
		if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
			return err
		}
		mt, _, _ := ent.Header.ContentType()
		fmt.Fprintf(&sb, "%d %s\n", len(path), mt)
		if !strings.HasPrefix(mt, "multipart/") {
			_, _ = io.Copy(io.Discard, ent.Body)
		}
		return nil
	})
	return sb.String(), err
}

// TestIndependentReader checks with go-message that annotated corpus
// bounces keep their MIME structure: where the reader understands the
// input, it understands the output and finds the same tree.
func TestIndependentReader(t *testing.T) {
	checked := 0
	for _, f := range corpusFiles(t) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.HasPrefix(raw, []byte("From ")) {
			raw = raw[mboxLineEnd(raw):] // go-message does not read mbox lines
		}
		res, err := Annotate(raw, Options{Lang: LangZH})
		if err != nil || !res.Changed {
			continue
		}
		want, err := mimeShape(raw)
		if err != nil {
			continue // the independent reader cannot read the input either
		}
		got, err := mimeShape(res.Output)
		if err != nil {
			t.Errorf("%s: go-message cannot read the output: %v", f, err)
			continue
		}
		if got != want {
			t.Errorf("%s: MIME tree changed:\n%s\nvs\n%s", f, want, got)
		}
		checked++
	}
	t.Logf("%d annotated bounces read the same by go-message", checked)
	if checked < 200 {
		t.Errorf("only %d bounces checked", checked)
	}
}
