package formats_test

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/dsn/formats"
)

// A Layout reads the "address line, then indented reason" lists most
// text bounces use; a family file supplies its own lines.
func ExampleLayout() {
	l := &formats.Layout{
		Start: regexp.MustCompile(`^The following address\(es\) failed:$`),
		End:   regexp.MustCompile(`^------ This is a copy`),
		Addr: func(line string) (string, string, bool) {
			if strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") {
				return strings.TrimSpace(line), "", true
			}
			return "", "", false
		},
		Cont: func(line string) bool { return strings.HasPrefix(line, "    ") },
	}
	text := "The following address(es) failed:\n\n  user@example.org\n    host mx.example.org [192.0.2.1]: 550 5.1.1 No such user\n\n------ This is a copy of the message\n"
	for _, rc := range formats.Recipients(l.Read(text), false) {
		fmt.Println(rc.Recipient, rc.ReplyCode, rc.RemoteMTA)
	}
	// Output: user@example.org 550 mx.example.org
}

// Parse with this package imported reads the text bounces of qmail and
// the other families.
func ExampleIsBounceHeader() {
	raw := "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\nSubject: failure notice\n\n" +
		"Hi. This is the qmail-send program at mx.example.net.\n" +
		"I'm afraid I wasn't able to deliver your message to the following addresses.\n" +
		"This is a permanent error; I've given up. Sorry it didn't work out.\n\n" +
		"<user@example.org>:\n192.0.2.1 does not like recipient.\nRemote host said: 550 5.1.1 No such user\nGiving up on 192.0.2.1.\n\n" +
		"--- Below this line is a copy of the message.\n"
	m, _ := dsn.NewMessage([]byte(raw), nil)
	fmt.Println(formats.IsBounceHeader(m.Header))
	r, _ := dsn.Parse([]byte(raw), nil)
	rc := r.Recipients[0]
	fmt.Println(r.Format, rc.Recipient, rc.Status, rc.ReplyCode, rc.Command, rc.Reason)
	// Output:
	// true
	// qmail user@example.org 5.1.1 550 RCPT userunknown
}
