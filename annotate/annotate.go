// Package annotate adds plain-language explanations to bounce messages
// (RFC 3464, RFC 6522) without changing anything else in them.
package annotate

import (
	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/dsn"
)

// STUB: the annotate issue replaces this file. The exported API below is the
// contract the CLI and the milter build on.

// Options configure Annotate. The zero value means the defaults.
type Options struct {
	Lang        string           // "en" (default), "zh-CN" or "auto"
	Catalog     *catalog.Catalog // nil means catalog.Builtin()
	Parse       *dsn.Options     // nil means dsn defaults
	HeadersOnly bool             // add headers but leave the body alone
}

// Field is one header field; Value is ready to be written (sanitised,
// RFC 2047-encoded where needed, folded).
type Field struct {
	Name  string
	Value string
}

// Result is what Annotate did.
type Result struct {
	Report  *dsn.Report
	Changed bool   // false: the message passes through byte-identical
	Output  []byte // the whole annotated message (the input itself when !Changed)

	// For the milter, the same change as a list of edits:
	RemoveHeaders []string // names of incoming header fields to delete (X-Bounce-*), all occurrences
	AddHeaders    []Field  // fields to add, in order, at the top of the header
	SetHeaders    []Field  // top-level fields to replace or add (e.g. Content-Type when re-encoded)
	Body          []byte   // the new body (after the blank line); nil when the body is unchanged
}

// Annotate parses raw and, for failures and delays, adds the explanation.
func Annotate(raw []byte, opts Options) (*Result, error) {
	return &Result{Output: raw}, nil
}
