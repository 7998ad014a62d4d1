package annotate

import (
	"os"
	"path/filepath"
	"testing"
)

// exampleDir holds sample bounces with their annotated outputs beside them.
const exampleDir = "../examples/bounces"

// examples are the samples whose outputs NAME.en.eml and NAME.zh-CN.eml
// this package generates (go test ./annotate -run TestExamples -update).
var examples = []string{
	"postfix-user-unknown", "gmail-user-unknown", "exchange-user-unknown", "qmail-user-unknown",
	"icewarp-relay-denied", "postfix-delay-warning", "user-unknown", "mailbox-full-delay",
	"multi-recipient",
}

// TestExamples regenerates every example output and compares it byte for
// byte with the committed one.
func TestExamples(t *testing.T) {
	for _, name := range examples {
		for _, lang := range []string{LangEN, LangZH} {
			t.Run(name+"/"+lang, func(t *testing.T) {
				raw, err := os.ReadFile(filepath.Join(exampleDir, name+".eml"))
				if err != nil {
					t.Fatal(err)
				}
				res, err := Annotate(raw, Options{Lang: lang})
				if err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(exampleDir, name+"."+lang+".eml")
				if !res.Changed {
					t.Fatalf("example not annotated (kind %s)", res.Report.Kind)
				}
				if res.BodyParts == 0 {
					t.Errorf("example got no body block: %s", res.BodyNote)
				}
				compareGolden(t, out, res.Output)
			})
		}
	}
}
