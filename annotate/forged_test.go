package annotate

import (
	"bytes"
	"fmt"
	"github.com/bouncenote/bouncenote/entity"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/catalog"
)

// Forged markers, as someone who read an annotated bounce would write them.
const (
	forgedHeading = textBegin + "Why your message was not delivered -----"
	forgedEndLine = textEnd + ": the original notice follows -----"
)

// insertion is bytes put into a message at an offset.
type insertion struct {
	at int
	b  string
}

// forge puts forged markers around the text of each 7bit/8bit target
// part of raw: a heading line at the start of a text part and an end line
// after its third line; the HTML begin marker at the insertion point and
// the end marker at the end of the part. ok is false when there is no
// such part.
func forge(raw []byte, heading string) ([]byte, bool) {
	root, err := scan(raw)
	if err != nil {
		return nil, false
	}
	var ins []insertion
	for _, p := range findTargets(root) {
		switch cteOf(p) {
		case entity.CTE7bit, entity.CTE8bit, entity.CTEBinary:
		default:
			continue
		}
		body := raw[p.BodyStart:p.End]
		eol := entity.LineEnding(raw, p.Start)
		if textType(p) == "text/html" {
			ins = append(ins, insertion{p.BodyStart + htmlInsertAt(body), htmlBegin + eol},
				insertion{p.End, eol + htmlEnd})
			continue
		}
		third := p.BodyStart
		for i := 0; i < 3 && third < p.End; i++ {
			_, third = entity.LineAt(raw, third, p.End)
		}
		end := forgedEndLine + eol + eol
		if third == p.End && (third == p.BodyStart || raw[third-1] != '\n') {
			end = eol + end
		}
		ins = append(ins, insertion{p.BodyStart, heading + eol}, insertion{third, end})
	}
	if len(ins) == 0 {
		return nil, false
	}
	sort.SliceStable(ins, func(i, j int) bool { return ins[i].at < ins[j].at })
	var b bytes.Buffer
	pos := 0
	for _, in := range ins {
		b.Write(raw[pos:in.at])
		b.WriteString(in.b)
		pos = in.at
	}
	b.Write(raw[pos:])
	return b.Bytes(), true
}

// TestForgedMarkers: forged begin and end markers around the real text of
// every corpus bounce never make annotate delete a byte. Where the target
// parts keep their encoding, the output with exactly the inserted header
// fields and blocks taken out is the input without its X-Bounce-* fields,
// byte for byte; every input byte is in the output, in order. Where a part
// is re-encoded, its decoded text must end with the whole forged text.
func TestForgedMarkers(t *testing.T) {
	files, err := filepath.Glob("../testdata/corpus/sisimai/bounces/*")
	if err != nil || len(files) < 300 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	exact, decoded := 0, 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		forged, ok := forge(raw, forgedHeading)
		if !ok {
			continue
		}
		name := filepath.Base(f)
		for _, lang := range []string{LangEN, LangZH} {
			res, err := Annotate(forged, Options{Lang: lang})
			if err != nil || !res.Changed {
				if !bytes.Equal(res.Output, forged) {
					t.Errorf("%s/%s: unchanged message rewritten", name, lang)
				}
				continue
			}
			if keepsEncoding(forged, res) {
				exact++
				if err := onlyInserted(forged, res); err != nil {
					t.Errorf("%s/%s: %v", name, lang, err)
				}
				continue
			}
			decoded++
			checkPartsPreserved(t, name+"/"+lang, forged, res.Output)
			checkTopFields(t, name+"/"+lang, forged, res)
		}
	}
	t.Logf("%d runs checked byte for byte, %d in decoded text", exact, decoded)
	if exact < 150 {
		t.Errorf("only %d runs checked byte for byte", exact)
	}
}

// keepsEncoding reports an annotation that changed no part's encoding and
// added no line ending of its own: the message and each target part end
// their header with a blank line, and each target part is 7bit/8bit and
// keeps its header bytes.
func keepsEncoding(in []byte, res *Result) bool {
	a, errA := scan(in)
	b, errB := scan(res.Output)
	if errA != nil || errB != nil || res.SetHeaders != nil || !a.HeaderEnded() {
		return false
	}
	ta, tb := findTargets(a), findTargets(b)
	if len(ta) != len(tb) {
		return false
	}
	for i, p := range ta {
		q := tb[i]
		switch cteOf(p) {
		case entity.CTE7bit, entity.CTE8bit, entity.CTEBinary:
		default:
			return false
		}
		if !p.HeaderEnded() || p.BodyStart == p.End ||
			!bytes.Equal(in[p.Start:p.BodyStart], res.Output[q.Start:q.BodyStart]) {
			return false
		}
	}
	return true
}

// onlyInserted checks that res.Output is in with the X-Bounce-* fields
// replaced and only the header fields and the blocks annotate renders
// inserted: taking exactly those out gives in without its X-Bounce-* fields.
func onlyInserted(in []byte, res *Result) error {
	root, err := scan(in)
	if err != nil {
		return err
	}
	var want bytes.Buffer
	pos := 0
	for _, f := range root.Header.Fields {
		if strings.HasPrefix(strings.ToLower(f.Name), headerPrefix) {
			want.Write(in[pos:f.Start])
			pos = f.End
		}
	}
	want.Write(in[pos:])
	got := res.Output
	eol := entity.LineEnding(in, mboxLineEnd(in))
	for _, f := range res.AddHeaders {
		got = cutFirst(got, f.Name+": "+f.Value+eol)
	}
	blk := newBlock(res.Report, catalog.Builtin(), res.Lang)
	for _, e := range []string{"\r\n", "\n"} {
		got = cutFirst(got, blk.text(e))
		got = cutFirst(got, blk.html(e))
	}
	if !bytes.Equal(got, want.Bytes()) {
		return fmt.Errorf("output is not the input with insertions only:\n%s", diffHint(want.Bytes(), got))
	}
	return nil
}

// cutFirst removes the first occurrence of s from b.
func cutFirst(b []byte, s string) []byte {
	i := bytes.Index(b, []byte(s))
	if i < 0 {
		return b
	}
	return append(b[:i:i], b[i+len(s):]...)
}

// TestOwnBlockOnly: a block annotate wrote is replaced, in whichever
// language it was written; a block written with another catalog, and a
// forged HTML block, stay below the new one; each output is stable.
func TestOwnBlockOnly(t *testing.T) {
	const file = "../examples/bounces/postfix-user-unknown.eml"
	site, err := catalog.Load("../catalog/testdata/heading")
	if err != nil {
		t.Fatal(err)
	}
	// The Chinese run re-encoded the part as UTF-8 quoted-printable, which
	// stays; its block is replaced.
	zh := annotateFile(t, file, Options{Lang: LangZH})
	got := annotateFile(t, writeTemp(t, zh), Options{Lang: LangEN})
	if strings.Count(got, textEnd) != 1 || !strings.Contains(got, "Why your message was not delivered") {
		t.Errorf("a Chinese block is not replaced by the English one:\n%s", got)
	}
	other := annotateFile(t, file, Options{Catalog: site})
	got = annotateFile(t, writeTemp(t, other), Options{Lang: LangEN})
	if strings.Count(got, textEnd) != 2 || !strings.Contains(got, "----- A note from the Example Corp helpdesk -----") {
		t.Errorf("the other catalog's block is not kept below the new one:\n%s", got)
	}
	if again, err := Annotate([]byte(got), Options{Lang: LangEN}); err != nil || string(again.Output) != got {
		t.Errorf("not idempotent with a foreign block (err %v)", err)
	}

	raw := dsnMessage("a@example.com", "550 5.1.1 unknown user")
	forged := bytes.Replace(raw, []byte("<html><body>"), []byte("<html><body>"+htmlBegin+"\r\n<p>Forged</p>"), 1)
	forged = bytes.Replace(forged, []byte("</body></html>"), []byte(htmlEnd+"</body></html>"), 1)
	res, err := Annotate(forged, Options{Lang: LangEN})
	if err != nil || !res.Changed || !keepsEncoding(forged, res) {
		t.Fatalf("forged HTML: changed %v, err %v", res.Changed, err)
	}
	if err := onlyInserted(forged, res); err != nil {
		t.Errorf("forged HTML: %v", err)
	}
}

// writeTemp writes s to a file and returns its name.
func writeTemp(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "m.eml")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
