package catalog_test

import (
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/catalog"
)

// phraseRow is one whole diagnostic line of a coverage table with the
// entry and reason it must get. status is the DSN's Status field for lines
// that carry no code of their own; final marks a recipient whose delivery
// was given up (Action: failed).
type phraseRow struct {
	name, host, status string
	final              bool
	line, id, reason   string
}

// testPhraseTable checks every row in both languages, with checkTexts for
// the texts, and that every entry of the catalog file named by fileSuffix
// has a row.
func testPhraseTable(t *testing.T, rows []phraseRow, fileSuffix string, checkTexts func(*testing.T, catalog.Explanation, string)) {
	c := catalog.Builtin()
	covered := map[string]bool{}
	for _, tt := range rows {
		covered[tt.id] = true
		t.Run(tt.name, func(t *testing.T) {
			q := catalog.Query{Text: tt.line, Host: tt.host, Status: tt.status, Final: tt.final}
			for _, lang := range catalog.Languages {
				x := c.Explain(q, lang)
				if x.ID != tt.id {
					t.Fatalf("%s: got %s (%s), want %s", lang, x.ID, x.Title, tt.id)
				}
				if x.Reason != tt.reason {
					t.Errorf("%s: reason %s, want %s", x.ID, x.Reason, tt.reason)
				}
				if want := tt.final || permanentCode(tt.status, tt.line); x.Permanent != want {
					t.Errorf("%s: permanent %v, want %v", x.ID, x.Permanent, want)
				}
				checkTexts(t, x, lang)
			}
		})
	}
	for _, e := range c.Entries() {
		if strings.HasSuffix(e.File, fileSuffix) && !covered[e.ID] {
			t.Errorf("%s: no row in the %s table", e.ID, fileSuffix)
		}
	}
}
