package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/dsn"
)

// TestCorpusExplanations explains every failed or delayed recipient of the
// real bounces in the Sisimai corpus: each gets a complete explanation in
// both languages, and almost all an entry written for its code or wording
// rather than a class fallback.
func TestCorpusExplanations(t *testing.T) {
	files, err := filepath.Glob("../../testdata/corpus/sisimai/bounces/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	cat := catalog.Builtin()
	total, fallback := 0, 0
	var misses []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := dsn.Parse(raw, nil)
		if err != nil {
			continue
		}
		for _, er := range explainRecipients(r, cat, catalog.LangEN) {
			if er.Explanation == nil {
				continue
			}
			total++
			if strings.HasPrefix(er.Explanation.ID, "fallback.") {
				fallback++
				misses = append(misses, filepath.Base(f)+": "+er.Status+" "+er.Diagnostic)
			}
			zh := cat.Explain(recipientQuery(r, er.Recipient), catalog.LangZHCN)
			if zh.ID != er.Explanation.ID || zh.Title == "" || zh.Remedy == "" || er.Explanation.Remedy == "" {
				t.Errorf("%s: incomplete explanation %+v / %+v", f, er.Explanation, zh)
			}
		}
	}
	if total < 300 {
		t.Fatalf("only %d failed or delayed recipients explained", total)
	}
	// Floor measured at 1 fallback in 335 recipients; allow a little drift
	// as the parser changes.
	if fallback*100 > total*2 {
		t.Errorf("%d of %d recipients got only a class fallback:\n%s", fallback, total, strings.Join(misses, "\n"))
	}
	t.Logf("%d recipients explained, %d by a class fallback", total, fallback)
}
