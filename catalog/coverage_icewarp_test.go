package catalog_test

import (
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/catalog"
)

// icewarpTSV is the table of the IceWarp/Merak FAQ "SMTP 5xx errors".
const icewarpTSV = "../testdata/reference/icewarp-merak-5xx.tsv"

type icewarpRow struct {
	reply, status, text string
}

// line renders the row as a server would write it in a bounce.
func (r icewarpRow) line() string {
	return strings.TrimSpace(strings.Join(strings.Fields(r.reply+" "+r.status+" "+r.text), " "))
}

func icewarpRows(t *testing.T) []icewarpRow {
	t.Helper()
	var rows []icewarpRow
	for _, f := range readTSV(t, icewarpTSV)[1:] {
		for len(f) < 3 {
			f = append(f, "")
		}
		rows = append(rows, icewarpRow{strings.TrimSpace(f[0]), strings.TrimSpace(f[1]), strings.TrimSpace(f[2])})
	}
	return rows
}

// TestIcewarpCoverage checks that every row of the FAQ table resolves, in
// every language, to its own icewarp.* entry, both from the separate fields
// and from the whole line as a bounce shows it, and that rows sharing codes
// get different entries with different remedies.
func TestIcewarpCoverage(t *testing.T) {
	cat := catalog.Builtin()
	rows := icewarpRows(t)
	if len(rows) != 35 {
		t.Fatalf("got %d rows in %s, want 35", len(rows), icewarpTSV)
	}
	byID := map[string]string{}
	remedies := map[string]string{}
	for _, r := range rows {
		t.Run(r.line(), func(t *testing.T) {
			q := catalog.Query{ReplyCode: r.reply, Status: r.status, Text: r.text}
			en := cat.Explain(q, catalog.LangEN)
			if !strings.HasPrefix(en.ID, "icewarp.") {
				t.Fatalf("%+v: got %s, want an icewarp.* entry", q, en.ID)
			}
			for _, lang := range catalog.Languages {
				x := cat.Explain(q, lang)
				if x.ID != en.ID {
					t.Errorf("%s gives %s, en gives %s", lang, x.ID, en.ID)
				}
				checkComplete(t, x, lang)
			}
			if got := cat.Explain(catalog.ParseLine(r.line()), catalog.LangEN).ID; got != en.ID {
				t.Errorf("ParseLine(%q) resolves to %s, want %s", r.line(), got, en.ID)
			}
			if prev, ok := byID[en.ID]; ok {
				t.Errorf("%s is used for %q and %q", en.ID, prev, r.line())
			}
			byID[en.ID] = r.line()
			for _, lang := range catalog.Languages {
				rem := cat.Explain(q, lang).Remedy
				if prev, ok := remedies[rem]; ok {
					t.Errorf("%s remedy of %s repeats the one of %s", lang, en.ID, prev)
				}
				remedies[rem] = en.ID
			}
		})
	}
}

// TestIcewarpCodeOnlyRowsStayNarrow checks the design of the two rows that
// come without text (554 5.2.2 and 554 5.3.1): they need the 554 reply, so
// ordinary mailbox-full and system-full bounces from other servers keep
// resolving elsewhere.
func TestIcewarpCodeOnlyRowsStayNarrow(t *testing.T) {
	cat := catalog.Builtin()
	tests := []catalog.Query{
		{ReplyCode: "552", Status: "5.2.2"},
		{Status: "5.2.2"},
		{ReplyCode: "452", Status: "4.2.2"},
		{ReplyCode: "552", Status: "5.3.1"},
		{ReplyCode: "452", Status: "4.3.1"},
		{ReplyCode: "550", Status: "5.7.1"},
		{ReplyCode: "554", Status: "5.7.1"},
	}
	for _, q := range tests {
		t.Run(q.ReplyCode+" "+q.Status, func(t *testing.T) {
			if id := cat.Explain(q, catalog.LangEN).ID; strings.HasPrefix(id, "icewarp.") {
				t.Errorf("%+v resolves to %s; IceWarp entries must not catch other servers' codes", q, id)
			}
		})
	}
}
