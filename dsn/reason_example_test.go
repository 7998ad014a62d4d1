package dsn_test

import (
	"fmt"

	"github.com/bouncenote/bouncenote/dsn"
)

func ExampleClassify() {
	reason := dsn.Classify("5.7.1", "554", "RCPT", "554 5.7.1 <kijitora@example.org>: Relay access denied")
	fmt.Println(reason, dsn.IsHardBounce(reason, "5.7.1", "554"))
	reason = dsn.Classify("5.1.1", "550", "RCPT", "550 5.1.1 <kijitora@example.jp>... User Unknown")
	fmt.Println(reason, dsn.IsHardBounce(reason, "5.1.1", "550"))
	// Output:
	// norelaying false
	// userunknown true
}

func ExampleClassifyFacts() {
	// The same Yahoo wording means "rejected" when the mail went through
	// Yahoo's servers, and is a reputation problem elsewhere.
	text := "421 4.7.0 [TSS04] Messages from 192.0.2.192 temporarily deferred due to unexpected volume or user complaints"
	fmt.Println(dsn.ClassifyFacts(dsn.Facts{Status: "4.7.0", ReplyCode: "421", Text: text, RemoteMTA: "dns; mta6.am0.yahoodns.net"}))
	fmt.Println(dsn.ClassifyFacts(dsn.Facts{Status: "4.7.0", ReplyCode: "421", Text: text}))
	// Output:
	// rejected
	// badreputation
}

func ExampleDefaultStatus() {
	fmt.Println(dsn.DefaultStatus("mailboxfull", false), dsn.DefaultStatus("mailboxfull", true))
	fmt.Println(dsn.DefaultStatus("expired", true))
	// Output:
	// 5.2.2 4.2.2
	// 4.4.7
}
