package catalog_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/catalog"
)

// ianaTSV is the copy of the IANA "SMTP Enhanced Status Codes" registry.
const ianaTSV = "../testdata/reference/iana-enhanced-status-codes.tsv"

// readTSV returns the rows of a tab-separated reference file, header first.
func readTSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		if line := strings.TrimRight(sc.Text(), "\r"); line != "" {
			rows = append(rows, strings.Split(line, "\t"))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 {
		t.Fatalf("%s: no data rows", path)
	}
	return rows
}

// registryCodes lists the detail codes of the registry ("X.1.1", ...).
func registryCodes(t *testing.T) []string {
	t.Helper()
	var codes []string
	for _, row := range readTSV(t, ianaTSV)[1:] {
		code := row[0]
		if !strings.HasPrefix(code, "X.") || strings.Count(code, ".") != 2 {
			t.Fatalf("%s: unexpected code %q", ianaTSV, code)
		}
		codes = append(codes, code)
	}
	return codes
}

// checkComplete fails unless x is a complete rendering in lang.
func checkComplete(t *testing.T, x catalog.Explanation, lang string) {
	t.Helper()
	if x.Lang != lang || x.Title == "" || x.Explanation == "" || x.Remedy == "" || x.AdminNote == "" {
		t.Errorf("%s: %s rendering incomplete: %+v", x.ID, lang, x)
	}
}

// TestStandardCodeCoverage checks that every registry code, in the temporary
// (4.y.z) and the permanent (5.y.z) class, resolves to the entry written for
// exactly that code, with or without a reply code of the same class, and not
// to a class fallback.
func TestStandardCodeCoverage(t *testing.T) {
	cat := catalog.Builtin()
	codes := registryCodes(t)
	if len(codes) < 81 {
		t.Fatalf("got %d registry codes, want at least 81", len(codes))
	}
	for _, detail := range codes {
		for _, class := range []string{"4", "5"} {
			code := class + strings.TrimPrefix(detail, "X")
			t.Run(code, func(t *testing.T) {
				want := "std." + code
				queries := []catalog.Query{
					{Status: code},
					{ReplyCode: class + "50", Status: code},
				}
				for _, q := range queries {
					for _, lang := range catalog.Languages {
						x := cat.Explain(q, lang)
						if x.ID != want {
							t.Fatalf("%+v in %s: got %s, want %s", q, lang, x.ID, want)
						}
						checkComplete(t, x, lang)
						if x.Permanent != (class == "5") {
							t.Errorf("%s: permanent %v for class %s", x.ID, x.Permanent, class)
						}
						if !strings.Contains(x.AdminNote, code) {
							t.Errorf("%s: %s admin_note does not name the code: %q", x.ID, lang, x.AdminNote)
						}
					}
				}
			})
		}
	}
}

// TestStandardTemporaryAndPermanentDiffer checks that the two classes of a
// code are written separately, not one text reused for both.
func TestStandardTemporaryAndPermanentDiffer(t *testing.T) {
	cat := catalog.Builtin()
	for _, detail := range registryCodes(t) {
		rest := strings.TrimPrefix(detail, "X")
		for _, lang := range catalog.Languages {
			tmp := cat.Explain(catalog.Query{Status: "4" + rest}, lang)
			perm := cat.Explain(catalog.Query{Status: "5" + rest}, lang)
			if tmp.Title == perm.Title || tmp.Remedy == perm.Remedy {
				t.Errorf("%s: %s and %s share title or remedy in %s", detail, tmp.ID, perm.ID, lang)
			}
		}
	}
}
