package catalog

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func loadTestCatalog(t testing.TB, paths ...string) *Catalog {
	t.Helper()
	c, err := LoadFiles(LoadOptions{NoBuiltin: true}, paths...)
	if err != nil {
		t.Fatalf("loading %v: %v", paths, err)
	}
	return c
}

func TestLookupSpecificity(t *testing.T) {
	c := loadTestCatalog(t, "testdata/lookup.yaml")
	tests := []struct {
		name  string
		q     Query
		want  string
		score int
	}{
		{"status class only", Query{Status: "5.2.3"}, "t.class5", scoreStatusClass},
		{"reply exact", Query{ReplyCode: "550"}, "t.reply550", scoreReplyExact},
		{"reply class", Query{ReplyCode: "551"}, "t.reply5xx", scoreReplyClass},
		{"status one x", Query{Status: "5.7.2"}, "t.status-57x", scoreStatusOneX},
		{"status exact beats one x", Query{Status: "5.7.1"}, "t.status-571", scoreStatusExact},
		{"enhanced beats reply", Query{ReplyCode: "550", Status: "5.7.1"}, "t.status-571", scoreStatusExact},
		{"class wildcard in status", Query{Status: "4.1.1"}, "t.status-x11", scoreStatusOneX},
		{"text beats enhanced", Query{Status: "5.7.2", Text: "WE DO NOT RELAY here"}, "t.relay", scoreText},
		{"text and code beat text", Query{Status: "5.7.1", Text: "550 5.7.1 We do not relay"}, "t.relay-code", scoreText + scoreStatusExact},
		{"longer text wins by priority", Query{Status: "5.7.1", Text: "We do not relay, account limits apply"}, "t.relay-limits", scoreText + scoreStatusExact},
		{"regexp", Query{Text: "554 Relaying denied"}, "t.regexp", scoreText},
		{"regexp case-insensitive", Query{Text: "RELAY ACCESS DENIED"}, "t.regexp", scoreText},
		{"host adds to code", Query{Status: "5.7.1", Host: "mail.IceWarp.example"}, "t.host", scoreStatusExact + scoreHost},
		{"host without match", Query{Status: "5.7.1", Host: "mx.example.org"}, "t.status-571", scoreStatusExact},
		{"text and regexp both needed: only text", Query{Text: "over quota"}, "t.last", 0},
		{"text and regexp both needed: both", Query{Text: "mailbox is full, over quota"}, "t.and", scoreText},
		{"tie: earlier entry", Query{Text: "tie one"}, "t.tie-a", scoreText},
		{"tie: priority before order", Query{Text: "tie two"}, "t.tie2-b", scoreText},
		{"nothing known", Query{}, "t.last", 0},
		{"other class", Query{Status: "4.2.2", ReplyCode: "452"}, "t.last", 0},
		{"malformed status ignored", Query{Status: "5.7"}, "t.last", 0},
		{"codes taken from text", Query{Text: "550-5.7.9 policy"}, "t.status-57x", scoreStatusOneX},
		{"generic status refined from text", Query{Status: "5.0.0", Text: "smtp; 550 5.7.1 go away"}, "t.status-571", scoreStatusExact},
		{"generic status of other class kept", Query{Status: "4.0.0", Text: "550 5.7.1 go away"}, "t.reply550", scoreReplyExact},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, score := c.lookup(FillCodes(tt.q))
			if e == nil {
				t.Fatal("no entry")
			}
			if e.ID != tt.want || score != tt.score {
				t.Errorf("got %s (score %d), want %s (score %d)", e.ID, score, tt.want, tt.score)
			}
		})
	}
}

func TestLookupIsStable(t *testing.T) {
	c := loadTestCatalog(t, "testdata/lookup.yaml")
	q := Query{Text: "tie one"}
	for i := 0; i < 50; i++ {
		if got := c.Lookup(q).ID; got != "t.tie-a" {
			t.Fatalf("run %d: got %s", i, got)
		}
	}
}

func TestLanguageFallback(t *testing.T) {
	c := loadTestCatalog(t, "testdata/lookup.yaml")
	q := Query{Status: "5.7.1"}
	tests := []struct{ lang, want, title string }{
		{"en", LangEN, "T t.status-571"},
		{"zh-CN", LangZHCN, "标题 t.status-571"},
		{"zh_cn", LangZHCN, "标题 t.status-571"},
		{"zh", LangZHCN, "标题 t.status-571"},
		{"fr", LangEN, "T t.status-571"},
		{"", LangEN, "T t.status-571"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			x := c.Explain(q, tt.lang)
			if x.Lang != tt.want || x.Title != tt.title {
				t.Errorf("got lang %q title %q, want %q %q", x.Lang, x.Title, tt.want, tt.title)
			}
		})
	}
}

func TestCustomCatalogTakesPrecedence(t *testing.T) {
	c, err := Load("testdata/site")
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() != Builtin().Len()+1 {
		t.Errorf("got %d entries, want built-in + 1", c.Len())
	}
	for _, q := range []Query{
		{Status: "5.9.9"}, // only the class fallback would match
		{ReplyCode: "550", Status: "5.1.1", Text: "User unknown in local recipient table"}, // a built-in text+code entry matches
	} {
		x := c.Explain(q, "en")
		if x.ID != "site.any-permanent" || !strings.Contains(x.Remedy, "1234") {
			t.Errorf("%+v: custom entry did not take precedence: got %s", q, x.ID)
		}
	}
	if got := c.Explain(Query{Status: "4.4.7"}, "en").ID; got != "std.4.4.7" {
		t.Errorf("a query the site entry does not match got %s, want std.4.4.7", got)
	}
	if !c.ByID("site.any-permanent").Custom {
		t.Error("entry not marked custom")
	}
	// Without the site file the built-in fallback answers.
	if got := Builtin().Explain(Query{Status: "5.9.9"}, "en").ID; got == "site.any-permanent" {
		t.Errorf("built-in catalog changed: %s", got)
	}
}

func TestNoLastResort(t *testing.T) {
	c := loadTestCatalog(t, "testdata/site/helpdesk.yaml")
	x := c.Explain(Query{Status: "4.4.7"}, "en")
	if x.ID != genericEntry.ID || x.Title == "" || x.Remedy == "" {
		t.Errorf("got %+v, want the generic explanation", x)
	}
}

func TestEmptyFiles(t *testing.T) {
	c := loadTestCatalog(t, "testdata/empty.yaml", "testdata/comments.yaml")
	if c.Len() != 0 {
		t.Errorf("got %d entries, want 0", c.Len())
	}
}

func TestInvalidFiles(t *testing.T) {
	tests := []struct {
		file  string
		line  int
		cause string
	}{
		{"bad-yaml.yaml", 3, "did not find expected"},
		{"unknown-field.yaml", 8, `unknown field "colour" in an entry (known fields: id, match, priority, reason, permanent, who, en, zh-CN)`},
		{"unknown-match-field.yaml", 4, `unknown field "stauts" in match (known fields: reply, status, text, regexp, host, reason, command)`},
		{"wrong-type.yaml", 4, "wrong kind of value: want a whole number, got a string (high)"},
		{"wrong-kind.yaml", 3, "wrong kind of value: want a mapping of match rules, got a list"},
		{"bad-regexp.yaml", 6, "bad regexp"},
		{"missing-lang.yaml", 9, "language zh-CN is missing"},
		{"missing-remedy.yaml", 9, "zh-CN.remedy is missing"},
		{"duplicate-id.yaml", 9, `duplicate id "dup.same"`},
		{"builtin-id.yaml", 2, `duplicate id "fallback.last-resort"`},
		{"bad-codes.yaml", 4, `reply code "55"`},
		{"bad-codes.yaml", 5, `status "6.1.1"`},
		{"bad-reason.yaml", 4, `unknown reason "nosuchreason"`},
		{"bad-reason.yaml", 6, `who "everybody"`},
		{"bad-permanent.yaml", 5, "permanent is true"},
		{"empty-entry.yaml", 9, "empty entry"},
		{"two-documents.yaml", 2, "more than one YAML document"},
		{"no-such-file.yaml", 0, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.cause, func(t *testing.T) {
			path := filepath.Join("testdata", "invalid", tt.file)
			c, err := Load(path)
			if err == nil || c != nil {
				t.Fatalf("got catalog %v, error %v; want an error", c, err)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			want := path + ":"
			if tt.line > 0 {
				want = path + ":" + strconv.Itoa(tt.line) + ":"
			}
			found := false
			for _, l := range strings.Split(err.Error(), "\n") {
				if strings.HasPrefix(l, want) && strings.Contains(l, tt.cause) {
					found = true
				}
			}
			if !found {
				t.Errorf("error %q lacks a line starting %q containing %q", err, want, tt.cause)
			}
		})
	}
}

func TestInvalidDirectory(t *testing.T) {
	_, err := Load("testdata/invalid")
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("got %v, want ErrInvalid", err)
	}
	// Files load in name order, so the first broken file is reported.
	if !strings.HasPrefix(err.Error(), filepath.Join("testdata", "invalid", "bad-codes.yaml")+":4:") {
		t.Errorf("got %q", err)
	}
	if _, err := Load(t.TempDir()); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty directory: got %v, want ErrInvalid", err)
	}
}

func TestQueryCodeParsing(t *testing.T) {
	tests := []struct {
		in     string
		status bool
		ok     bool
	}{
		{"550", false, true}, {"5xx", false, true}, {"5XX", false, true}, {"55", false, false},
		{"650", false, false}, {"5x0", false, false},
		{"5.7.1", true, true}, {"5.7.x", true, true}, {"x.1.1", true, true}, {"5.x.x", true, true},
		{"x.x.x", true, false}, {"5.7", true, false}, {"5.1000.1", true, false}, {"3.1.1", true, false},
		{"5.7.1.2", true, false}, {"5.07.001", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var ok bool
			if tt.status {
				_, ok = parseStatus(tt.in, true)
			} else {
				_, ok = parseReply(tt.in, true)
			}
			if ok != tt.ok {
				t.Errorf("got %v, want %v", ok, tt.ok)
			}
		})
	}
}

func TestFinalize(t *testing.T) {
	tests := []struct {
		name  string
		in    Query
		reply string
		stat  string
	}{
		{"not final", Query{Status: "4.4.1", ReplyCode: "421"}, "421", "4.4.1"},
		{"status to class 5", Query{Status: "4.2.2", Final: true}, "", "5.2.2"},
		{"temporary reply dropped", Query{Status: "4.4.1", ReplyCode: "421", Final: true}, "", "5.4.1"},
		{"reply only gives expired", Query{ReplyCode: "451", Final: true}, "", "5.4.7"},
		{"permanent untouched", Query{Status: "5.1.1", ReplyCode: "550", Final: true}, "550", "5.1.1"},
		{"nothing known", Query{Final: true}, "", ""},
		{"malformed status kept", Query{Status: "4.4", Final: true}, "", "4.4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := Finalize(tt.in)
			if q.ReplyCode != tt.reply || q.Status != tt.stat {
				t.Errorf("got reply %q status %q, want %q %q", q.ReplyCode, q.Status, tt.reply, tt.stat)
			}
		})
	}
}

func TestFinalQueryGetsFinalWording(t *testing.T) {
	q := ParseLine("connect to mx.example.org[192.0.2.1]:25: Connection timed out")
	q.Status = "4.4.1"
	if x := Builtin().Explain(q, "en"); x.Permanent {
		t.Errorf("delay report explained as final: %s", x.ID)
	}
	q.Final = true
	if x := Builtin().Explain(q, "en"); !x.Permanent || x.Reason != "expired" {
		t.Errorf("final report: got %s (permanent %v, reason %s), want a final expired entry", x.ID, x.Permanent, x.Reason)
	}
}

func TestTieBreakFileOrder(t *testing.T) {
	dir := t.TempDir()
	entry := func(id string) string {
		return "entries:\n  - id: " + id + "\n    match: {text: [same words]}\n    reason: undefined\n    permanent: true\n    who: sender\n" +
			"    en: {title: t, explanation: e, remedy: r}\n    zh-CN: {title: 标题, explanation: 说明, remedy: 办法}\n"
	}
	for name, id := range map[string]string{"a.yaml": "site.a", "b.yaml": "site.b"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(entry(id)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	tests := []struct {
		name  string
		paths []string
		want  string
	}{
		{"directory: files by name", []string{dir}, "site.a"},
		{"files in the order given", []string{b, a}, "site.b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.paths...)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Explain(Query{Text: "the same words"}, "en").ID; got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNilCatalogIsBuiltin(t *testing.T) {
	var c *Catalog
	if c.Len() != Builtin().Len() || c.Explain(Query{Status: "5.1.1"}, "en").ID != Builtin().Explain(Query{Status: "5.1.1"}, "en").ID {
		t.Error("nil catalog differs from the built-in one")
	}
}

func TestConcurrentExplain(t *testing.T) {
	c := Builtin()
	want := c.Explain(ParseLine("550 5.1.1 User unknown"), "en").ID
	done := make(chan string)
	for i := 0; i < 8; i++ {
		go func() { done <- c.Explain(ParseLine("550 5.1.1 User unknown"), "zh-CN").ID }()
	}
	for i := 0; i < 8; i++ {
		if got := <-done; got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}
