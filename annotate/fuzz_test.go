package annotate

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// FuzzAnnotate: any input gives an error or an output that scans and
// parses; never a panic. Annotated outputs are idempotent. Forged markers
// around the input's text never make annotate delete a byte (see
// checkForged). Seeds: the golden inputs, the example bounces and
// testdata/fuzz/FuzzAnnotate.
func FuzzAnnotate(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/golden/*.eml")
	for _, name := range examples {
		seeds = append(seeds, filepath.Join(exampleDir, name+".eml"))
	}
	for _, s := range seeds {
		if raw, err := os.ReadFile(s); err == nil {
			f.Add(raw, false)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte, zh bool) {
		lang := LangEN
		if zh {
			lang = LangZH
		}
		opts := Options{Lang: lang, Parse: &dsn.Options{Limits: dsn.Limits{MaxParts: 50, MaxDepth: 8}}}
		checkForged(t, raw, opts)
		res, err := Annotate(raw, opts)
		if err != nil {
			if !bytes.Equal(res.Output, raw) {
				t.Fatalf("error %v but output changed", err)
			}
			return
		}
		if !res.Changed {
			return
		}
		if _, err := dsn.Parse(res.Output, opts.Parse); err != nil {
			t.Fatalf("annotated output does not parse: %v", err)
		}
		again, err := Annotate(res.Output, opts)
		if err != nil {
			t.Fatalf("second run: %v", err)
		}
		if !bytes.Equal(again.Output, res.Output) {
			t.Fatalf("not idempotent:\n%s", diffHint(res.Output, again.Output))
		}
	})
}

// checkForged puts forged markers around the text of raw's target parts
// (with a heading annotate never writes, so that no candidate can be its
// own block) and checks that annotating the result deletes nothing.
func checkForged(t *testing.T, raw []byte, opts Options) {
	t.Helper()
	forged, ok := forge(raw, textBegin+"Why your message was not delivered (forged) -----")
	if !ok {
		return
	}
	res, err := Annotate(forged, opts)
	switch {
	case err != nil || !res.Changed:
		if !bytes.Equal(res.Output, forged) {
			t.Fatalf("forged: unchanged message rewritten")
		}
	case keepsEncoding(forged, res):
		if err := onlyInserted(forged, res); err != nil {
			t.Fatalf("forged: %v", err)
		}
	default:
		checkPartsPreserved(t, "forged", forged, res.Output)
	}
}

// diffHint shows where two outputs start to differ.
func diffHint(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-80)
	return fmt.Sprintf("at %d:\n%q\nvs\n%q", i, a[lo:min(len(a), i+80)], b[lo:min(len(b), i+80)])
}
