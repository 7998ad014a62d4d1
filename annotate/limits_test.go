package annotate

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/testmsg"
)

// limitBounce is testmsg.Bounce as bytes.
func limitBounce(text, returned string) []byte { return []byte(testmsg.Bounce(text, returned)) }

// TestLimitsSpareReturnedMessage: a bounce whose report is readable is
// explained even when its returned message has a 2 MiB line or 30 levels
// of nesting, and the returned message is carried byte for byte; the same
// abuse in the bounce's own text is a limit error and changes nothing.
func TestLimitsSpareReturnedMessage(t *testing.T) {
	long := strings.Repeat("x", 2<<20)
	deepCT, deepBody := testmsg.Nested(30)
	spared := []struct {
		name string
		raw  []byte
	}{
		{"2 MiB line in the returned body", limitBounce("Delivery failed.", testmsg.Returned("", long+"\n"))},
		{"2 MiB line in text/rfc822-headers", limitBounce("Delivery failed.",
			"Content-Type: text/rfc822-headers\n\nSubject: Quarterly figures\nReferences: "+long+"\n")},
		{"30 nesting levels in the returned message", limitBounce("Delivery failed.", testmsg.Returned(deepCT, deepBody))},
	}
	for _, tt := range spared {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Annotate(tt.raw, Options{Lang: LangEN})
			if err != nil {
				t.Fatalf("Annotate: %v", err)
			}
			if !res.Changed || res.BodyParts != 1 || res.BodyNote != "" {
				t.Fatalf("changed %v, %d block(s), note %q", res.Changed, res.BodyParts, res.BodyNote)
			}
			if res.Report.Original.Subject != "Quarterly figures" ||
				!bytes.Contains(res.Output, []byte(`Your message "Quarterly figures" to user@example.net was not delivered`)) {
				t.Errorf("block does not explain the returned message:\n%.600s", res.Output)
			}
			i := bytes.LastIndex(tt.raw, []byte("--BB\n"))
			if !bytes.HasSuffix(res.Output, tt.raw[i:]) {
				t.Errorf("returned message not carried byte for byte")
			}
			checkPartsPreserved(t, tt.name, tt.raw, res.Output)
			again, err := Annotate(res.Output, Options{Lang: LangEN})
			if err != nil || !bytes.Equal(again.Output, res.Output) {
				t.Errorf("not idempotent (err %v)", err)
			}
		})
	}
	bounceCT, bounceBody := testmsg.Nested(30)
	refused := []struct {
		name string
		raw  []byte
	}{
		{"2 MiB line in the text part", limitBounce(long, testmsg.Returned("", "hello\n"))},
		{"30 nesting levels in the bounce", []byte("Subject: x\n" + bounceCT + "\n" + bounceBody)},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Annotate(tt.raw, Options{Lang: LangEN})
			if !errors.Is(err, dsn.ErrLimit) {
				t.Errorf("error %v, want one wrapping dsn.ErrLimit", err)
			}
			if res.Changed || !bytes.Equal(res.Output, tt.raw) {
				t.Errorf("message changed")
			}
		})
	}
}
