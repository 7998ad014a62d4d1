package formats

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// TestFallbackOnKnownBounces runs the fallback reader alone on every text
// bounce sample (those without a delivery-status part) as if its family
// were unknown: it must find the expected number of recipients on most of
// them, and the status it derives must agree with the reference on most
// of those it reads.
func TestFallbackOnKnownBounces(t *testing.T) {
	rows := readExpectedRows(t)
	read, total, statusOK, statusAll := 0, 0, 0, 0
	for file, want := range rows {
		if !strings.HasPrefix(file, "lhost-") && !strings.HasPrefix(file, "rhost-") {
			continue
		}
		m := sampleMessage(t, file)
		if m == nil || len(m.Status) > 0 {
			continue
		}
		total++
		r, ok := fallback{}.Parse(m)
		if !ok || len(r.Recipients) != len(want) {
			continue
		}
		read++
		dsn.Finish(r)
		for i, w := range want {
			if inventedStatus(w.status) {
				continue
			}
			statusAll++
			if r.Recipients[i].Status == w.status {
				statusOK++
			}
		}
	}
	t.Logf("fallback reads %d of %d text bounces; status agrees on %d of %d", read, total, statusOK, statusAll)
	if read*2 < total {
		t.Errorf("fallback reads only %d of %d text bounces", read, total)
	}
	if statusOK*10 < statusAll*8 {
		t.Errorf("fallback status agrees on only %d of %d", statusOK, statusAll)
	}
}

// TestFallbackIgnoresOrdinaryMail runs the fallback reader alone on
// ordinary mail: it must claim none.
func TestFallbackIgnoresOrdinaryMail(t *testing.T) {
	for _, dir := range []string{
		filepath.Join(corpusDir, "not"),
		filepath.Join("..", "..", "testdata", "corpus", "normal", "enmime"),
		filepath.Join("..", "..", "testdata", "corpus", "normal", "inbucket"),
	} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			m, err := dsn.NewMessage(raw, nil)
			if err != nil {
				continue
			}
			if _, ok := (fallback{}).Parse(m); ok {
				t.Errorf("%s: ordinary message read as a bounce", filepath.Base(f))
			}
		}
	}
}

func TestFallbackPhrases(t *testing.T) {
	tests := []struct {
		name, raw string
		want      []string
	}{
		{"coded line", "From: MAILER-DAEMON@mx.example.net\nSubject: Undeliverable\n\nYour message could not be delivered.\n\n<kijitora@example.jp>: 550 5.1.1 User unknown\n", []string{"kijitora@example.jp"}},
		{"alone line", "Return-Path: <>\nFrom: postmaster@example.net\nTo: neko@example.org\n\nDelivery to the following recipient failed permanently:\n\n    kijitora@example.jp\n\nThe mailbox does not exist.\n", []string{"kijitora@example.jp"}},
		{"person not daemon", "From: Neko <neko@example.org>\nSubject: Re: delivery\n\nThe parcel could not be delivered.\nkijitora@example.jp 550\n", nil},
		{"no failure phrase", "From: MAILER-DAEMON@mx.example.net\nSubject: Notice\n\nYour quota is 550 MB.\nkijitora@example.jp\n", nil},
		{"labelled address", "From: \"Postmaster\" <postmaster@example.net>\nSubject: Undeliverable Mail\n\nUnknown user: kijitora@example.jp\n\nOriginal message follows.\n\nTo: kijitora@example.jp\n", []string{"kijitora@example.jp"}},
		{"bracketed reason", "From: MAILER-DAEMON@mx.example.net\nSubject: Returned Mail: User unknown\n\n---The following addresses had delivery errors---\n\nkijitora@example.jp [User unknown]\n", []string{"kijitora@example.jp"}},
		{"quota warning", "From: postmaster@example.net\nSubject: Quota warning\n\nYour mailbox is 90% full.\nAccount: kijitora@example.jp\n", nil},
		{"success notice", "From: postmaster@example.net\nSubject: Delivery Status Notification (Success)\n\nThis is an automatically generated Delivery Status Notification.\n\nYour message has been successfully delivered to the following recipients:\n\n   kijitora@example.jp\n", nil},
		{"own address only", "From: MAILER-DAEMON@mx.example.net\nTo: neko@example.org\n\nYour message could not be delivered.\nneko@example.org 550\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := dsn.NewMessage([]byte(tt.raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			r, ok := fallback{}.Parse(m)
			var got []string
			if ok {
				for _, rc := range r.Recipients {
					got = append(got, rc.Recipient)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("recipients %v, want %v", got, tt.want)
			}
		})
	}
}

// sampleMessage builds the Message of one corpus bounce, or nil.
func sampleMessage(t *testing.T, file string) *dsn.Message {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(corpusDir, "bounces", file))
	if err != nil {
		return nil
	}
	m, err := dsn.NewMessage(raw, nil)
	if err != nil {
		return nil
	}
	return m
}

// TestFallbackSentenceNotices reads notices that name the failed address
// only inside a sentence, and leaves alone mail of people that uses the
// same words.
func TestFallbackSentenceNotices(t *testing.T) {
	tests := []struct {
		name, header, body string
		want               string // "" = not a bounce
	}{
		{"gateway notice from an ordinary mailbox",
			"From: gateway@example.com\nSubject: Hello : non remis (delivery failed)\n",
			"*****\nYour message could not be delivered to\nuser@example.com\n*****\n", "user@example.com"},
		{"daemon says the address is no longer valid",
			"From: Campus Mailserver <MAILER-DAEMON@example.it>\nSubject: Your message to user@example.it could not be delivered.\n",
			"Your message to user@example.it has reached our local address\nuser@example.it, but this email address is wrong or no longer valid.\nYour message has NOT been delivered.\n", "user@example.it"},
		{"postmaster says the address did not match",
			"From: postmaster@example.gov (Automated response)\nSubject: FAILED MAIL to \"user1\"\n",
			"The address to which your message was addressed, user1@example.gov, did not exactly match an\nemail address of this site.\n", "user1@example.gov"},
		{"reply names the alias target",
			"From: MAILER-DAEMON@example.com\nSubject: Delivery failure\n",
			"Sorry, unable to deliver your message to alias@example.com for\nthe following reason:\n\n 552 Quota violation for target@example.com\n", "alias@example.com,target@example.com"},
		{"person replying to a notice",
			"From: Alice <alice@example.org>\nSubject: Re: Undeliverable: Hello\n",
			"Sorry, my message could not be delivered to bob@example.com yesterday, so here it is again.\n", ""},
		{"person forwarding a notice",
			"From: Alice <alice@example.org>\nSubject: Fwd: Undeliverable: Hello\n",
			"Your message could not be delivered to\nuser@example.com\n", ""},
		{"person mentioning a failure",
			"From: Alice <alice@example.org>\nSubject: about yesterday\n",
			"My message could not be delivered to bob@example.com, so I am writing again.\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := dsn.Parse([]byte(tt.header+"To: list-bounces@example.net\n\n"+tt.body), nil)
			if err != nil {
				t.Fatal(err)
			}
			var addrs []string
			for _, rc := range r.Recipients {
				addrs = append(addrs, rc.Recipient)
			}
			sort.Strings(addrs)
			got := strings.Join(addrs, ",")
			if got != tt.want || (tt.want == "" && r.Kind != dsn.KindNone) {
				t.Errorf("got %s", summary(r, nil))
			}
		})
	}
}

// TestFallbackDelayWarnings: warnings that say delivery goes on are
// delays; a notice that has given up is a failure even if it mentions a
// delay.
func TestFallbackDelayWarnings(t *testing.T) {
	tests := []struct {
		name, body string
		want       dsn.Kind
	}{
		{"just a warning", "user@example.com\nMessage delayed. This is just a warning, you do not need to take any action.\n", dsn.KindDelay},
		{"attempts continue", "Your message to user@example.com could not be delivered yet.\nDelivery attempts will continue to be made for 4 days.\n", dsn.KindDelay},
		{"postponed", "This is an advisory-only email.\n\nDelivery of the message you sent to \"user@example.com\" has been postponed.\n", dsn.KindDelay},
		{"failed, with a warning word", "Your message addressed to 'user@example.com' could not be delivered.\nThis message has not yet been delivered to any other recipients either.\n", dsn.KindFailure},
		{"given up", "Delivery to user@example.com has been delayed for 5 days.\nThis is a permanent error; I've given up.\n", dsn.KindFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\nTo: list-bounces@example.org\nSubject: Delivery notification\n\n" + tt.body
			r, err := dsn.Parse([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != tt.want || len(r.Recipients) != 1 || r.Recipients[0].Recipient != "user@example.com" {
				t.Errorf("got %s", summary(r, nil))
			}
		})
	}
}

// TestFallbackGeneralReason: recipients listed without a reason of their
// own take the notice's failure sentence; the returned-message separator
// (here Sina's Chinese one) is never a reason.
func TestFallbackGeneralReason(t *testing.T) {
	raw := "From: MAILER-DAEMON@mail.example.cn\nTo: list-bounces@example.org\nSubject: failure notice\nContent-Type: text/plain; charset=utf-8\n\n" +
		"mail.example.cn.\n在邮件传输过程中由于外部的无法避免的错误导致邮件无法送达。\n\n<one@example.cn>:\n\n<two@example.cn>:\n\n--- 附件中的内容是原信件的一份拷贝\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Recipients) != 2 {
		t.Fatalf("got %s", summary(r, nil))
	}
	for _, rc := range r.Recipients {
		if rc.Diagnostic != "在邮件传输过程中由于外部的无法避免的错误导致邮件无法送达。" {
			t.Errorf("%s: %q", rc.Recipient, rc.Diagnostic)
		}
	}
}
