package dsn_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// FuzzParse checks that Parse never panics, returns either a Report or an
// error wrapping a sentinel, and gives the same Report for CRLF input.
// Seeds: testdata/fuzz/FuzzParse plus the smaller corpus bounces.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"sisimai/bounces", "sisimai/err"} {
		files, _ := filepath.Glob(filepath.Join(corpus, dir, "*.eml"))
		for _, p := range files {
			if st, err := os.Stat(p); err == nil && st.Size() < 4096 {
				if b, err := os.ReadFile(p); err == nil {
					f.Add(b)
				}
			}
		}
	}
	lim := &dsn.Options{Limits: dsn.Limits{MaxBodyBytes: 1 << 20, MaxParts: 100, MaxDepth: 10}}
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := dsn.Parse(raw, lim)
		if err != nil {
			if !errors.Is(err, dsn.ErrLimit) && !errors.Is(err, dsn.ErrMalformed) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		if r == nil || r.Kind == "" || r.Recipients == nil {
			t.Fatalf("incomplete report %+v", r)
		}
		if len(r.Recipients) > dsn.DefaultMaxRecipients {
			t.Fatalf("%d recipients", len(r.Recipients))
		}
	})
}
