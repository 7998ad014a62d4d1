package catalog

import (
	"io/fs"
	"os"
	"testing"
)

// benchQueries are a diagnostic line and bare codes (`explain 550` gives
// the text "550").
var benchQueries = []struct {
	name string
	q    Query
}{
	{"text", ParseLine("host mx.example.org[192.0.2.1] said: 550 5.1.1 <kim@example.org>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)")},
	{"code-only", Query{ReplyCode: "550", Status: "5.7.1"}},
	{"explain-550", ParseLine("550")},
}

// BenchmarkExplain measures one lookup in the built-in catalog, once it
// has scanned enough text to have built its automaton.
func BenchmarkExplain(b *testing.B) {
	c := Builtin()
	c.text.automaton(c.text.needles(c.entries))
	c.text.scanned.Store(naiveScanBudget)
	for _, bb := range benchQueries {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Explain(bb.q, "en")
			}
		})
	}
}

// BenchmarkLoadBuiltin measures the time and allocations to a ready
// built-in catalog: "yaml" as it was loaded before the catalog was
// generated (parse and validate data/*.yaml, then build the text
// automaton; site catalogs still load this way), "generated" as it is now,
// and "generated+automaton" with the automaton a milter builds early.
func BenchmarkLoadBuiltin(b *testing.B) {
	fsys := os.DirFS(".")
	b.Run("yaml", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			yamlCatalog(b, fsys)
		}
	})
	b.Run("generated", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := freshBuiltin()
			if c.Len() == 0 {
				b.Fatal("empty")
			}
		}
	})
	b.Run("generated+automaton", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c := freshBuiltin()
			c.text.automaton(c.text.needles(c.entries))
		}
	})
}

// yamlCatalog loads the built-in catalog as it was loaded before it was
// generated: data/*.yaml parsed and validated, the automaton built.
func yamlCatalog(b *testing.B, fsys fs.FS) *Catalog {
	entries, err := loadBuiltinYAML(fsys)
	if err != nil {
		b.Fatal(err)
	}
	c := newCatalog(entries)
	c.text.automaton(c.text.needles(c.entries))
	c.text.scanned.Store(naiveScanBudget)
	return c
}

// freshBuiltin returns the built-in catalog as a new process finds it:
// nothing built. It shares the entries, so their regexps may be compiled.
func freshBuiltin() *Catalog {
	return &Catalog{entries: builtinEntries, text: textRules{static: &builtinNeedles}}
}

// freshEntries returns the built-in entries with those that have regexps
// copied, with regexps not compiled yet.
func freshEntries() []*Entry {
	out := make([]*Entry, len(builtinEntries))
	for i, e := range builtinEntries {
		out[i] = e
		if len(e.m.regexps) == 0 {
			continue
		}
		c := *e
		c.m.regexps = make([]*lazyRegexp, len(e.m.regexps))
		for j, re := range e.m.regexps {
			c.m.regexps[j] = &lazyRegexp{src: re.src}
		}
		out[i] = &c
	}
	return out
}

// BenchmarkFirstExplain measures what a short-lived process pays for its
// first explanation: loading the built-in catalog and one Explain, with
// nothing compiled beforehand. "yaml" loads as before the catalog was
// generated (everything built at load), "generated" as now (text matching
// built on demand, regexps compiled on first use).
func BenchmarkFirstExplain(b *testing.B) {
	fsys := os.DirFS(".")
	for _, bb := range benchQueries {
		b.Run(bb.name+"/yaml", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				yamlCatalog(b, fsys).Explain(bb.q, "en")
			}
		})
		b.Run(bb.name+"/generated", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				entries := freshEntries()
				b.StartTimer()
				c := &Catalog{entries: entries, text: textRules{static: &builtinNeedles}}
				c.Explain(bb.q, "en")
			}
		})
	}
}

// BenchmarkTextScan compares finding the built-in needles in a diagnostic
// one strings.Contains at a time with the automaton, and the cost of
// building the automaton: naiveScanBudget is chosen from these.
func BenchmarkTextScan(b *testing.B) {
	needles := builtinNeedles.needles
	x := automatonOf(needles)
	for _, bb := range benchQueries[:1] {
		text := prepare(bb.q).text
		b.Run("each", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				scanEach(needles, text)
			}
		})
		b.Run("automaton", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				x.scan(text)
			}
		})
	}
	b.Run("build-automaton", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			automatonOf(needles)
		}
	})
}
