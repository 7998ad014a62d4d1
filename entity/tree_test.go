package entity

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

var testLimits = Limits{MaxHeaderBytes: 256 << 10, MaxParts: 500, MaxDepth: 20, MaxLineLength: 1 << 20}

const bounces = "../testdata/corpus/sisimai/bounces/"

func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(bounces + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustParse(t testing.TB, src []byte) *Tree {
	t.Helper()
	tr, err := Parse(src, testLimits)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// leaves returns the entities that are not containers, in document order.
func leaves(e *Entity) []*Entity {
	if len(e.Children) == 0 {
		return []*Entity{e}
	}
	var out []*Entity
	for _, c := range e.Children {
		out = append(out, leaves(c)...)
	}
	return out
}

// checkOffsets verifies the offset invariants of every entity under e.
func checkOffsets(t testing.TB, e *Entity) {
	t.Helper()
	if !(0 <= e.Start && e.Start <= e.BodyStart && e.BodyStart <= e.End && e.End <= len(e.Src)) {
		t.Fatalf("offsets %d %d %d of %d", e.Start, e.BodyStart, e.End, len(e.Src))
	}
	for _, f := range e.Header.Fields {
		if f.Start < e.Start || f.End > e.BodyStart || !bytes.HasPrefix(e.Src[f.Start:], []byte(f.Name)) {
			t.Fatalf("field %q at %d-%d outside header %d-%d", f.Name, f.Start, f.End, e.Start, e.BodyStart)
		}
	}
	for _, d := range e.Delims {
		if d.Start < e.BodyStart || d.End > e.End || !bytes.HasPrefix(e.Src[d.Start:], []byte("--")) {
			t.Fatalf("delimiter %d-%d outside body %d-%d", d.Start, d.End, e.BodyStart, e.End)
		}
	}
	for _, c := range e.Children {
		if c.Parent != e {
			t.Fatal("child without parent")
		}
		if !c.Decoded && (c.Start < e.BodyStart || c.End > e.End) {
			t.Fatalf("child %d-%d outside parent body %d-%d", c.Start, c.End, e.BodyStart, e.End)
		}
		checkOffsets(t, c)
	}
}

func TestOffsets(t *testing.T) {
	src := []byte("From: a@example.org\r\nContent-Type: multipart/report; boundary=\"b\"\r\n\r\n" +
		"preamble\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\n" +
		"Content-Type: message/rfc822\r\n\r\nSubject: x\r\n\r\nbody\r\n--b--\r\nepilogue\r\n")
	tr := mustParse(t, src)
	checkOffsets(t, tr.Root)
	r := tr.Root
	if r.Kind != Multipart || len(r.Children) != 2 || len(r.Delims) != 3 {
		t.Fatalf("root %v children %d delims %d", r.Kind, len(r.Children), len(r.Delims))
	}
	if got := string(r.Children[0].Body()); got != "hello" {
		t.Errorf("first body %q", got)
	}
	if got := string(src[r.Delims[2].Start:r.Delims[2].End]); got != "--b--\r\n" {
		t.Errorf("close delimiter %q", got)
	}
	msg := r.Children[1]
	if msg.Kind != Message || msg.Children[0].Header.Get("Subject") != "x" || string(msg.Children[0].Body()) != "body" {
		t.Errorf("encapsulated message %+v", msg.Children[0])
	}
	if f := r.Header.Fields[1]; string(src[f.Start:f.End]) != "Content-Type: multipart/report; boundary=\"b\"\r\n" {
		t.Errorf("field bytes %q", src[f.Start:f.End])
	}
}

// TestCorpusOffsets reads every corpus message and checks the offsets.
func TestCorpusOffsets(t *testing.T) {
	files, _ := filepath.Glob("../testdata/corpus/*/*/*.eml")
	more, _ := filepath.Glob("../testdata/corpus/*/*/*/*.eml")
	files = append(files, more...)
	if len(files) < 100 {
		t.Fatalf("only %d corpus files", len(files))
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if HasBareCR(b) {
			b = NormalizeNewlines(b)
		}
		tr, err := Parse(b, testLimits)
		if tr == nil {
			if !errors.Is(err, ErrLimit) {
				t.Errorf("%s: %v", f, err)
			}
			continue
		}
		checkOffsets(t, tr.Root)
	}
}

// CRLF and LF copies of a message give the same tree shape and texts.
func TestLineEndings(t *testing.T) {
	lf := sample(t, "lhost-x3-01.eml")
	lf = NormalizeNewlines(lf)
	crlf := bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n"))
	a, b := leaves(mustParse(t, lf).Root), leaves(mustParse(t, crlf).Root)
	if len(a) != len(b) {
		t.Fatalf("%d leaves for LF, %d for CRLF", len(a), len(b))
	}
	for i := range a {
		if a[i].MediaType != b[i].MediaType || LFString(a[i].Body()) != LFString(b[i].Body()) {
			t.Errorf("leaf %d differs", i)
		}
	}
}

// QUIRK samples, one test each.

func TestQuirkGuessedBoundary(t *testing.T) {
	// rhost-google-02: the boundary parameter differs from the delimiter
	// lines, so the boundary is guessed from the body.
	tr := mustParse(t, sample(t, "rhost-google-02.eml"))
	r := tr.Root
	if r.Kind != Multipart || len(r.Children) != 3 || r.Children[1].MediaType != "message/delivery-status" {
		t.Fatalf("root %s %v, %d parts", r.MediaType, r.Kind, len(r.Children))
	}
}

func TestQuirkParamLine(t *testing.T) {
	// lhost-office365-10 and lhost-apachejames-01: "boundary=" on an
	// unindented line after "multipart/alternative;" continues the field.
	for _, name := range []string{"lhost-office365-10.eml", "lhost-apachejames-01.eml"} {
		t.Run(name, func(t *testing.T) {
			tr := mustParse(t, sample(t, name))
			alt := tr.Root.Children[0]
			if alt.MediaType != "multipart/alternative" || alt.Params["boundary"] == "" || alt.Kind != Multipart || len(alt.Children) == 0 {
				t.Fatalf("alternative part: %s %q %v %d", alt.MediaType, alt.Params["boundary"], alt.Kind, len(alt.Children))
			}
			if !bytes.Contains(alt.Body(), []byte("--"+alt.Params["boundary"])) {
				t.Errorf("boundary %q not in the body", alt.Params["boundary"])
			}
		})
	}
}

func TestQuirkHeaderWithoutBlankLine(t *testing.T) {
	// lhost-office365-08: the text/html part's header runs into a line
	// that is no field ("5vMbyqxG...") without a blank line.
	tr := mustParse(t, sample(t, "lhost-office365-08.eml"))
	for _, l := range leaves(tr.Root) {
		if l.MediaType == "text/html" {
			if l.HeaderEnded() || !bytes.HasPrefix(l.Body(), []byte("5vMbyqxG")) || TransferEncoding(l.Header) != CTEQuotedPrintable {
				t.Fatalf("header ended %v, body %.20q", l.HeaderEnded(), l.Body())
			}
			return
		}
	}
	t.Fatal("no text/html part")
}

func TestQuirkPseudoText(t *testing.T) {
	// lhost-amazonses-14: the boundary parameter matches no line.
	tr := mustParse(t, sample(t, "lhost-amazonses-14.eml"))
	var found bool
	for _, l := range leaves(tr.Root) {
		if l.Kind == PseudoText {
			found = true
		}
	}
	if !found {
		t.Fatal("no multipart read as text")
	}
}

func TestQuirkNoCloseDelimiter(t *testing.T) {
	// lhost-activehunter-01: the report ends without "--boundary--".
	tr := mustParse(t, sample(t, "lhost-activehunter-01.eml"))
	r := tr.Root
	last := r.Children[len(r.Children)-1]
	if r.Kind != Multipart || last.End != r.End {
		t.Fatalf("last part ends at %d, message at %d", last.End, r.End)
	}
	for _, d := range r.Delims {
		if bytes.HasSuffix(bytes.TrimRight(r.Src[d.Start:d.End], "\r\n \t"), []byte("--")) {
			t.Fatal("close delimiter found")
		}
	}
}

func TestQuirkMboxFromLine(t *testing.T) {
	// lhost-exim-07 starts with an mbox "From " envelope line.
	tr := mustParse(t, sample(t, "lhost-exim-07.eml"))
	if tr.Root.Header.Raw("From") == "" || tr.Root.Header.Fields[0].Start == 0 {
		t.Fatalf("envelope line not skipped: %+v", tr.Root.Header.Fields[0])
	}
}

func TestQuirkBlankLinesBeforeReturnedHeader(t *testing.T) {
	// lhost-x3-01: the message/rfc822 body starts with blank lines.
	tr := mustParse(t, sample(t, "lhost-x3-01.eml"))
	for _, e := range tr.Root.Children {
		if e.Kind == Message {
			in := e.Children[0]
			if in.Start == e.BodyStart || len(in.Header.Fields) == 0 {
				t.Fatalf("returned header not found after the blank lines")
			}
			return
		}
	}
	t.Fatal("no message/rfc822 part")
}

func TestQuirkLenientContentType(t *testing.T) {
	// lhost-x1-02: a Content-Type that mime.ParseMediaType rejects.
	tr := mustParse(t, sample(t, "lhost-x1-02.eml"))
	if tr.Root.Kind != Multipart || tr.Root.Params["boundary"] == "" {
		t.Fatalf("root %s %v %v", tr.Root.MediaType, tr.Root.Kind, tr.Root.Params)
	}
}

func TestQuirkUnlabelledISO2022JP(t *testing.T) {
	// annotate/testdata/golden/qmail-iso2022jp.eml: Japanese qmail text
	// in ISO-2022-JP without a charset parameter.
	b, err := os.ReadFile("../annotate/testdata/golden/qmail-iso2022jp.eml")
	if err != nil {
		t.Fatal(err)
	}
	tr := mustParse(t, b)
	txt := ToUTF8(LFString(DecodeTransfer(tr.Root.Header, tr.Root.Body())), "")
	if strings.Contains(txt, "\x1b") || !strings.ContainsFunc(txt, func(r rune) bool { return r >= 0x3040 && r <= 0x30ff }) {
		t.Fatalf("not decoded: %.200q", txt)
	}
}

func TestLimits(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("Content-Type: multipart/mixed; boundary=b\n\n")
	for i := 0; i < 20; i++ {
		sb.WriteString("--b\n\nx\n")
	}
	lim := testLimits
	lim.MaxParts = 10
	tr, err := Parse([]byte(sb.String()), lim)
	if !errors.Is(err, ErrLimit) {
		t.Fatalf("err %v", err)
	}
	if n := len(tr.Root.Children); n != 10 || !tr.Root.Children[9].Cut {
		t.Fatalf("%d children read before the limit", n)
	}
	// Inside a returned message, a limit ends the reading without error.
	msg := "Content-Type: message/rfc822\n\n" + sb.String()
	tr, err = Parse([]byte(msg), lim)
	if err != nil || tr.Root.Kind != Message {
		t.Fatalf("carried limit: %v", err)
	}
	lim.MaxHeaderBytes = 10
	if _, err := Parse([]byte("Subject: a long subject\n\nbody"), lim); !errors.Is(err, ErrLimit) {
		t.Fatalf("header limit: %v", err)
	}
}

// FuzzTree checks that Parse never panics, that errors wrap ErrLimit, and
// that every offset stays inside its source.
func FuzzTree(f *testing.F) {
	for _, name := range []string{"lhost-apachejames-01.eml", "lhost-amazonses-14.eml", "lhost-activehunter-01.eml", "lhost-x3-01.eml", "lhost-x1-02.eml",
		"lhost-outlook-01.eml", "lhost-office365-10.eml", "rhost-google-02.eml", "lhost-exchange2007-02.eml"} {
		if b, err := os.ReadFile(bounces + name); err == nil {
			f.Add(b)
		}
	}
	lim := Limits{MaxHeaderBytes: 4096, MaxParts: 50, MaxDepth: 8, MaxLineLength: 4096}
	f.Fuzz(func(t *testing.T, src []byte) {
		if HasBareCR(src) {
			src = NormalizeNewlines(src)
		}
		tr, err := Parse(src, lim)
		if err != nil && !errors.Is(err, ErrLimit) {
			t.Fatalf("error %v wraps no ErrLimit", err)
		}
		if tr != nil {
			checkOffsets(t, tr.Root)
			for _, l := range leaves(tr.Root) {
				out, err := Decode(l.Header, l.Body())
				if err != nil && !errors.Is(err, ErrEncoding) {
					t.Fatalf("decode error %v wraps no ErrEncoding", err)
				}
				txt := ToUTF8(LFString(DecodeTransfer(l.Header, l.Body())), l.Params["charset"])
				if !utf8.ValidString(txt) || (err == nil && len(out) > 0 && len(DecodeTransfer(l.Header, l.Body())) != len(out)) {
					t.Fatalf("lenient reading %q differs from Decode %q", txt, out)
				}
			}
		}
	})
}

// A multipart with many more parts than MaxParts is split only up to the limit.
func TestSplitStopsAtLimit(t *testing.T) {
	body := []byte(strings.Repeat("--b\n\nx\n", 10000))
	parts, _ := splitMultipart(body, 0, len(body), "b", 11)
	if len(parts) != 11 {
		t.Fatalf("%d parts split", len(parts))
	}
}
