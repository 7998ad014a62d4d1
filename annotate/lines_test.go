package annotate

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/catalog"
)

// TestExplainLines runs every line of testdata/explain-lines.tsv through
// the path of `bouncenote explain` (codes from the text, the parser's
// reason, the catalog) and checks the entry and the verdict's reason.
func TestExplainLines(t *testing.T) {
	f, err := os.Open("testdata/explain-lines.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cat := catalog.Builtin()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	n, bad := 0, 0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") || sc.Text() == "" {
			continue
		}
		col := strings.Split(sc.Text(), "\t")
		if len(col) != 8 {
			t.Fatalf("bad row %q", sc.Text())
		}
		src, name, host, status, final, line, id, reason := col[0], col[1], col[2], col[3], col[4], col[5], col[6], col[7]
		n++
		t.Run(src+"/"+name, func(t *testing.T) {
			q := catalog.ParseLine(line)
			if status != "" {
				q.Status = status
			}
			q.Host, q.Final, q.Delayed = host, final == "final", final == "delayed"
			q = Classified(catalog.FillCodes(q))
			x := cat.Explain(q, catalog.LangEN)
			e := cat.ByID(id)
			if e == nil {
				t.Fatalf("no entry %s", id)
			}
			if reason == "" {
				reason = e.Reason
			}
			if x.ID != id || x.Reason != reason {
				bad++
				t.Errorf("got %s (%s), want %s (%s)\n%s", x.ID, x.Reason, id, reason, line)
			}
		})
	}
	if n < 200 {
		t.Errorf("only %d lines", n)
	}
	t.Logf("%d of %d lines get the expected entry and reason", n-bad, n)
}
