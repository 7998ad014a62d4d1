package formats

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// TestTrendMicroSamples: the corpus's InterScan notices have no reference
// rows; check the fields the layout states.
func TestTrendMicroSamples(t *testing.T) {
	cases := []struct {
		file, rcpt, command, diag string
	}{
		{"lhost-trendmicro-01.eml", "kijitora@example.co.jp", "RCPT", "550 5.1.1 <kijitora@example.co.jp>... user unknown"},
		{"lhost-trendmicro-02.eml", "kijitora@neko.example.jp", "",
			"Unable to deliver message to <kijitora@neko.example.jp> (and other recipients in the same domain). Please check if address is correct."},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(corpusDir, "bounces", c.file))
			if err != nil {
				t.Fatal(err)
			}
			r, err := dsn.Parse(raw, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "trendmicro" || len(r.Recipients) != 1 {
				t.Fatalf("format %q recipients %d", r.Format, len(r.Recipients))
			}
			if rc := r.Recipients[0]; rc.Recipient != c.rcpt || rc.Command != c.command || rc.Diagnostic != c.diag {
				t.Errorf("got %q %q %q", rc.Recipient, rc.Command, rc.Diagnostic)
			}
		})
	}
}

// TestTrendMicroJapanese: the Japanese transcript marks the sent command
// with ">>>" and the reply with "<<<".
func TestTrendMicroJapanese(t *testing.T) {
	raw := "From: postmaster@example.co.jp\nSubject: メール配信に失敗しました\nContent-Type: text/plain; charset=utf-8\n\n" +
		"送信したコマンド >>> RCPT TO:<a@example.co.jp>\n受信した応答 <<< 550 5.1.1 <a@example.co.jp>... User unknown\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "trendmicro" || len(r.Recipients) != 1 {
		t.Fatalf("format %q recipients %d", r.Format, len(r.Recipients))
	}
	if rc := r.Recipients[0]; rc.Recipient != "a@example.co.jp" || rc.Command != "RCPT" || rc.Status != "5.1.1" {
		t.Errorf("got %+v", rc)
	}
}

// TestTrendMicroOneRecipientTwice: the transcript and the summary name the
// same recipient; it is one failed recipient with the transcript's reply.
func TestTrendMicroOneRecipientTwice(t *testing.T) {
	for _, order := range []string{"transcript first", "summary first"} {
		t.Run(order, func(t *testing.T) {
			transcript := "Sent <<< RCPT TO:<user@example.be>\nReceived >>> 550 5.1.1 unknown user.\n"
			summaryLine := "Unable to deliver message to <user@example.be> (and other recipients in the same domain).\n"
			body := transcript + "\n" + summaryLine
			if order == "summary first" {
				body = summaryLine + "\n" + transcript
			}
			raw := "From: InterScan MSS <postmaster@example.org>\nSubject: Mail could not be delivered\nContent-Type: text/plain\n\n" + body
			r, err := dsn.Parse([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "trendmicro" || len(r.Recipients) != 1 {
				t.Fatalf("got %s", summary(r, nil))
			}
			if rc := r.Recipients[0]; rc.Status != "5.1.1" || rc.Command != "RCPT" {
				t.Errorf("got %s %s", rc.Status, rc.Command)
			}
		})
	}
}
