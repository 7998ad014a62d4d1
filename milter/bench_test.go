package milter

import (
	"fmt"
	"net"
	"os"
	"strings"
	"testing"

	gomilter "github.com/emersion/go-milter"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/internal/bench"
)

// benchMessages plays raw through one connection to the bouncenote milter
// b.N times.
func benchMessages(b *testing.B, from string, raw string, wantEdits bool) {
	addr, _, _ := testServer(b, Config{})
	benchAt(b, addr, from, raw, wantEdits)
}

// benchAt plays raw through one connection to the milter at addr b.N times.
func benchAt(b *testing.B, addr, from string, raw string, wantEdits bool) {
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
// connection, annotated (body replaced); the same through a go-milter
// server that accepts everything unchanged (noop) and through one that
// sends each body back unchanged (echo: the least a milter that replaces
// bodies sends); and annotate.Annotate of the same message, in process
// (annotate), all measured in the same run: bouncenote less noop is what
// the milter costs over the protocol, of which annotate is annotate's own
// part. The bytes allocated per message show in B/op (for the milters,
// client and server together).
func BenchmarkLargeBounce(b *testing.B) {
	for _, size := range []int{100 << 10, 1 << 20} {
		raw := paddedBounce(b, size, foxLine)
		b.Run(fmt.Sprintf("%dKB/bouncenote", size>>10), func(b *testing.B) {
			b.ReportAllocs()
			benchMessages(b, "", raw, true)
		})
		b.Run(fmt.Sprintf("%dKB/noop", size>>10), func(b *testing.B) {
			b.ReportAllocs()
			benchAt(b, noopServer(b, bench.Noop{}), "", raw, false)
		})
		b.Run(fmt.Sprintf("%dKB/echo", size>>10), func(b *testing.B) {
			b.ReportAllocs()
			benchAt(b, noopServer(b, bench.Noop{Echo: true}), "", raw, true)
		})
		b.Run(fmt.Sprintf("%dKB/annotate", size>>10), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(raw)))
			msg := []byte(raw)
			for b.Loop() {
				if res, err := annotate.Annotate(msg, annotate.Options{}); err != nil || !res.Changed {
					b.Fatalf("not annotated: %v", err)
				}
			}
		})
	}
}

// noopServer serves, on loopback, a go-milter server whose backend is a
// copy of n (bench.Noop: continues at every event, accepts every message),
// with the negotiation of the bouncenote milter; it returns its address.
func noopServer(b *testing.B, n bench.Noop) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &gomilter.Server{NewMilter: func() gomilter.Milter { c := n; return &c }, Actions: actions, Protocol: protocol}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}
