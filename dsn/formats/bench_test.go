package formats

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// BenchmarkTextBounces parses the text bounce samples of the Unix MTA
// families (Exim, qmail, Sendmail, Postfix, DragonFly, OpenSMTPD).
func BenchmarkTextBounces(b *testing.B) {
	var raws [][]byte
	for _, fam := range []string{"exim", "qmail", "v5sendmail", "dragonfly", "opensmtpd", "postfix"} {
		files, _ := filepath.Glob(filepath.Join(corpusDir, "bounces", "lhost-"+fam+"-*.eml"))
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			raws = append(raws, raw)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, raw := range raws {
			if _, err := dsn.Parse(raw, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}
