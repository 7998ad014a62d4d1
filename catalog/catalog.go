// Package catalog holds plain-language explanations of SMTP replies and
// enhanced status codes (RFC 5321, RFC 3463) and finds the one that fits.
package catalog

// STUB: the catalog issue replaces this file. The exported API below is the
// contract other packages build on.

// Who says who has to act on a failure.
type Who string

const (
	WhoSender         Who = "sender"
	WhoSenderAdmin    Who = "sender-admin"
	WhoRecipient      Who = "recipient"
	WhoRecipientAdmin Who = "recipient-admin"
	WhoNobody         Who = "nobody"
)

// Query is what is known of one failed delivery.
type Query struct {
	ReplyCode string // "550"
	Status    string // enhanced status code "5.7.1"
	Text      string // diagnostic text
	Host      string // reporting or remote MTA host name, to recognise a vendor
}

// Explanation is one entry rendered in one language.
type Explanation struct {
	ID          string `json:"id"`
	Reason      string `json:"reason"`
	Permanent   bool   `json:"permanent"`
	Who         Who    `json:"who"`
	Title       string `json:"title"`
	Explanation string `json:"explanation"`
	Remedy      string `json:"remedy"`
	AdminNote   string `json:"admin_note"`
	Link        string `json:"link"`
	Lang        string `json:"lang"`
}

// Catalog is a compiled, read-only set of entries. Safe for concurrent use.
type Catalog struct{}

// Builtin returns the embedded catalog.
func Builtin() *Catalog { return &Catalog{} }

// Load returns the built-in catalog with the entries of the given YAML files
// or directories on top (they take precedence).
func Load(paths ...string) (*Catalog, error) { return &Catalog{}, nil }

// Explain finds the most specific entry for q and renders it in lang
// ("en", "zh-CN"; anything else falls back to "en"). It always returns an
// explanation: at worst the last-resort entry.
func (c *Catalog) Explain(q Query, lang string) Explanation {
	return Explanation{ID: "stub", Title: "Delivery failed", Lang: "en", Who: WhoSender}
}

// ParseLine takes codes out of a diagnostic line such as
// "550-5.1.1 The email account ... does not exist".
func ParseLine(s string) Query { return Query{Text: s} }
