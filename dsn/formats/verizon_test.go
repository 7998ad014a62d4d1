package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestVerizonCorpus(t *testing.T) {
	pvCheckFamily(t, []string{"verizon"}, nil, "lhost-verizon-")
}

// TestVerizonGateways covers the SMS gateway layout and the relay check.
func TestVerizonGateways(t *testing.T) {
	const sms = "Received: from smtp.vtext.com (smtp.vtext.com [192.0.2.1])\nFrom: post_master@vtext.com\nSubject: Undeliverable\n\nError: 550 - Requested action not taken: no such user here\n\nMessage details:\n  Subject: hi\n  MAIL FROM: s@example.jp\n  RCPT TO: 0000000000@vtext.com\n"
	r, err := dsn.Parse([]byte(sms), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "verizon" || len(r.Recipients) != 1 || r.Recipients[0].Recipient != "0000000000@vtext.com" ||
		r.Recipients[0].Reason != "userunknown" || r.Recipients[0].ReplyCode != "550" {
		t.Fatalf("format %q %+v", r.Format, r.Recipients)
	}
	m, err := dsn.NewMessage([]byte(sms[len("Received: from smtp.vtext.com (smtp.vtext.com [192.0.2.1])\n"):]), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := (verizon{}).Parse(m); ok {
		t.Error("accepted a notice not relayed by vtext.com")
	}
}
