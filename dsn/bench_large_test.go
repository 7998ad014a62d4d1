package dsn_test

import (
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/testmsg"
)

// BenchmarkParseLarge parses a bounce whose returned message is 8 MiB of
// text, and a report of 100,000 recipients (over the limit): B/op and
// allocs/op show what a large message costs.
func BenchmarkParseLarge(b *testing.B) {
	inputs := []struct{ name, raw string }{
		{"8 MiB returned", testmsg.Bounce("Delivery failed.", testmsg.Returned("", strings.Repeat("All work and no play makes Jack a dull boy.\n", 8<<20/44)))},
		{"100000 recipients", testmsg.Recipients(100000)},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			raw := []byte(in.raw)
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := dsn.Parse(raw, nil); err != nil && !isSentinel(err) {
					b.Fatal(err)
				}
			}
		})
	}
}
