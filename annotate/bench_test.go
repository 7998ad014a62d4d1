package annotate

import (
	"os"
	"testing"
)

// BenchmarkAnnotate annotates a few typical bounces (Postfix, Gmail,
// Office 365) in turn.
func BenchmarkAnnotate(b *testing.B) {
	var msgs [][]byte
	for _, f := range []string{"lhost-postfix-10.eml", "lhost-gmail-01.eml", "lhost-office365-03.eml"} {
		raw, err := os.ReadFile("../testdata/corpus/sisimai/bounces/" + f)
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, raw)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		raw := msgs[i%len(msgs)]
		b.SetBytes(int64(len(raw)))
		if _, err := Annotate(raw, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
