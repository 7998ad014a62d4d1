package dsn_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// dsnMessage builds a multipart/report bounce around a delivery-status body.
func dsnMessage(status string) string {
	return "From: MAILER-DAEMON@mx.example.org\n" +
		"To: sender@example.com\n" +
		"Subject: Undelivered Mail Returned to Sender\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"BB\"\n\n" +
		"--BB\nContent-Type: text/plain\n\nYour message could not be delivered.\n" +
		"--BB\nContent-Type: message/delivery-status\n\n" + status + "\n" +
		"--BB\nContent-Type: text/rfc822-headers\n\n" +
		"Message-ID: <orig@example.com>\nSubject: =?UTF-8?B?SGFsbMO2?=\nFrom: sender@example.com\nTo: user@example.net\n" +
		"--BB--\n"
}

func TestParseDeliveryStatusForms(t *testing.T) {
	tests := []struct {
		name   string
		status string
		want   []dsn.Recipient
	}{
		{
			name: "plain",
			status: "Reporting-MTA: dns; mx.example.org\n\n" +
				"Final-Recipient: rfc822; user@example.net\nAction: failed\nStatus: 5.1.1\n" +
				"Remote-MTA: dns; mx.example.net\nDiagnostic-Code: smtp; 550 5.1.1 <user@example.net>: Recipient address\n rejected: User unknown (in reply to RCPT TO command)\n",
			want: []dsn.Recipient{{Recipient: "user@example.net", Action: "failed", Status: "5.1.1", ReplyCode: "550",
				DiagnosticType: "smtp", Diagnostic: "550 5.1.1 <user@example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command)",
				RemoteMTA: "mx.example.net", Command: "RCPT"}},
		},
		{
			name: "comments, case, no blank line between groups, action first",
			status: "reporting-mta: DNS; mx.example.org\n\n" +
				"ACTION: Failed (permanent)\nfinal-recipient: RFC822; <a@example.net> (first)\nSTATUS: 5.2.2 (mailbox full)\n" +
				"Action: delayed\nFinal-Recipient: rfc822;b@example.net\nStatus: 4.4.7\nWill-Retry-Until: Fri, 1 Jan 2027 00:00:00 +0000\n",
			want: []dsn.Recipient{
				{Recipient: "a@example.net", Action: "failed", Status: "5.2.2", Diagnostic: "mailbox full"}, // the Status comment is the only text
				{Recipient: "b@example.net", Action: "delayed", Status: "4.4.7", WillRetryUntil: "Fri, 1 Jan 2027 00:00:00 +0000"},
			},
		},
		{
			name: "x.0.0 status takes the code from the text",
			status: "Final-Recipient: rfc822; c@example.net\nAction: failed\nStatus: 5.0.0\n" +
				"Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.\n",
			want: []dsn.Recipient{{Recipient: "c@example.net", Action: "failed", Status: "5.1.1", ReplyCode: "550",
				DiagnosticType: "smtp", Diagnostic: "550-5.1.1 The email account that you tried to reach does not exist."}},
		},
		{
			name: "missing status from the reply code, missing action from the status",
			status: "Original-Recipient: rfc822;orig@example.net\nFinal-Recipient: rfc822;d@example.net\n" +
				"Diagnostic-Code: smtp; 552 Message size exceeds fixed limit (in reply to end of DATA command)\n",
			want: []dsn.Recipient{{Recipient: "d@example.net", OriginalRecipient: "orig@example.net", Action: "failed",
				Status: "5.0.0", ReplyCode: "552", DiagnosticType: "smtp",
				Diagnostic: "552 Message size exceeds fixed limit (in reply to end of DATA command)", Command: "DATA"}},
		},
		{
			name:   "RFC 2047 words in the diagnostic",
			status: "Final-Recipient: rfc822; f@example.net\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 =?UTF-8?Q?Postfach_=C3=BCberf=C3=BCllt?=\n",
			want: []dsn.Recipient{{Recipient: "f@example.net", Action: "failed", Status: "5.2.2", ReplyCode: "552",
				DiagnosticType: "smtp", Diagnostic: "552 Postfach überfüllt"}},
		},
		{
			name:   "x-unix exit code is no reply code",
			status: "Final-Recipient: rfc822; e@example.net\nAction: failed\nStatus: 5.3.0\nDiagnostic-Code: X-Unix; 255\n",
			want: []dsn.Recipient{{Recipient: "e@example.net", Action: "failed", Status: "5.3.0",
				DiagnosticType: "x-unix", Diagnostic: "255"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := dsn.Parse([]byte(dsnMessage(tt.status)), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "rfc3464" {
				t.Fatalf("format %q, want rfc3464", r.Format)
			}
			if r.Original.Subject != "Hallö" || r.Original.MessageID != "<orig@example.com>" {
				t.Errorf("original %+v", r.Original)
			}
			if len(r.Recipients) != len(tt.want) {
				t.Fatalf("got %d recipients %+v, want %d", len(r.Recipients), r.Recipients, len(tt.want))
			}
			for i, w := range tt.want {
				g := r.Recipients[i]
				g.Reason, g.HardBounce = "", false
				if g != w {
					t.Errorf("recipient %d:\n got %+v\nwant %+v", i, g, w)
				}
			}
		})
	}
}

// TestCodesFromBounceText: a report that says only 5.0.0 takes the remote
// reply, enhanced code and command from the bounce's own text.
func TestCodesFromBounceText(t *testing.T) {
	raw := strings.Replace(dsnMessage("Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.0.0\n"),
		"Your message could not be delivered.\n",
		"Your message could not be delivered.\n\n<a@example.net>: host mx.example.net said: 550 5.1.1 no such user\n"+
			"    (in reply to RCPT TO command)\n", 1)
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Recipients) != 1 {
		t.Fatalf("recipients %+v", r.Recipients)
	}
	rc := r.Recipients[0]
	if rc.Status != "5.1.1" || rc.ReplyCode != "550" || rc.Command != "RCPT" {
		t.Errorf("got status %q reply %q command %q, want 5.1.1 550 RCPT", rc.Status, rc.ReplyCode, rc.Command)
	}
}

func TestParseKinds(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want dsn.Kind
	}{
		{"failure", dsnMessage("Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.1.1\n"), dsn.KindFailure},
		{"delay", dsnMessage("Final-Recipient: rfc822; a@example.net\nAction: delayed\nStatus: 4.4.7\n"), dsn.KindDelay},
		{"success", dsnMessage("Final-Recipient: rfc822; a@example.net\nAction: relayed\nStatus: 2.0.0\n"), dsn.KindSuccess},
		{"failure wins over delay", dsnMessage("Final-Recipient: rfc822; a@example.net\nAction: delayed\nStatus: 4.4.7\n\n" +
			"Final-Recipient: rfc822; b@example.net\nAction: failed\nStatus: 5.1.1\n"), dsn.KindFailure},
		{"global delivery status", strings.Replace(dsnMessage("Final-Recipient: utf-8; j\\x{00F6}rg@example.net\nAction: failed\nStatus: 5.1.1\n"),
			"message/delivery-status", "message/global-delivery-status", 1), dsn.KindFailure},
		{"auto-replied", "From: a@example.net\nAuto-Submitted: auto-replied\nSubject: Re: hello\n\nAway.\n", dsn.KindAutoReply},
		{"out of office subject", "From: a@example.net\nSubject: Out of Office: hello\n\nAway.\n", dsn.KindAutoReply},
		{"auto-generated is not an auto-reply", "From: a@example.net\nAuto-Submitted: auto-generated\nSubject: Automatic reply\n\nx\n", dsn.KindNone},
		{"feedback", "From: fbl@example.net\nContent-Type: multipart/report; report-type=feedback-report; boundary=X\n\n" +
			"--X\nContent-Type: text/plain\n\nabuse\n--X\nContent-Type: message/feedback-report\n\nFeedback-Type: abuse\nOriginal-Rcpt-To: a@example.net\n--X--\n", dsn.KindFeedback},
		{"read receipt", "From: a@example.net\nContent-Type: multipart/report; report-type=disposition-notification; boundary=X\n\n" +
			"--X\nContent-Type: text/plain\n\nread\n--X\nContent-Type: message/disposition-notification\n\nFinal-Recipient: rfc822; a@example.net\nDisposition: manual-action/MDN-sent-manually; displayed\n--X--\n", dsn.KindNone},
		{"ordinary", "From: a@example.net\nSubject: lunch\n\nsee you at 12\n", dsn.KindNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := dsn.Parse([]byte(tt.raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != tt.want {
				t.Errorf("kind %q (format %q), want %q", r.Kind, r.Format, tt.want)
			}
		})
	}
}

func TestGlobalAddressUnescaped(t *testing.T) {
	raw := strings.Replace(dsnMessage("Final-Recipient: utf-8; j\\x{00F6}rg@example.net\nAction: failed\nStatus: 5.1.1\n"),
		"message/delivery-status", "message/global-delivery-status", 1)
	r, err := dsn.Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Recipients) != 1 || r.Recipients[0].Recipient != "jörg@example.net" {
		t.Errorf("recipients %+v", r.Recipients)
	}
}

func TestLenientMIME(t *testing.T) {
	status := "Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.1.1\n"
	tests := []struct {
		name string
		raw  string
	}{
		{"no boundary parameter", strings.Replace(dsnMessage(status), "; boundary=\"BB\"", "", 1)},
		{"no close delimiter", strings.TrimSuffix(dsnMessage(status), "--BB--\n")},
		{"wrong boundary parameter", strings.Replace(dsnMessage(status), "boundary=\"BB\"", "boundary=\"CC\"", 1)},
		{"base64 delivery status", strings.Replace(dsnMessage("UmVwb3J0aW5nLU1UQTogZG5zOyBteAoKRmluYWwtUmVjaXBpZW50OiByZmM4MjI7IGFAZXhh\nbXBsZS5uZXQKQWN0aW9uOiBmYWlsZWQKU3RhdHVzOiA1LjEuMQo="),
			"Content-Type: message/delivery-status\n", "Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n", 1)},
		{"delivery status nested deeper", "From: MAILER-DAEMON@x.example\nContent-Type: multipart/mixed; boundary=O\n\n--O\n" +
			strings.Replace(strings.SplitN(dsnMessage(status), "\n", 4)[3], "Subject: Undelivered Mail Returned to Sender\n", "", 1) + "--O--\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := dsn.Parse([]byte(tt.raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != dsn.KindFailure || len(r.Recipients) != 1 || r.Recipients[0].Status != "5.1.1" {
				t.Errorf("got kind %q recipients %+v", r.Kind, r.Recipients)
			}
		})
	}
}

func TestLegacyCharsets(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"iso-2022-jp body", "Content-Type: text/plain; charset=ISO-2022-JP\n\n\x1b$B$3$s$K$A$O\x1b(B\n", "こんにちは"},
		{"koi8-r body", "Content-Type: text/plain; charset=koi8-r\n\n\xf0\xd2\xc9\xd7\xc5\xd4\n", "Привет"},
		{"undeclared 8-bit latin-1", "Content-Type: text/plain\n\ncaf\xe9\n", "café"},
		{"undeclared iso-2022-jp", "\n\x1b$B$3$s$K$A$O\x1b(B\n", "こんにちは"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := dsn.NewMessage([]byte("From: a@example.net\n"+tt.raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(m.BodyText()); got != tt.want {
				t.Errorf("text %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	nested := "Content-Type: multipart/mixed; boundary=b0\n\n"
	for i := 1; i <= 30; i++ {
		nested += fmt.Sprintf("--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i-1, i)
	}
	many := "Content-Type: multipart/mixed; boundary=b\n\n" + strings.Repeat("--b\n\nx\n", 20) + "--b--\n"
	rcpts := dsnMessage(strings.Repeat("Final-Recipient: rfc822; a@example.net\nAction: failed\nStatus: 5.1.1\n\n", 20))
	tests := []struct {
		name string
		raw  string
		lim  dsn.Limits
	}{
		{"header bytes", "Subject: " + strings.Repeat("x", 200) + "\n\nbody\n", dsn.Limits{MaxHeaderBytes: 100}},
		{"line length", "Subject: x\n\n" + strings.Repeat("y", 2000) + "\n", dsn.Limits{MaxLineLength: 1000}},
		{"body bytes", "Subject: x\n\n" + strings.Repeat("y\n", 2000), dsn.Limits{MaxBodyBytes: 1000}},
		{"depth", nested, dsn.Limits{}},
		{"parts", many, dsn.Limits{MaxParts: 10}},
		{"recipients", rcpts, dsn.Limits{MaxRecipients: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dsn.Parse([]byte(tt.raw), &dsn.Options{Limits: tt.lim})
			if !errors.Is(err, dsn.ErrLimit) {
				t.Errorf("error %v, want one wrapping ErrLimit", err)
			}
		})
	}
	t.Run("within limits", func(t *testing.T) {
		if _, err := dsn.Parse([]byte(rcpts), nil); err != nil {
			t.Errorf("default limits: %v", err)
		}
	})
}

func TestMalformed(t *testing.T) {
	for _, raw := range []string{"", "\r\n\r\n", "   "} {
		if _, err := dsn.Parse([]byte(raw), nil); !errors.Is(err, dsn.ErrMalformed) {
			t.Errorf("Parse(%q) error %v, want ErrMalformed", raw, err)
		}
	}
}
