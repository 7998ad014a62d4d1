package annotate

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestBareCR: the CR-only version of every corpus message is annotated
// exactly as its LF version, with CR line endings: the block lands in the
// same part, the header fields and the milter edits end their lines with
// CR, no LF appears, and a second run changes nothing.
func TestBareCR(t *testing.T) {
	annotated := 0
	for _, f := range corpusFiles(t) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
		lf := bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
		cr := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r"))
		want, errLF := Annotate(lf, Options{Lang: LangEN})
		got, errCR := Annotate(cr, Options{Lang: LangEN})
		if (errLF == nil) != (errCR == nil) {
			t.Errorf("%s: LF error %v, CR error %v", name, errLF, errCR)
			continue
		}
		if !want.Changed {
			if got.Changed || !bytes.Equal(got.Output, cr) {
				t.Errorf("%s: CR version changed, LF version not", name)
			}
			continue
		}
		annotated++
		if !bytes.Equal(got.Output, toCR(want.Output)) {
			t.Errorf("%s: CR output is not the LF output with CR endings:\n%s", name, diffHint(toCR(want.Output), got.Output))
		}
		if bytes.IndexByte(got.Output, '\n') >= 0 {
			t.Errorf("%s: LF in the CR output", name)
		}
		if got.BodyParts != want.BodyParts || !bytes.Equal(got.Body, toCR(want.Body)) {
			t.Errorf("%s: milter body differs", name)
		}
		for i, f := range got.AddHeaders {
			if f.Value != string(toCR([]byte(want.AddHeaders[i].Value))) {
				t.Errorf("%s: %s value %q", name, f.Name, f.Value)
			}
		}
		again, err := Annotate(got.Output, Options{Lang: LangEN})
		if err != nil || !bytes.Equal(again.Output, got.Output) {
			t.Errorf("%s: not idempotent (err %v)", name, err)
		}
	}
	if annotated < 300 {
		t.Errorf("only %d CR messages annotated", annotated)
	}
}

func toCR(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r")) }

// TestMixedBareCR: a message whose first line ends with a bare CR but that
// also has LF endings is left byte-identical, with ErrLineEndings.
func TestMixedBareCR(t *testing.T) {
	raw := bytes.ReplaceAll(dsnMessage("a@example.com", "550 5.1.1 unknown user"), []byte("\r\n"), []byte("\n"))
	raw = append([]byte("Return-Path: <>\r"), raw...)
	res, err := Annotate(raw, Options{})
	if !errors.Is(err, ErrLineEndings) {
		t.Errorf("error %v, want ErrLineEndings", err)
	}
	if res.Changed || !bytes.Equal(res.Output, raw) {
		t.Errorf("message changed")
	}
}
