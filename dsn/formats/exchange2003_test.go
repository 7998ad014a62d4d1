package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestExchange2003Samples(t *testing.T) {
	checkFamily(t, "exchange2003", []string{"exchange2003"}, 0.9)
}

// TestExchange2003IMSReceived: an Exchange 5.5 gateway without X-Mailer is
// known by its "with Internet Mail Service" Received field.
func TestExchange2003IMSReceived(t *testing.T) {
	raw := "Return-Path: <>\nReceived: by gw.example.net with Internet Mail Service (5.5.2653.19)\n\tid <AB12CD34>; Mon, 3 May 2010 10:00:00 -0400\n" +
		"From: System Administrator <postmaster@example.net>\nTo: tama@example.org\nSubject: Undeliverable: Hello\n" +
		"MIME-Version: 1.0\nContent-Type: text/plain\n\n" +
		"Your message\n\n  To:      mike@example.net\n  Subject: Hello\n\ndid not reach the following recipient(s):\n\n" +
		"mike@example.net on Mon, 3 May 2010 10:00:00 -0400\n    The recipient name is not recognized\n    MSEXCH:IMS:EXAMPLE:GW:SRV 0 (000C05A6) Unknown Recipient\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "exchange2003" || len(r.Recipients) != 1 {
		t.Fatalf("format %q, %d recipients", r.Format, len(r.Recipients))
	}
	if rc := r.Recipients[0]; rc.Recipient != "mike@example.net" || rc.Reason != dsn.ReasonUserUnknown {
		t.Errorf("got %s %s", rc.Recipient, rc.Reason)
	}
}

// TestExchange2003X400Recipient: Exchange 5.5 names a recipient reached
// over its X.400 connector by O/R address; the Internet address is the
// dda:SMTP attribute.
func TestExchange2003X400Recipient(t *testing.T) {
	raw := "Return-Path: <MAILER-DAEMON>\nFrom: System Administrator <postmaster@example.net>\nTo: tama@example.org\n" +
		"Subject: Undeliverable: Hello\nX-Mailer: Internet Mail Service (5.5.2656.59)\nMIME-Version: 1.0\nContent-Type: text/plain\n\n" +
		"Your message\n\n  To:      list@example.org\n  Subject: Hello\n\ndid not reach the following recipient(s):\n\n" +
		"c=US;a= ;p=Example;o=Site1;dda:SMTP=mike@example.COM; on Fri, 4 Oct 2002\n17:12:28 -0400\n" +
		"    The recipient name is not recognized\n\tThe MTS-ID of the original message is: c=us;a=\n;p=example;l=SRV-0210042112TX06\n" +
		"    MSEXCH:IMS:EXAMPLE:Site1:SRV 0 (000C05A6) Unknown Recipient\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "exchange2003" || len(r.Recipients) != 1 {
		t.Fatalf("got %s", summary(r, nil))
	}
	if rc := r.Recipients[0]; rc.Recipient != "mike@example.COM" || rc.Reason != dsn.ReasonUserUnknown {
		t.Errorf("got %s %s %q", rc.Recipient, rc.Reason, rc.Diagnostic)
	}
}

// TestExchange2003WithoutHeaderMarks: with X-Mailer and Received gone,
// the MSEXCH diagnostic line still names the family.
func TestExchange2003WithoutHeaderMarks(t *testing.T) {
	raw := "From: System Administrator <postmaster@example.com>\nTo: tama@example.org\nSubject: Undeliverable: Hello\n\n" +
		"Your message\n\n  To:      list@example.org\n  Subject: Hello\n\ndid not reach the following recipient(s):\n\n" +
		"mike@example.com on Fri, 4 Oct 2002 17:12:28 -0400\n    The recipient name is not recognized\n" +
		"    MSEXCH:IMS:EXAMPLE:SITE:SRV 0 (000C05A6) Unknown Recipient\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Format != "exchange2003" || len(r.Recipients) != 1 || r.Recipients[0].Recipient != "mike@example.com" {
		t.Fatalf("got %s", summary(r, nil))
	}
}
