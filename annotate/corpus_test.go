package annotate

import (
	"bytes"
	"errors"
	"github.com/bouncenote/bouncenote/entity"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// corpusDirs hold the copied test corpus: bounces, non-bounces, ordinary mail.
var corpusDirs = []string{
	"../testdata/corpus/sisimai/bounces",
	"../testdata/corpus/sisimai/not",
	"../testdata/corpus/normal/enmime",
	"../testdata/corpus/normal/inbucket",
}

// corpusFiles lists every message file of the corpus.
func corpusFiles(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, d := range corpusDirs {
		err := filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.IsDir() || strings.HasPrefix(e.Name(), "LICENSE") || strings.HasPrefix(e.Name(), ".") ||
				strings.HasSuffix(e.Name(), ".md") {
				return nil
			}
			out = append(out, p)
			return nil
		})
		if err != nil {
			t.Fatalf("reading corpus %s: %v", d, err)
		}
	}
	if len(out) < 400 {
		t.Fatalf("corpus has only %d files; is testdata/corpus there?", len(out))
	}
	return out
}

func isBounce(r *dsn.Report) bool {
	return r != nil && (r.Kind == dsn.KindFailure || r.Kind == dsn.KindDelay)
}

// TestCorpusAnnotate runs Annotate over the whole corpus in both languages
// and checks every promise of the package on every message.
func TestCorpusAnnotate(t *testing.T) {
	annotated, blocks, passed := map[string]int{}, map[string]int{}, 0
	for _, f := range corpusFiles(t) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []string{LangEN, LangZH, LangAuto} {
			name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f) + "/" + lang
			res, err := Annotate(raw, Options{Lang: lang})
			if err != nil {
				if !errors.Is(err, dsn.ErrLimit) && !errors.Is(err, dsn.ErrMalformed) {
					t.Errorf("%s: error not wrapping a dsn sentinel: %v", name, err)
				}
				if !bytes.Equal(res.Output, raw) {
					t.Errorf("%s: output changed despite error", name)
				}
				continue
			}
			if !isBounce(res.Report) {
				passed++
				if res.Changed || !bytes.Equal(res.Output, raw) {
					t.Errorf("%s: kind %s changed", name, res.Report.Kind)
				}
				continue
			}
			annotated[lang]++
			if res.BodyParts > 0 {
				blocks[lang]++
			}
			checkAnnotated(t, name, raw, res, lang)
		}
	}
	for _, l := range []string{LangEN, LangZH, LangAuto} {
		t.Logf("lang %s: %d messages annotated, %d of them with a body block", l, annotated[l], blocks[l])
	}
	t.Logf("%d message runs passed through unchanged", passed)
}

// checkAnnotated checks one annotated bounce.
func checkAnnotated(t *testing.T, name string, raw []byte, res *Result, lang string) {
	t.Helper()
	if !res.Changed {
		t.Errorf("%s: bounce of kind %s not changed", name, res.Report.Kind)
		return
	}
	checkOurHeaders(t, name, res.Output)
	if res.BodyParts == 0 && !allowHeadersOnly(raw, lang) {
		t.Errorf("%s: no body block: %s", name, res.BodyNote)
	}
	checkPartsPreserved(t, name, raw, res.Output)
	checkTopFields(t, name, raw, res)
	if got := applyEditsIndependently(t, raw, res); !bytes.Equal(got, res.Output) {
		t.Errorf("%s: Output differs from applying the milter edits", name)
	}
	again, err := Annotate(res.Output, Options{Lang: lang})
	if err != nil || !bytes.Equal(again.Output, res.Output) {
		t.Errorf("%s: not idempotent (err %v)", name, err)
	}
	rep, err := dsn.Parse(res.Output, nil)
	if err != nil {
		t.Errorf("%s: output does not parse: %v", name, err)
		return
	}
	if d := reportDiff(res.Report, rep); d != "" {
		t.Errorf("%s: output re-parses differently: %s", name, d)
	}
}

// allowHeadersOnly is true for the messages that cannot carry a block: a
// multipart without delimiters cannot declare UTF-8, so zh-CN gets headers only.
func allowHeadersOnly(raw []byte, lang string) bool {
	root, err := scan(raw)
	if err != nil {
		return true
	}
	ts := findTargets(root)
	return len(ts) == 1 && (ts[0].Kind == entity.PseudoText || badType(ts[0])) && lang != LangEN
}

// checkOurHeaders checks that the output starts with our fields and has no
// other X-Bounce-* field.
func checkOurHeaders(t *testing.T, name string, out []byte) {
	t.Helper()
	root, err := scan(out)
	if err != nil {
		t.Errorf("%s: output does not scan: %v", name, err)
		return
	}
	var ours []string
	for i, f := range root.Header.Fields {
		if strings.HasPrefix(strings.ToLower(f.Name), headerPrefix) {
			if i != len(ours) {
				t.Errorf("%s: %s is not at the top", name, f.Name)
			}
			ours = append(ours, f.Name)
		}
	}
	if len(ours) < 3 || ours[0] != HeaderReason || ours[1] != HeaderStatus || ours[2] != HeaderExplanation {
		t.Errorf("%s: X-Bounce fields %v", name, ours)
	}
	for _, f := range root.Header.Fields[:len(ours)] {
		for _, l := range strings.Split(string(out[f.Start:f.End]), "\n") {
			if len(strings.TrimRight(l, "\r")) > lineLimit {
				t.Errorf("%s: %s line over 78: %q", name, f.Name, l)
			}
		}
	}
}

// reportDiff compares what matters of two reports.
func reportDiff(a, b *dsn.Report) string {
	if a.Kind != b.Kind {
		return "kind " + string(a.Kind) + " vs " + string(b.Kind)
	}
	if len(a.Recipients) != len(b.Recipients) {
		return "recipient count differs"
	}
	for i := range a.Recipients {
		x, y := a.Recipients[i], b.Recipients[i]
		if x.Recipient != y.Recipient || x.Status != y.Status || x.Reason != y.Reason ||
			x.Action != y.Action || x.ReplyCode != y.ReplyCode {
			return "recipient " + x.Recipient + " differs: " + x.Status + "/" + x.Reason + " vs " + y.Status + "/" + y.Reason
		}
	}
	return ""
}

// checkPartsPreserved compares input and output part by part: every
// non-target leaf byte-identical, every gap between parts (preamble,
// delimiters, epilogue) byte-identical, target parts ending with their
// original text and keeping their other header fields.
func checkPartsPreserved(t *testing.T, name string, in, out []byte) {
	t.Helper()
	a, errA := scan(in)
	b, errB := scan(out)
	if errA != nil || errB != nil {
		if errA == nil {
			t.Errorf("%s: output does not scan: %v", name, errB)
		}
		return
	}
	targets := map[int]bool{}
	for _, p := range findTargets(a) {
		targets[p.Start] = true
	}
	comparePart(t, name, in, out, a, b, targets, true)
}

func comparePart(t *testing.T, name string, in, out []byte, a, b *entity.Entity, targets map[int]bool, top bool) {
	t.Helper()
	if len(a.Children) != len(b.Children) || a.MediaType != b.MediaType && !targets[a.Start] {
		t.Errorf("%s: structure differs at %s: %d vs %d children", name, a.MediaType, len(a.Children), len(b.Children))
		return
	}
	if targets[a.Start] {
		compareTarget(t, name, in, out, a, b, top)
		return
	}
	if !top && !bytes.Equal(in[a.Start:a.BodyStart], out[b.Start:b.BodyStart]) {
		t.Errorf("%s: header of %s part changed", name, a.MediaType)
	}
	if len(a.Children) == 0 {
		if !bytes.Equal(in[a.BodyStart:a.End], out[b.BodyStart:b.End]) {
			t.Errorf("%s: body of %s part changed", name, a.MediaType)
		}
		return
	}
	ga, gb := gaps(in, a), gaps(out, b)
	for i := range ga {
		if !bytes.Equal(ga[i], gb[i]) {
			t.Errorf("%s: bytes between parts of %s changed: %q vs %q", name, a.MediaType, ga[i], gb[i])
		}
	}
	for i := range a.Children {
		comparePart(t, name, in, out, a.Children[i], b.Children[i], targets, false)
	}
}

// gaps returns the bytes of a multipart body outside its children.
func gaps(raw []byte, p *entity.Entity) [][]byte {
	var out [][]byte
	pos := p.BodyStart
	for _, c := range p.Children {
		out = append(out, raw[pos:c.Start])
		pos = c.End
	}
	return append(out, raw[pos:p.End])
}

// compareTarget checks an annotated part: same header fields except
// Content-Type and Content-Transfer-Encoding, original text at the end.
func compareTarget(t *testing.T, name string, in, out []byte, a, b *entity.Entity, top bool) {
	t.Helper()
	if !top {
		fa, fb := otherFields(in, a), otherFields(out, b)
		if fa != fb {
			t.Errorf("%s: target part's other header fields changed:\n%q\n%q", name, fa, fb)
		}
	}
	orig, err := decodedText(in, a)
	if err != nil {
		return // the input part could not be decoded, so it was left alone
	}
	got, err := decodedText(out, b)
	if err != nil {
		t.Errorf("%s: annotated part does not decode: %v", name, err)
		return
	}
	if bytes.Equal(got, orig) {
		return // left alone (allowed only where checkAnnotated allows it)
	}
	if a.MediaType == "text/html" {
		if !strings.EqualFold(charsetOf(a), charsetOf(b)) {
			orig = metaUTF8(orig) // re-encoded: <meta> charsets now say utf-8
		}
		i, j := bytes.Index(got, []byte(htmlBegin)), bytes.Index(got, []byte(htmlEnd))
		if i < 0 || j < i {
			t.Errorf("%s: html target has no block", name)
			return
		}
		rest := got[j+len(htmlEnd):]
		if bytes.HasPrefix(rest, []byte("\r\n")) {
			rest = rest[2:]
		} else if bytes.HasPrefix(rest, []byte("\n")) {
			rest = rest[1:]
		}
		got = append(got[:i:i], rest...)
	}
	if !bytes.HasSuffix(normEOL(got), normEOL(orig)) && !bytes.Equal(normEOL(got), normEOL(orig)) {
		t.Errorf("%s: annotated %s part lost its original text", name, a.MediaType)
	}
}

func otherFields(raw []byte, p *entity.Entity) string {
	var sb strings.Builder
	for _, f := range p.Header.Fields {
		if !strings.EqualFold(f.Name, "Content-Type") && !strings.EqualFold(f.Name, "Content-Transfer-Encoding") {
			sb.Write(raw[f.Start:f.End])
		}
	}
	return sb.String()
}

// decodedText is the part's text in UTF-8.
func decodedText(raw []byte, p *entity.Entity) ([]byte, error) {
	dec, err := entity.Decode(p.Header, raw[p.BodyStart:p.End])
	if err != nil {
		return nil, err
	}
	s, err := entity.DecodeCharset(string(dec), charsetOf(p))
	return []byte(s), err
}

func normEOL(b []byte) []byte {
	return bytes.TrimRight(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")), "\n")
}

// applyEditsIndependently applies Result's milter edits the way a milter
// does, field by field, without the package's applyEdits.
func applyEditsIndependently(t *testing.T, raw []byte, res *Result) []byte {
	t.Helper()
	root, err := scan(raw)
	if root == nil {
		t.Fatal(err)
	}
	start := headStart(root) // an mbox line, stray lines stay first
	eol := entity.LineEnding(raw, start)
	type hf struct{ name, wire string }
	var hdr []hf
	for _, f := range res.AddHeaders {
		hdr = append(hdr, hf{f.Name, f.Name + ": " + f.Value + eol})
	}
	end := start
	for _, f := range root.Header.Fields {
		end = f.End
		drop := false
		for _, n := range res.RemoveHeaders {
			drop = drop || strings.EqualFold(n, f.Name)
		}
		if !drop {
			hdr = append(hdr, hf{f.Name, string(raw[f.Start:f.End])})
		}
	}
	for _, s := range res.SetHeaders {
		found := false
		for i := len(res.AddHeaders); i < len(hdr) && !found; i++ {
			if strings.EqualFold(hdr[i].name, s.Name) {
				hdr[i].wire, found = s.Name+": "+s.Value+eol, true
			}
		}
		if !found {
			hdr = append(hdr, hf{s.Name, s.Name + ": " + s.Value + eol})
		}
	}
	var b bytes.Buffer
	b.Write(raw[:start])
	for _, h := range hdr {
		b.WriteString(h.wire)
	}
	if res.Body == nil {
		b.Write(raw[end:])
		return b.Bytes()
	}
	if root.HeaderEnded() {
		b.Write(raw[end:root.BodyStart])
	} else {
		b.WriteString(eol)
	}
	b.Write(res.Body)
	return b.Bytes()
}

// checkTopFields checks that the top-level fields other than X-Bounce-* and
// the SetHeaders ones keep their order and bytes.
func checkTopFields(t *testing.T, name string, in []byte, res *Result) {
	t.Helper()
	skip := map[string]bool{}
	for _, f := range res.SetHeaders {
		skip[strings.ToLower(f.Name)] = true
	}
	keep := func(raw []byte) string {
		root, err := scan(raw)
		if root == nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		for _, f := range root.Header.Fields {
			l := strings.ToLower(f.Name)
			if !strings.HasPrefix(l, headerPrefix) && !skip[l] {
				sb.Write(raw[f.Start:f.End])
			}
		}
		return sb.String()
	}
	if keep(in) != keep(res.Output) {
		t.Errorf("%s: other top-level header fields changed", name)
	}
}
