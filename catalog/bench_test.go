package catalog

import "testing"

// BenchmarkExplain measures one lookup in the built-in catalog.
func BenchmarkExplain(b *testing.B) {
	c := Builtin()
	benches := []struct {
		name string
		q    Query
	}{
		{"text", ParseLine("host mx.example.org[192.0.2.1] said: 550 5.1.1 <kim@example.org>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)")},
		{"code-only", Query{ReplyCode: "550", Status: "5.7.1"}},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Explain(bb.q, "en")
			}
		})
	}
}
