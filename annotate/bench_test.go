package annotate

import (
	"os"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/internal/testmsg"
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

// BenchmarkAnnotateLarge annotates a bounce whose returned message is 8
// MiB of text: B/op over the message size (SetBytes) is what Annotate
// holds and copies per byte of message.
func BenchmarkAnnotateLarge(b *testing.B) {
	raw := []byte(testmsg.Bounce("Delivery failed.", testmsg.Returned("", strings.Repeat("All work and no play makes Jack a dull boy.\n", 8<<20/44))))
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := Annotate(raw, Options{})
		if err != nil || !res.Changed {
			b.Fatal(err)
		}
	}
}
