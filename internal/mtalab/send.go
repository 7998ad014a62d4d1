package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-smtp"
)

// sendOptions is one message the lab submits to an MTA.
type sendOptions struct {
	Server  string // loopback host:port of the MTA
	From    string
	To      []string
	Subject string
	ID      string // Message-ID without brackets
	Size    int    // pad the body to about this many bytes
}

// labDate is the Date of every message the lab sends, so that the returned
// copies inside the bounces are stable.
const labDate = "Thu, 03 Dec 2026 10:00:00 +0000"

// Message returns the message bytes: fixed headers, CRLF line ends.
func (o sendOptions) Message() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: Lab Sender <%s>\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\n",
		o.From, strings.Join(o.To, ", "), o.Subject, labDate, o.ID)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
	b.WriteString("This is a test message from the bouncenote MTA lab.\r\n")
	line := strings.Repeat("x", 76) + "\r\n"
	for b.Len() < o.Size {
		b.WriteString(line)
	}
	return []byte(b.String())
}

func runSend(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o sendOptions
	var to string
	fs.StringVar(&o.Server, "server", "127.0.0.1:25", "loopback `address` of the MTA")
	fs.StringVar(&o.From, "from", "sender@sink.test", "envelope and header sender")
	fs.StringVar(&to, "to", "", "comma-separated recipients")
	fs.StringVar(&o.Subject, "subject", "lab test", "Subject")
	fs.StringVar(&o.ID, "id", "lab@lab.test", "Message-ID (without <>)")
	fs.IntVar(&o.Size, "size", 0, "pad the body to about `n` bytes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if to == "" {
		return fmt.Errorf("mtalab send: -to is required")
	}
	o.To = strings.Split(to, ",")
	if err := checkLoopback(o.Server); err != nil {
		return err
	}
	return o.send()
}

// send submits the message in plain text. go-smtp's client, unlike
// net/smtp's, does not ask for SMTPUTF8 when the server offers it (the
// lab's messages are ASCII, as most mail is); its SendMail insists on
// STARTTLS, which the lab's MTAs do not offer.
func (o sendOptions) send() error {
	c, err := smtp.Dial(o.Server)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("client.lab.test"); err != nil {
		return err
	}
	if err := c.SendMail(o.From, o.To, bytes.NewReader(o.Message())); err != nil {
		return err
	}
	return c.Quit()
}
