package dsn_test

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestFindCodes(t *testing.T) {
	tests := []struct {
		text, reply, status string
		cmd                 dsn.Command
	}{
		{"smtp; 550 5.1.1 <x@example.net>: user unknown", "550", "5.1.1", ""},
		{"550-5.1.1 The email account that you tried to reach does not exist", "550", "5.1.1", ""},
		{"host mx.example.net[192.0.2.1] said: 552 5.2.2 Mailbox full (in reply to RCPT TO command)", "552", "5.2.2", dsn.CmdRCPT},
		{"SMTP error from remote mail server after RCPT TO:<a@example.net>: 550 No such user", "550", "", dsn.CmdRCPT},
		{"Remote host said: 554 Message refused (in reply to end of DATA command)", "554", "", dsn.CmdDATA},
		{"connect to 10.5.1.1[10.5.1.1]:25: Connection timed out", "", "", ""},
		{"Server version 2.0.0.1 says hello", "", "", ""},
		{"after MAIL FROM:<> 501 5.1.7 Bad sender address syntax", "501", "5.1.7", dsn.CmdMAIL},
		{"<<< 421 4.7.0 Try again later", "421", "4.7.0", ""},
		{"Message size is 500 bytes", "", "", ""},
		{"lost connection with mx.example.net[192.0.2.1] while sending message body", "", "", dsn.CmdDATA},
		{"lost connection with mx.example.net[192.0.2.1] while receiving the initial server greeting", "", "", dsn.CmdConnect},
		{"conversation with mx.example.net[192.0.2.1] timed out while performing the EHLO handshake", "", "", dsn.CmdEHLO},
		{"SMTP error from remote mail server after pipelined RCPT TO:<a@example.net>: 550 5.1.1 No such user", "550", "5.1.1", dsn.CmdRCPT},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := dsn.FindReplyCode(tt.text); got != tt.reply {
				t.Errorf("FindReplyCode = %q, want %q", got, tt.reply)
			}
			if got := dsn.FindStatus(tt.text); got != tt.status {
				t.Errorf("FindStatus = %q, want %q", got, tt.status)
			}
			if got := dsn.FindCommand(tt.text); got != tt.cmd {
				t.Errorf("FindCommand = %q, want %q", got, tt.cmd)
			}
		})
	}
}

func TestFindAddress(t *testing.T) {
	tests := []struct{ text, want string }{
		{"rfc822; User@Example.NET", "User@example.net"},
		{"Kijitora <kijitora@example.jp> (cat)", "kijitora@example.jp"},
		{"<a.b+tag@[192.0.2.1]>", "a.b+tag@[192.0.2.1]"},
		{"no address here", ""},
		{"'quoted@example.com'.", "quoted@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := dsn.FindAddress(tt.text); got != tt.want {
				t.Errorf("FindAddress = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHeaderDecoding(t *testing.T) {
	h := dsn.ParseHeaderText("Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\n" +
		"From: =?iso-8859-1?q?J=F6rg?= <j@example.net>\nX-Folded: one\n two\nX-Raw: caf\xe9\n")
	tests := []struct{ name, want string }{
		{"subject", "こんにちは"},
		{"FROM", "Jörg <j@example.net>"},
		{"x-folded", "one two"},
		{"X-Raw", "café"},
		{"Missing", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := h.Get(tt.name); got != tt.want {
				t.Errorf("Get(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// TestNestedReply: a relay's message that quotes the remote server's reply
// gives that reply's codes; a reply that opens the text is not nested.
func TestNestedReply(t *testing.T) {
	tests := []struct {
		text, reply, status string
	}{
		{"5.1.0 - Unknown address error 550-'5.2.2 <neko@example.org>... Mailbox is full' (delivery attempts: 0)", "550", "5.2.2"},
		{"554 4.4.7 Message expired: unable to deliver in 600 minutes.<421 4.4.2 Connection reset by peer>", "421", "4.4.2"},
		{"Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", "550", "5.1.1"},
		{"550 5.1.1 <neko@example.org>: Recipient address rejected: User unknown", "", ""},
		{"<550 5.1.1 user unknown>", "", ""},
		{"554 4.4.7 Message expired <421 5.0.0 mismatched classes are no nested reply>", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			reply, status := dsn.NestedReply(tt.text)
			if reply != tt.reply || status != tt.status {
				t.Errorf("NestedReply = %q, %q; want %q, %q", reply, status, tt.reply, tt.status)
			}
		})
	}
}

// TestFinishNestedReply: FinishRecipient takes the quoted remote reply's
// codes, unless they are vaguer than the report's own status.
func TestFinishNestedReply(t *testing.T) {
	tests := []struct {
		name, status, diag, wantStatus, wantReply string
	}{
		{"relay expiry quoting a timeout", "4.4.7", "554 4.4.7 Message expired: unable to deliver in 600 minutes.<421 4.4.2 Connection reset by peer>", "4.4.2", "421"},
		{"vaguer quoted code keeps the report's", "5.1.1", "550 5.1.1 Remote server returned '550 5.0.0 rejected'", "5.1.1", "550"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := dsn.Recipient{Recipient: "a@example.org", Status: tt.status, Diagnostic: tt.diag, DiagnosticType: "smtp"}
			dsn.FinishRecipient(&rc, dsn.KindFailure)
			if rc.Status != tt.wantStatus || rc.ReplyCode != tt.wantReply {
				t.Errorf("got %s %s, want %s %s", rc.Status, rc.ReplyCode, tt.wantStatus, tt.wantReply)
			}
		})
	}
}
