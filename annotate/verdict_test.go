package annotate

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/dsn"
)

// vagueEntry reports whether an entry says nothing the parser's reason
// would not say better: a class-only status, a bare reply code, a class
// fallback or the last resort.
func vagueEntry(e *catalog.Entry) bool {
	if e == nil || e.Fallback() || strings.HasPrefix(e.ID, "reply.") {
		return true
	}
	if len(e.Match.Text)+len(e.Match.Regexp)+len(e.Match.Reason) > 0 {
		return false
	}
	for _, s := range e.Match.Status {
		if !strings.HasSuffix(s, ".0.0") {
			return false
		}
	}
	return len(e.Match.Status) > 0
}

// TestCorpusVerdicts checks the one-verdict promises on every failed or
// delayed recipient of the corpus (issue 9):
//   - the explanation's reason is the recipient's reason, and the chosen
//     entry was written for that reason;
//   - a recipient whose reason is known never gets a vague entry;
//   - a failed recipient never gets temporary wording, a delayed one never
//     gets final wording.
func TestCorpusVerdicts(t *testing.T) {
	cat := catalog.Builtin()
	files, _ := filepath.Glob("../testdata/corpus/sisimai/bounces/*.eml")
	if len(files) < 300 {
		t.Fatalf("only %d corpus bounces", len(files))
	}
	var total, failed, delayed int
	entries := map[string]int{}
	var problems []string
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := dsn.Parse(raw, nil)
		if err != nil || !isBounce(r) {
			continue
		}
		for _, rc := range r.Recipients {
			if !NeedsExplanation(r, rc) {
				continue
			}
			total++
			x := Explain(r, rc, cat, catalog.LangEN)
			e := cat.ByID(x.ID)
			entries[x.ID]++
			name := filepath.Base(f) + " " + rc.Recipient
			switch {
			case e == nil:
				problems = append(problems, name+": no entry "+x.ID)
				continue
			case rc.Reason != "" && x.Reason != rc.Reason && !(rc.Reason == "onhold" && e.Reason == x.Reason):
				problems = append(problems, name+": reason "+rc.Reason+" explained as "+x.Reason+" by "+x.ID)
			case e.Reason != x.Reason:
				problems = append(problems, name+": verdict "+x.Reason+" but entry "+x.ID+" is "+e.Reason)
			case vagueEntry(e) && x.Reason != "undefined":
				problems = append(problems, name+": reason "+x.Reason+" got the vague entry "+x.ID)
			}
			switch {
			case Final(r, rc):
				failed++
				if !e.Permanent && !e.Match.Empty() {
					problems = append(problems, name+": failed, but temporary wording "+x.ID)
				}
			case Delayed(r, rc):
				delayed++
				if e.Permanent {
					problems = append(problems, name+": delayed, but final wording "+x.ID)
				}
			}
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
	if total < 350 {
		t.Errorf("only %d failed or delayed recipients", total)
	}
	t.Logf("%d recipients (%d failed, %d delayed), %d distinct entries, %d problems", total, failed, delayed, len(entries), len(problems))
}
