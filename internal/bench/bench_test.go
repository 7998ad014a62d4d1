package bench

import (
	"os"
	"testing"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/dsn"
	_ "github.com/bouncenote/bouncenote/dsn/formats" // text bounce formats register themselves
)

// corpus reads every corpus message (CorpusFiles).
func corpus(tb testing.TB) ([][]byte, int64) {
	tb.Helper()
	files, err := CorpusFiles("../../testdata/corpus")
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) < 400 {
		tb.Fatalf("only %d corpus files", len(files))
	}
	var msgs [][]byte
	var size int64
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		msgs, size = append(msgs, raw), size+int64(len(raw))
	}
	return msgs, size
}

// BenchmarkCorpus runs, over every corpus message, the bare go-message
// walk, dsn.Parse (what inspect does per message) and annotate.Annotate,
// side by side in one run, so that their ns/op compare directly:
//
//	go test -run '^$' -bench Corpus -benchmem -count 6 ./internal/bench
func BenchmarkCorpus(b *testing.B) {
	msgs, size := corpus(b)
	steps := []struct {
		name string
		run  func(raw []byte) error
	}{
		{"walk", func(raw []byte) error { _, err := Walk(raw); return err }},
		{"parse", func(raw []byte) error { _, err := dsn.Parse(raw, nil); return err }},
		{"annotate", func(raw []byte) error { _, err := annotate.Annotate(raw, annotate.Options{}); return err }},
	}
	for _, st := range steps {
		b.Run(st.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, raw := range msgs {
					_ = st.run(raw) // some corpus messages are meant not to parse
				}
			}
		})
	}
}

// TestWalk: the walk reads the corpus as go-message can: most messages
// whole, every part of a multipart report, bodies decoded.
func TestWalk(t *testing.T) {
	msgs, _ := corpus(t)
	parsed, parts := 0, 0
	for _, raw := range msgs {
		c, err := Walk(raw)
		if err == nil {
			parsed++
		}
		parts += c.Parts
	}
	if parsed*10 < len(msgs)*8 || parts < 2*parsed {
		t.Errorf("%d of %d messages walked, %d parts: the walk does not read the corpus", parsed, len(msgs), parts)
	}
	c, err := Walk([]byte("From: a@example.org\r\nContent-Type: multipart/report; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n--b--\r\n"))
	if err != nil || c.Parts != 2 || c.Decoded != int64(len("hello")) {
		t.Errorf("Walk of a 2-part message: %+v, %v; want 2 parts, 5 decoded bytes", c, err)
	}
}
