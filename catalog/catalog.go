package catalog

import "strings"

// Who says who has to act on a failure.
type Who string

const (
	WhoSender         Who = "sender"
	WhoSenderAdmin    Who = "sender-admin"
	WhoRecipient      Who = "recipient"
	WhoRecipientAdmin Who = "recipient-admin"
	WhoNobody         Who = "nobody"
)

// Valid reports whether w is one of the five known values.
func (w Who) Valid() bool {
	switch w {
	case WhoSender, WhoSenderAdmin, WhoRecipient, WhoRecipientAdmin, WhoNobody:
		return true
	}
	return false
}

// Query is what is known of one failed delivery.
type Query struct {
	ReplyCode string // "550", RFC 5321 §4.2
	Status    string // enhanced status code "5.7.1", RFC 3463
	Text      string // diagnostic text
	Host      string // reporting or remote MTA host name, to recognise a vendor
	Reason    string // the reason the parser found (one of Reasons), or ""
	// ReasonFromCode says the parser's reason came from the codes alone:
	// the text did not change it. A wording entry may then refine it.
	ReasonFromCode bool
	Command        string // the SMTP command that failed: "MAIL", "RCPT", "DATA", ...

	// Final says delivery has been given up (RFC 3464 §2.3.3 Action: failed).
	// A temporary (class 4) status in a final report is then looked up as
	// its class 5 twin, and a class 4 reply code is ignored; see Finalize.
	Final bool
	// Delayed says delivery is still being tried (Action: delayed): only
	// temporary entries are chosen.
	Delayed bool
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

// Languages every entry is written in. The first is the fallback.
const (
	LangEN   = "en"
	LangZHCN = "zh-CN"
)

// Languages lists the supported languages, fallback first.
var Languages = []string{LangEN, LangZHCN}

// NormalizeLang maps a language tag to a supported language: "zh-CN",
// "zh_CN", "zh", "zh-Hans" (any case) give "zh-CN"; anything else gives "en".
func NormalizeLang(lang string) string {
	l := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(lang), "_", "-"))
	switch l {
	case "zh", "zh-cn", "zh-hans", "zh-hans-cn", "zh-sg", "zh-hans-sg":
		return LangZHCN
	}
	return LangEN
}

// Catalog is a compiled, read-only set of entries. Safe for concurrent use.
// A nil *Catalog stands for Builtin().
type Catalog struct {
	entries []*Entry // custom entries first, then built-in; order is the tie-break
	heading map[string]string
	text    textRules // the needles of the text rules, built on first use
	gates   gates     // the entries' code rules, packed on first use
	textGts textGates // which wording entries the needles found let through
}

// newCatalog returns a catalog of entries; what only text matching needs
// is built on the first lookup with text.
func newCatalog(entries []*Entry) *Catalog {
	return &Catalog{entries: entries}
}

// LoadOptions configure LoadFiles. The zero value means the defaults.
type LoadOptions struct {
	NoBuiltin bool // load only the given files, without the built-in entries
}

// Load returns the built-in catalog with the entries of the given YAML files
// or directories on top (they take precedence). Errors name file:line and
// the cause and wrap ErrInvalid.
func Load(paths ...string) (*Catalog, error) {
	return LoadFiles(LoadOptions{}, paths...)
}

// LoadFiles is Load with options. Paths are files or directories (every
// *.yaml and *.yml file in them, by name, not recursive).
func LoadFiles(opts LoadOptions, paths ...string) (*Catalog, error) {
	custom, heading, err := loadPaths(paths)
	if err != nil {
		return nil, err
	}
	if opts.NoBuiltin {
		if err := checkIDs(custom, nil); err != nil {
			return nil, err
		}
		c := newCatalog(custom)
		c.heading = heading
		return c, nil
	}
	if len(custom) == 0 && heading == nil {
		return Builtin(), BuiltinError()
	}
	if err := BuiltinError(); err != nil {
		return nil, err
	}
	base := Builtin().entries
	if err := checkIDs(custom, base); err != nil {
		return nil, err
	}
	all := make([]*Entry, 0, len(custom)+len(base))
	all = append(all, custom...)
	all = append(all, base...)
	c := newCatalog(all)
	c.heading = heading
	return c, nil
}

// Heading returns the heading a site catalog sets for the explanation
// block in lang (falling back to its English one), or "" for the built-in
// heading.
func (c *Catalog) Heading(lang string) string {
	c = c.orBuiltin()
	if h := c.heading[NormalizeLang(lang)]; h != "" {
		return h
	}
	return c.heading[LangEN]
}

// Entries returns the entries in tie-break order (custom first). The
// returned entries are shared and must not be modified.
func (c *Catalog) Entries() []*Entry {
	c = c.orBuiltin()
	return append([]*Entry(nil), c.entries...)
}

// Len returns the number of entries.
func (c *Catalog) Len() int { return len(c.orBuiltin().entries) }

func (c *Catalog) orBuiltin() *Catalog {
	if c == nil {
		return Builtin()
	}
	return c
}

// Explain finds the most specific entry for q and renders it in lang
// ("en", "zh-CN"; anything else falls back to "en"). It always returns an
// explanation: at worst the last-resort entry. Codes missing from q, or a
// status that only gives the class (X.0.0), are taken from q.Text when it
// holds them (see ParseLine). A Final query is adjusted by Finalize.
func (c *Catalog) Explain(q Query, lang string) Explanation {
	q = Finalize(FillCodes(q))
	e, _ := c.lookup(q)
	if e == nil {
		e = genericEntry
	}
	x := e.Render(lang)
	x.Reason = VerdictReason(q.Reason, q.ReasonFromCode, e)
	switch {
	case q.Final:
		x.Permanent = true
	case q.Delayed:
		x.Permanent = false
	}
	return x
}

// VerdictReason is the one reason given for a recipient whose parser found
// reason parser and whose chosen entry is e: the parser's, unless it found
// none (then the entry's) or e's wording refines it (see select.go).
func VerdictReason(parser string, fromCode bool, e *Entry) string {
	switch {
	case e == nil || e.Reason == parser:
	case weakReason(parser) && e.Reason != "undefined":
		return e.Reason
	case weakReason(parser):
	case e.m.hasText() && refines(parser, e.Reason, fromCode):
		return e.Reason
	}
	if parser == "" {
		return "undefined"
	}
	return parser
}

// Lookup returns the most specific entry for q (after filling codes from
// the text as Explain does), or nil when no entry matches, which only
// happens for a catalog without a last-resort entry.
func (c *Catalog) Lookup(q Query) *Entry {
	e, _ := c.lookup(Finalize(FillCodes(q)))
	return e
}

// ByID returns the entry with that id, or nil.
func (c *Catalog) ByID(id string) *Entry {
	for _, e := range c.orBuiltin().entries {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// genericEntry answers when a catalog has no last-resort entry of its own.
var genericEntry = &Entry{
	ID:     "catalog.generic",
	Reason: "undefined",
	Who:    WhoSender,
	EN: Text{
		Title:       "Your message could not be delivered",
		Explanation: "The receiving side did not accept your message, and it gave no reason we recognise.",
		Remedy:      "Check the recipient's address. If it is right, try again later; if it fails again, contact the recipient another way or ask your mail administrator.",
	},
	ZHCN: Text{
		Title:       "邮件未能送达",
		Explanation: "对方没有接收这封邮件，也没有给出我们能识别的原因。",
		Remedy:      "请先核对收件人地址。地址无误的话，可以稍后再发一次；如果仍然失败，请换用其他方式联系对方，或者请您的邮件管理员协助。",
	},
}
