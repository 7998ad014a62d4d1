package catalog

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseFile feeds catalog files to the loader: it must return entries
// that all validate, or an error wrapping ErrInvalid; never panic.
func FuzzParseFile(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	more, _ := filepath.Glob("testdata/invalid/*.yaml")
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("entries:\n  - &a {id: x.y}\n  - *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := parseFile("fuzz.yaml", data, true)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		for _, e := range doc.Entries {
			if e.ID == "" || !ValidReason(e.Reason) || !e.Who.Valid() || e.EN.Title == "" || e.ZHCN.Remedy == "" {
				t.Fatalf("invalid entry accepted: %+v", e)
			}
		}
	})
}
