package formats

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestMimecastCorpus(t *testing.T) {
	pvCheckFamily(t, nil, nil, "lhost-mimecast-", "rhost-mimecast-")
}

// TestMimecastAlert reads the text alert (no reference row in the corpus):
// the additional information is the diagnostic, wrapped lines joined.
func TestMimecastAlert(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(corpusDir, "bounces", "lhost-mimecast-01.eml"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := dsn.Parse(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "mimecast" || len(r.Recipients) != 1 {
		t.Fatalf("format %q recipients %d", r.Format, len(r.Recipients))
	}
	rc := r.Recipients[0]
	const want = "5.4.1 Recipient address rejected: Access denied. [QQQQQQE00000000.jpnprd01.prod.outlook.com 2024-02-19T09:30:25.255Z FFFFFFFFFFEEEEEE]"
	if rc.Recipient != "sabineko@neko.ef.example.org" || rc.Diagnostic != want || rc.Status != "5.4.1" {
		t.Errorf("got %q %q %q", rc.Recipient, rc.Status, rc.Diagnostic)
	}
}

// TestMimecastOlderNotice reads Mimecast's older notice, where the
// headings are inside sentences and retries have given up: a failure.
func TestMimecastOlderNotice(t *testing.T) {
	raw := "From: \"Mail Delivery System\" <mailer-daemon@example.com>\nTo: list-bounces@example.net\n" +
		"Subject: [Postmaster] Email Delivery Failure\nX-Mimecast-Originator: <>\nContent-Type: text/plain; charset=UTF-8\n\n" +
		"This is a delivery failure notification message indicating that\n" +
		"an email list-bounces@example.net addressed to email address :\n-- user@example.com\n" +
		"With subject Re: hello sent on the Mon, 14 Dec 2020 11:30:37 +0100 (CET)\n" +
		"could not be delivered. The problem appears to be :\n-- Recipient server unavailable or busy\n" +
		"Additional information follows :\n-- 4.4.4 Temporary server error. Please try again later\n" +
		"This condition occurred after 30 attempt(s) to deliver over\na period of 92 hour(s) and 52 minute(s).\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "mimecast" || r.Kind != dsn.KindFailure || len(r.Recipients) != 1 {
		t.Fatalf("got %s", summary(r, nil))
	}
	if rc := r.Recipients[0]; rc.Recipient != "user@example.com" || rc.Diagnostic != "4.4.4 Temporary server error. Please try again later" {
		t.Errorf("got %q %q", rc.Recipient, rc.Diagnostic)
	}
}
