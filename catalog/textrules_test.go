package catalog

import (
	"bufio"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// realLines returns the lines of the real bounces of the corpus and of the
// reference tables of provider and server replies, lower case.
func realLines(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob("../testdata/corpus/sisimai/bounces/*.eml")
	more, _ := filepath.Glob("../testdata/reference/*.tsv")
	files = append(files, more...)
	if len(files) < 100 {
		t.Fatalf("found %d test files, want the corpus", len(files))
	}
	var lines []string
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" {
				lines = append(lines, strings.ToLower(l))
			}
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	return lines
}

// TestScanEachMatchesAutomaton checks that both ways of finding the
// built-in needles agree on real bounce lines, and that the automaton
// numbers the needles as the needle set does.
func TestScanEachMatchesAutomaton(t *testing.T) {
	needles := builtinNeedles.needles
	x := automatonOf(needles)
	hits := 0
	for _, l := range realLines(t) {
		each, auto := scanEach(needles, l), x.scan(l)
		if !reflect.DeepEqual(each, auto) {
			t.Fatalf("line %q: needle by needle %x, automaton %x", l, each, auto)
		}
		for _, w := range each {
			if w != 0 {
				hits++
				break
			}
		}
	}
	if hits < 100 {
		t.Errorf("only %d lines hold a needle: the test data does not exercise the scan", hits)
	}
	_, texts, lits := newTextIndex(builtinEntries)
	if !reflect.DeepEqual(texts, builtinNeedles.textIDs) || !reflect.DeepEqual(lits, builtinNeedles.litIDs) {
		t.Error("the automaton numbers the needles differently from the needle set")
	}
}

// TestLazyTextMatching checks that a catalog explains the same whether it
// finds needles one by one (a fresh process) or with its automaton (after
// naiveScanBudget bytes), for the built-in and a site catalog.
func TestLazyTextMatching(t *testing.T) {
	site, err := Load("testdata/lookup.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := realLines(t)
	for _, tc := range []struct {
		name    string
		entries []*Entry
		static  *needleSet
	}{
		{"builtin", builtinEntries, &builtinNeedles},
		{"site", site.entries, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			each := &Catalog{entries: tc.entries, text: textRules{static: tc.static}}
			auto := &Catalog{entries: tc.entries, text: textRules{static: tc.static}}
			auto.text.scanned.Store(naiveScanBudget)
			for _, l := range lines {
				q := ParseLine(l)
				if q.ReplyCode == "" && q.Status == "" {
					continue // not a diagnostic
				}
				n++
				want := auto.Explain(q, LangEN)
				if got := each.Explain(q, LangEN); got != want {
					t.Fatalf("line %q: needle by needle %s, automaton %s", l, got.ID, want.ID)
				}
				each.text.scanned.Store(0) // stay needle by needle
			}
			if n < 1000 {
				t.Errorf("only %d diagnostic lines compared", n)
			}
			if each.text.index != nil || auto.text.index == nil {
				t.Errorf("automaton built: needle by needle %v, after the budget %v", each.text.index != nil, auto.text.index != nil)
			}
		})
	}
}

// TestCodeLookupBuildsNothing checks that explaining codes alone builds no
// text matching and compiles no regexp.
func TestCodeLookupBuildsNothing(t *testing.T) {
	c := &Catalog{entries: freshEntries()}
	for _, q := range []Query{{ReplyCode: "550"}, {Status: "5.7.1"}, {ReplyCode: "421", Status: "4.7.0"}} {
		c.Explain(q, LangEN)
	}
	if c.text.set != nil || c.text.index != nil {
		t.Error("a lookup by codes built the needle set or the automaton")
	}
	for _, e := range c.entries {
		for _, re := range e.m.regexps {
			if re.re != nil {
				t.Fatalf("%s: a lookup by codes compiled a regexp", e.ID)
			}
		}
	}
}

// TestConcurrentFirstUse explains from many goroutines on a fresh catalog,
// so that the needle set, the automaton and the regexps are built while
// other lookups run (go test -race finds unsynchronised builds).
func TestConcurrentFirstUse(t *testing.T) {
	site, err := LoadFiles(LoadOptions{NoBuiltin: true}, "testdata/lookup.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fresh := func() *Catalog {
		return &Catalog{entries: append(append([]*Entry(nil), site.entries...), freshEntries()...)}
	}
	var lines []string
	for _, l := range realLines(t) {
		if q := ParseLine(l); q.Status != "" {
			lines = append(lines, l)
		}
	}
	want := make([]string, len(lines))
	ref := fresh()
	for i, l := range lines {
		want[i] = ref.Explain(ParseLine(l), LangEN).ID
	}
	c := fresh()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := g; i < len(lines); i += 4 {
				if got := c.Explain(ParseLine(lines[i]), LangEN).ID; got != want[i] {
					t.Errorf("line %q: got %s, want %s", lines[i], got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
	if c.text.index == nil {
		t.Error("the automaton was never built: the lines are too few to test its build")
	}
}
