package dsn

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// Field is one header field as it appeared on the wire, unfolded (RFC 5322
// §2.2.3) but not decoded.
type Field struct {
	Name  string // as written, e.g. "Content-Type"
	Value string // raw value, folding line breaks removed, RFC 2047 words still encoded
}

// Header is a lenient, ordered header block (RFC 5322 §2.2).
type Header struct {
	Fields []Field
}

// Raw returns the raw (undecoded, unfolded) value of the first field named
// name, compared case-insensitively, and "" when there is none.
func (h Header) Raw(name string) string {
	for _, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// Has reports whether a field named name is present.
func (h Header) Has(name string) bool {
	for _, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			return true
		}
	}
	return false
}

// Get returns the value of the first field named name, decoded to UTF-8
// (RFC 2047 encoded words, raw 8-bit text) with surrounding space trimmed.
func (h Header) Get(name string) string {
	return DecodeHeaderValue(h.Raw(name))
}

// Values returns the decoded values of every field named name, in order.
func (h Header) Values(name string) []string {
	var out []string
	for _, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			out = append(out, DecodeHeaderValue(f.Value))
		}
	}
	return out
}

// wordDecoder decodes RFC 2047 encoded words in any charset go-message knows.
var wordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// DecodeHeaderValue decodes RFC 2047 encoded words and raw 8-bit bytes in a
// header value to UTF-8 and trims surrounding white space.
func DecodeHeaderValue(v string) string {
	v = toUTF8(v, "")
	if strings.Contains(v, "=?") {
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			v = d
		}
	}
	return strings.TrimSpace(v)
}

// toUTF8 converts b, declared to be in charset cs ("" when unknown), to
// valid UTF-8.
func toUTF8(b string, cs string) string {
	cs = strings.ToLower(strings.TrimSpace(cs))
	switch cs {
	case "", "us-ascii", "ascii", "utf-8", "utf8", "7bit", "8bit":
		// QUIRK: ISO-2022-JP text is often sent without a charset label;
		// its escape sequence is unmistakable.
		if strings.Contains(b, "\x1b$B") || strings.Contains(b, "\x1b$@") {
			cs = "iso-2022-jp"
		} else if utf8.ValidString(b) {
			return b
		} else {
			return latin1(b)
		}
	}
	r, err := charset.Reader(cs, strings.NewReader(b))
	if err != nil {
		if utf8.ValidString(b) {
			return b
		}
		return latin1(b)
	}
	out, err := io.ReadAll(r)
	if err != nil || !utf8.Valid(out) {
		if utf8.ValidString(b) {
			return b
		}
		return latin1(b)
	}
	return string(out)
}

// latin1 decodes undeclared 8-bit text as Windows-1252, the usual guess
// for Western mail, so that the result is valid UTF-8.
func latin1(b string) string {
	out, err := charmap.Windows1252.NewDecoder().String(b)
	if err != nil {
		return strings.ToValidUTF8(b, "\uFFFD")
	}
	return out
}

// parseHeader reads a header block from the start of b (LF line endings)
// and returns it with the body that follows. It is lenient: a line that is
// neither a field nor a continuation ends the header (QUIRK: some mailers
// omit the blank line), and a leading mbox "From " line is skipped. Over
// maxBytes, it returns the fields complete within the limit and an error.
func parseHeader(b []byte, maxBytes int) (Header, []byte, error) {
	var h Header
	var name string
	var value []byte // value of the field being read; appended to, so folding stays linear
	flush := func() {
		if name != "" {
			h.Fields = append(h.Fields, Field{Name: name, Value: string(value)})
		}
		name, value = "", nil
	}
	n := 0
	for len(b) > 0 {
		line, rest := cutLine(b)
		n += len(line) + 1
		if n > maxBytes {
			if len(line) == 0 || (line[0] != ' ' && line[0] != '\t') {
				flush() // complete: h holds every field read within the limit
			}
			return h, nil, fmt.Errorf("header block over %d bytes: %w", maxBytes, ErrLimit)
		}
		if len(bytes.TrimRight(line, " \t")) == 0 {
			flush()
			return h, rest, nil
		}
		if line[0] == ' ' || line[0] == '\t' {
			if name != "" { // QUIRK: a stray continuation before any field is dropped
				value = append(value, line...)
			}
			b = rest
			continue
		}
		nm, v, ok := SplitField(line)
		if !ok {
			if name == "" && len(h.Fields) == 0 && bytes.HasPrefix(line, []byte("From ")) {
				b = rest // QUIRK: mbox envelope line
				continue
			}
			flush()
			return h, b, nil
		}
		flush()
		name, value = nm, append([]byte(nil), v...)
		b = rest
	}
	flush()
	return h, nil, nil
}

// SplitField splits one header line "Name: value" (RFC 5322 §2.2). The
// name must be printable ASCII without spaces, though white space before
// the colon is tolerated; the value has its leading white space removed.
func SplitField(line []byte) (name, value string, ok bool) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return "", "", false
	}
	nm := bytes.TrimRight(line[:i], " \t")
	if len(nm) == 0 {
		return "", "", false
	}
	for _, c := range nm {
		if c <= ' ' || c >= 0x7f {
			return "", "", false
		}
	}
	return string(nm), strings.TrimLeft(string(line[i+1:]), " \t"), true
}

// cutLine returns the first line of b without its LF, and the rest.
func cutLine(b []byte) (line, rest []byte) {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i], b[i+1:]
	}
	return b, nil
}

// ParseHeaderText parses s (for example the body of a text/rfc822-headers
// part) as a header block, leniently and without limits beyond its length.
func ParseHeaderText(s string) Header {
	h, _, _ := parseHeader(normalizeNewlines([]byte(s)), len(s)+1)
	return h
}

// normalizeNewlines turns CRLF and lone CR into LF, so that the same
// message in any line ending parses the same.
func normalizeNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, c)
	}
	return out
}
