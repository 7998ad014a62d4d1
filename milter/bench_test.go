package milter

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// benchMessages plays raw through one milter connection b.N times.
func benchMessages(b *testing.B, from string, raw string, wantEdits bool) {
	addr, _, _ := testServer(b, Config{})
	s := dial(b, addr)
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tr := sendMessage(b, s, from, raw)
		if wantEdits != (len(tr.mods) > 0) {
			b.Fatalf("message %d: %d edits", i, len(tr.mods))
		}
	}
}

// BenchmarkBounce: a Postfix bounce annotated with the real annotate package.
func BenchmarkBounce(b *testing.B) {
	raw, err := os.ReadFile("../testdata/corpus/sisimai/bounces/lhost-postfix-02.eml")
	if err != nil {
		b.Fatal(err)
	}
	benchMessages(b, "", strings.ReplaceAll(string(raw), "\n", "\r\n"), true)
}

// BenchmarkOrdinary: ordinary mail, accepted at end-of-header.
func BenchmarkOrdinary(b *testing.B) {
	benchMessages(b, "bob@example.org", ordinaryMsg, false)
}

// BenchmarkLargeBounce: a 100 KB and a 1 MB bounce through one
// connection, annotated (body replaced): the bytes the milter copies per
// message show in B/op.
func BenchmarkLargeBounce(b *testing.B) {
	for _, size := range []int{100 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("%dKB", size>>10), func(b *testing.B) {
			b.ReportAllocs()
			benchMessages(b, "", paddedBounce(b, size, foxLine), true)
		})
	}
}
