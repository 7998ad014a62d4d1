package catalog_test

import (
	"fmt"

	"github.com/bouncenote/bouncenote/catalog"
)

func ExampleCatalog_Explain() {
	c := catalog.Builtin()
	q := catalog.ParseLine("550 5.1.1 <kim@example.org>: Recipient address rejected: User unknown in local recipient table")
	x := c.Explain(q, "en")
	fmt.Println(x.ID, x.Reason, x.Permanent, x.Who)
	// Output: server.user-unknown userunknown true sender
}

func ExampleParseLine() {
	q := catalog.ParseLine("smtp; 550 5.1.1 <a@example.org>... User unknown")
	fmt.Println(q.ReplyCode, q.Status)
	// Output: 550 5.1.1
}
