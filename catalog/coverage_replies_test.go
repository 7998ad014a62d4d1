package catalog

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestReplyCodeCoverage checks that every 4xx and 5xx code of the RFC 5321
// reference table resolves to an entry written for that very code.
func TestReplyCodeCoverage(t *testing.T) {
	f, err := os.Open("../testdata/reference/smtp-basic-reply-codes.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		code, _, _ := strings.Cut(sc.Text(), "\t")
		if len(code) != 3 || (code[0] != '4' && code[0] != '5') {
			continue
		}
		n++
		t.Run(code, func(t *testing.T) {
			e := Builtin().Lookup(Query{ReplyCode: code})
			if e == nil || e.Fallback() || !slices.Contains(e.Match.Reply, code) {
				t.Fatalf("got %v, want an entry written for reply %s", e, code)
			}
			if e.Permanent != (code[0] == '5') {
				t.Errorf("%s: permanent %v for reply %s", e.ID, e.Permanent, code)
			}
			for _, lang := range Languages {
				x := e.Render(lang)
				if x.Title == "" || x.Explanation == "" || x.Remedy == "" || !strings.Contains(x.AdminNote, code) {
					t.Errorf("%s: %s text incomplete or admin note without the code: %+v", e.ID, lang, x)
				}
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("read only %d 4xx/5xx codes from the reference table", n)
	}
}
