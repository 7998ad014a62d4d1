package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestGoogleCorpus(t *testing.T) {
	pvCheckFamily(t, nil, nil, "rhost-google-", "rhost-gsuite-")
}

// TestGoogleText: without a Diagnostic-Code the remote reply of the text
// part (multi-line replies joined) or else Google's notice is used.
func TestGoogleText(t *testing.T) {
	cases := []struct {
		name, text   string
		diag, reason string
	}{
		{"remote reply",
			"** Message not delivered **\n\nThere was a problem delivering your message to a@example.com.\n\nThe response from the remote server was:\n550-5.1.1 The email account that you tried to reach does not exist.\n550 5.1.1 https://support.google.com/mail/?p=NoSuchUser\n\n",
			"550-5.1.1 The email account that you tried to reach does not exist. 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser", "userunknown"},
		{"notice only",
			"** Address not found **\n\nYour message wasn't delivered to a@example.com because the address couldn't be found.\n\nLearn more here: https://support.google.com/mail/?p=NoSuchUser\n",
			"Address not found. Your message wasn't delivered to a@example.com because the address couldn't be found.", "userunknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\n" + c.text +
				"\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; googlemail.com\n\nFinal-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.0.0\n--b--\n"
			r, err := dsn.Parse([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "google" || len(r.Recipients) != 1 {
				t.Fatalf("format %q recipients %d", r.Format, len(r.Recipients))
			}
			if rc := r.Recipients[0]; rc.Diagnostic != c.diag || rc.Reason != c.reason {
				t.Errorf("diagnostic %q reason %q", rc.Diagnostic, rc.Reason)
			}
		})
	}
}

// TestGoogleTextOnly: a Workspace notice without delivery-status part;
// the recipient comes from X-Failed-Recipients or the notice.
func TestGoogleTextOnly(t *testing.T) {
	cases := []struct {
		name, header, body, rcpt, reason, diag string
	}{
		{"address in notice", "", "** Address not found **\n\nYour message wasn't delivered to a@example.com because the address couldn't be found.\n",
			"a@example.com", "userunknown", "Address not found. Your message wasn't delivered to a@example.com because the address couldn't be found."},
		{"quoted reply", "X-Failed-Recipients: b@example.org\n", "** Message not delivered **\n\nThere was a problem delivering your message.\n\nThe response was:\n\n550 5.7.1 Rejected by policy\n\n",
			"b@example.org", "", "550 5.7.1 Rejected by policy"},
		{"no heading", "X-Failed-Recipients: b@example.org\n", "Something else entirely.\n", "", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\n" + c.header + "\n" + c.body
			m, err := dsn.NewMessage([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			r, ok := (google{}).Parse(m)
			if ok != (c.rcpt != "") {
				t.Fatalf("ok=%v, want %v", ok, c.rcpt != "")
			}
			if !ok {
				return
			}
			rc := r.Recipients[0]
			if len(r.Recipients) != 1 || rc.Recipient != c.rcpt || rc.Reason != c.reason || rc.Diagnostic != c.diag {
				t.Errorf("got %d recipients, %q %q %q", len(r.Recipients), rc.Recipient, rc.Reason, rc.Diagnostic)
			}
		})
	}
}

// TestGoogleDelayNotice: "** Delivery incomplete **" says Gmail will retry;
// the quoted 5xx reply of the last attempt does not make it final.
func TestGoogleDelayNotice(t *testing.T) {
	raw := "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Delay)\nContent-Type: text/plain; charset=UTF-8\n\n" +
		"** Delivery incomplete **\n\nThere was a temporary problem delivering your message to a@example.com. Gmail will retry for 40 more hours. You'll be notified if the delivery fails permanently.\n\n" +
		"The response from the remote server was:\n550 5.7.1 The message was blocked because of the sender's low reputation.\n\n"
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != dsn.KindDelay || len(r.Recipients) != 1 || r.Recipients[0].Action != dsn.ActionDelayed {
		t.Fatalf("kind %s, recipients %+v; want one delayed recipient", r.Kind, r.Recipients)
	}
	if rc := r.Recipients[0]; rc.Recipient != "a@example.com" || rc.Status != "5.7.1" {
		t.Errorf("recipient %q status %q", rc.Recipient, rc.Status)
	}
}
