package catalog

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

func TestBuiltinLoads(t *testing.T) {
	if err := BuiltinError(); err != nil {
		t.Fatal(err)
	}
	if Builtin().Len() == 0 {
		t.Fatal("no built-in entries")
	}
}

func TestEveryEntryHasBothLanguages(t *testing.T) {
	for _, e := range Builtin().Entries() {
		for _, lang := range Languages {
			x := e.Render(lang)
			if x.Lang != lang || x.Title == "" || x.Explanation == "" || x.Remedy == "" {
				t.Errorf("%s:%d %s: %s incomplete: %+v", e.File, e.Line, e.ID, lang, x)
			}
		}
	}
}

// codeRE finds reply codes and enhanced status codes in prose.
var codeRE = regexp.MustCompile(`\b[245][0-5][0-9]\b|\b[245x]\.[0-9x]{1,3}\.[0-9x]{1,3}\b`)

// TestWritingRules checks the rules of the schema that a program can check:
// codes only in admin_note, one-line titles, no spaces left between Chinese
// characters by YAML line folding.
func TestWritingRules(t *testing.T) {
	for _, e := range Builtin().Entries() {
		for _, lang := range Languages {
			x := e.Render(lang)
			for field, s := range map[string]string{"title": x.Title, "explanation": x.Explanation, "remedy": x.Remedy} {
				if m := codeRE.FindString(s); m != "" {
					t.Errorf("%s:%d %s: %s.%s contains the code %q; codes belong in admin_note", e.File, e.Line, e.ID, lang, field, m)
				}
				if lang == LangZHCN && cjkSpace(s) {
					t.Errorf("%s:%d %s: %s.%s has a space between Chinese characters", e.File, e.Line, e.ID, lang, field)
				}
			}
			if strings.ContainsAny(x.Title, "\n\r") {
				t.Errorf("%s:%d %s: %s.title is not one line", e.File, e.Line, e.ID, lang)
			}
		}
	}
}

func cjkSpace(s string) bool {
	r := []rune(s)
	for i := 1; i+1 < len(r); i++ {
		if r[i] == ' ' && isCJK(r[i-1]) && isCJK(r[i+1]) {
			return true
		}
	}
	return false
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

func TestExactlyOneLastResort(t *testing.T) {
	var ids []string
	for _, e := range Builtin().Entries() {
		if e.Match.Empty() {
			ids = append(ids, e.ID)
			if !strings.HasSuffix(e.File, "fallback.yaml") {
				t.Errorf("last-resort entry %s is in %s, want fallback.yaml", e.ID, e.File)
			}
		}
	}
	if len(ids) != 1 {
		t.Errorf("got last-resort entries %v, want exactly one", ids)
	}
}

func TestClassFallbacks(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		perm bool
	}{
		{"4.x.x", Query{Status: "4.9.9"}, false},
		{"5.x.x", Query{Status: "5.9.9"}, true},
		{"4xx", Query{ReplyCode: "499"}, false},
		{"5xx", Query{ReplyCode: "599"}, true},
		{"last resort", Query{Text: "something nobody wrote a rule for"}, false},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Builtin().Lookup(tt.q)
			if e == nil || !e.Fallback() || !strings.HasSuffix(e.File, "fallback.yaml") {
				t.Fatalf("got %+v, want a fallback.yaml entry", e)
			}
			if e.Permanent != tt.perm || seen[e.ID] {
				t.Errorf("%s: permanent %v (want %v), seen before %v", e.ID, e.Permanent, tt.perm, seen[e.ID])
			}
			seen[e.ID] = true
		})
	}
}

func TestReasonsMatchReference(t *testing.T) {
	f, err := os.Open("../testdata/reference/reasons.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var names []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, _, _ := strings.Cut(sc.Text(), "\t")
		if name != "" && name != "reason" {
			names = append(names, name)
		}
	}
	if len(names) != 36 || len(Reasons) != 36 {
		t.Fatalf("got %d names in reasons.tsv and %d in Reasons, want 36", len(names), len(Reasons))
	}
	for _, n := range names {
		if !ValidReason(n) {
			t.Errorf("reason %q missing from Reasons", n)
		}
	}
}
