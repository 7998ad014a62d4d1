package dsn_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
	_ "github.com/bouncenote/bouncenote/dsn/formats" // test the formats as the binary runs them
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const corpus = "../testdata/corpus"

// corpusFiles returns the files of a corpus directory (not LICENSE, not
// expected.tsv).
func corpusFiles(t testing.TB, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || n == "LICENSE" || strings.HasSuffix(n, ".tsv") {
			continue
		}
		out = append(out, filepath.Join(dir, n))
	}
	if len(out) == 0 {
		t.Fatalf("no files in %s", dir)
	}
	return out
}

func readFile(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOrdinaryMailIsNone: no ordinary message may be reported as anything
// but KindNone.
func TestOrdinaryMailIsNone(t *testing.T) {
	var files []string
	for _, d := range []string{"normal/enmime", "normal/inbucket", "sisimai/not"} {
		files = append(files, corpusFiles(t, filepath.Join(corpus, d))...)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := dsn.Parse(readFile(t, f), nil)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if r.Kind != dsn.KindNone {
				t.Errorf("kind %q (format %q), want none", r.Kind, r.Format)
			}
		})
	}
}

// expectedFiles returns the names of the bounces that expected.tsv lists.
func expectedFiles(t testing.TB) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for i, line := range strings.Split(string(readFile(t, filepath.Join(corpus, "sisimai/expected.tsv"))), "\n") {
		if f, _, ok := strings.Cut(line, "\t"); ok && i > 0 {
			out[f] = true
		}
	}
	return out
}

// TestCorpusBouncesParse: every real bounce parses without error, and the
// standard reports among them (the rfc3464-* files that expected.tsv
// lists; the others are text bounces of old mailers) are recognised with
// their recipients.
func TestCorpusBouncesParse(t *testing.T) {
	expected := expectedFiles(t)
	for _, f := range corpusFiles(t, filepath.Join(corpus, "sisimai/bounces")) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := dsn.Parse(readFile(t, f), nil)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			base := filepath.Base(f)
			if strings.HasPrefix(base, "rfc3464-") && expected[base] {
				if r.Kind != dsn.KindFailure && r.Kind != dsn.KindDelay && r.Kind != dsn.KindSuccess {
					t.Errorf("kind %q, want a delivery report", r.Kind)
				}
				if len(r.Recipients) == 0 {
					t.Error("no recipients")
				}
			}
		})
	}
}

// TestBrokenMboxPieces: the pieces of a broken mbox must not panic or fail
// with anything but a sentinel error.
func TestBrokenMboxPieces(t *testing.T) {
	for _, f := range corpusFiles(t, filepath.Join(corpus, "sisimai/err")) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := dsn.Parse(readFile(t, f), nil)
			if err != nil {
				if !isSentinel(err) {
					t.Fatalf("error %v wraps no sentinel", err)
				}
				return
			}
			if r == nil || r.Kind == "" {
				t.Fatalf("report %+v without kind", r)
			}
		})
	}
}

// TestLineEndingsGiveEqualReports: LF, CRLF and CR-only versions of every
// corpus message give the same Report.
func TestLineEndingsGiveEqualReports(t *testing.T) {
	var files []string
	for _, d := range []string{"sisimai/bounces", "sisimai/not", "normal/enmime", "normal/inbucket"} {
		files = append(files, corpusFiles(t, filepath.Join(corpus, d))...)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw := readFile(t, f)
			lf := bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
			want, err := dsn.Parse(lf, nil)
			if err != nil {
				t.Fatalf("LF: %v", err)
			}
			for name, v := range map[string][]byte{
				"CRLF": bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n")),
				"CR":   bytes.ReplaceAll(lf, []byte("\n"), []byte("\r")),
			} {
				got, err := dsn.Parse(v, nil)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s report differs from LF:\n got %+v\nwant %+v", name, got, want)
				}
			}
		})
	}
}

// goldenSamples are the corpus files whose full Report is kept in
// testdata/golden: standard delivery reports, feedback reports and
// auto-replies, which the built-in readers handle. (Non-standard layouts
// are tested by their format's own tests in dsn/formats.)
var goldenSamples = []string{
	"rfc3464-01.eml", "rfc3464-04.eml", "rfc3464-07.eml", "rfc3464-10.eml", "rfc3464-28.eml",
	"rfc3464-39.eml", "rfc3464-43.eml", "rfc3464-58.eml", "rfc3464-60.eml", "rfc3464-66.eml",
	"rfc3464-65.eml", "lhost-postfix-02.eml", "rhost-franceptt-10.eml",
	"arf-02.eml", "arf-16.eml", "rfc3834-01.eml", "rfc3834-02.eml",
}

// TestGolden compares the Report of each golden sample with
// testdata/golden/<name>.json; run with -update to rewrite them. Reason and
// hard_bounce are left out: the classifier has its own tests and changes
// independently.
func TestGolden(t *testing.T) {
	for _, name := range goldenSamples {
		t.Run(name, func(t *testing.T) {
			r, err := dsn.Parse(readFile(t, filepath.Join(corpus, "sisimai/bounces", name)), nil)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for i := range r.Recipients {
				r.Recipients[i].Reason = ""
				r.Recipients[i].HardBounce = false
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(r); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			gf := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".eml")+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(gf), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(gf, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want := readFile(t, gf)
			if !bytes.Equal(got, want) {
				t.Errorf("report differs from %s (run go test -update to accept):\n%s", gf, got)
			}
		})
	}
}

func isSentinel(err error) bool {
	return errors.Is(err, dsn.ErrLimit) || errors.Is(err, dsn.ErrMalformed)
}

// BenchmarkParseCorpus parses every corpus bounce once per iteration.
func BenchmarkParseCorpus(b *testing.B) {
	files := corpusFiles(b, filepath.Join(corpus, "sisimai/bounces"))
	raws := make([][]byte, len(files))
	var n int64
	for i, f := range files {
		raws[i] = readFile(b, f)
		n += int64(len(raws[i]))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range raws {
			if _, err := dsn.Parse(raw, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(raws))*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkParseAdversarial parses inputs shaped to make a naive parser
// quadratic: a header of 100k folded lines, a delivery-status field folded
// 100k times, 10k would-be boundaries, 1000 recipients named in the text.
func BenchmarkParseAdversarial(b *testing.B) {
	inputs := map[string]string{
		"folded header": "Subject: x\n" + strings.Repeat(" y\n", 100000) + "\nbody\n",
		"folded status": "Content-Type: multipart/report; boundary=B\n\n--B\nContent-Type: message/delivery-status\n\n" +
			"Final-Recipient: rfc822; a@b.example\nAction: failed\nDiagnostic-Code: smtp; 550\n" + strings.Repeat(" z\n", 100000) + "--B--\n",
		"boundaries": "Content-Type: multipart/mixed\n\n" + strings.Repeat("--x\n--y\n--", 10000),
		"many recipients": "Content-Type: multipart/report; boundary=B\n\n--B\n\n" +
			strings.Repeat("<u@example.net>: 550 5.1.1 unknown\n", 1000) + "--B\nContent-Type: message/delivery-status\n\n" +
			strings.Repeat("Final-Recipient: rfc822; u@example.net\nAction: failed\nStatus: 5.0.0\n\n", 1000) + "--B--\n",
	}
	for name, in := range inputs {
		b.Run(name, func(b *testing.B) {
			raw := []byte(in)
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, err := dsn.Parse(raw, nil); err != nil && !isSentinel(err) {
					b.Fatal(err)
				}
			}
		})
	}
}
