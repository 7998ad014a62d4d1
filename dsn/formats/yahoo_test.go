package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestYahooCorpus(t *testing.T) {
	pvCheckFamily(t, []string{"yahoo"}, nil, "lhost-yahoo-")
}

// TestYahooLayouts checks the command bracket, the reply on its own line,
// the "550:" form and several recipients.
func TestYahooLayouts(t *testing.T) {
	const head = "From: MAILER-DAEMON@yahoo.com\nSubject: Failure Notice\n\nSorry, we were unable to deliver your message to the following address.\n\n"
	cases := []struct {
		name, body           string
		rcpts                int
		reply, command, diag string
	}{
		{"one line", "<a@example.org>:\nRemote host said: 550 5.1.1 <a@example.org>... User Unknown [RCPT_TO]\n",
			1, "550", "RCPT", "550 5.1.1 <a@example.org>... User Unknown"},
		{"reply below", "<a@example.org>:\nRemote host said:\n550 5.2.2 <a@example.org>... Mailbox Full\n[RCPT_TO]\n",
			1, "550", "RCPT", "550 5.2.2 <a@example.org>... Mailbox Full"},
		{"reply on the address line", "<a@example.org>: Remote host said: 550 5.1.1 unknown [RCPT_TO]\n", 1, "550", "RCPT", "550 5.1.1 unknown"},
		{"colon form", "<a@example.org>:\n501: 5.1.8 Sender address rejected\n", 1, "501", "", "501: 5.1.8 Sender address rejected"},
		{"two recipients", "<a@example.org>:\nRemote host said: 550 5.1.1 unknown [RCPT_TO]\n\n<b@example.org>:\nNo mx record found for domain=example.org\n",
			2, "550", "RCPT", "550 5.1.1 unknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := dsn.Parse([]byte(head+c.body+"\n--- Below this line is a copy of the message.\n\nSubject: x\n"), nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format != "yahoo" || len(r.Recipients) != c.rcpts {
				t.Fatalf("format %q, %d recipients, want yahoo and %d", r.Format, len(r.Recipients), c.rcpts)
			}
			rc := r.Recipients[0]
			if rc.ReplyCode != c.reply || rc.Command != c.command || rc.Diagnostic != c.diag {
				t.Errorf("got reply %q command %q diagnostic %q", rc.ReplyCode, rc.Command, rc.Diagnostic)
			}
		})
	}
}
