package dsn

import "github.com/bouncenote/bouncenote/entity"

// Field is one header field as it appeared on the wire, unfolded (RFC 5322
// §2.2.3) but not decoded, with its offsets in the entity it was read from.
type Field = entity.Field

// Header is a lenient, ordered header block (RFC 5322 §2.2).
type Header = entity.Header

// DecodeHeaderValue decodes RFC 2047 encoded words and raw 8-bit bytes in a
// header value to UTF-8 and trims surrounding white space.
func DecodeHeaderValue(v string) string { return entity.DecodeValue(v) }

// SplitField splits one header line "Name: value" (RFC 5322 §2.2). The
// name must be printable ASCII without spaces, though white space before
// the colon is tolerated; the value has its leading white space removed.
func SplitField(line []byte) (name, value string, ok bool) { return entity.SplitField(line) }

// ParseHeaderText parses s (for example the body of a text/rfc822-headers
// part) as a header block, leniently and without limits beyond its length.
func ParseHeaderText(s string) Header { return entity.ParseHeader([]byte(s)) }
