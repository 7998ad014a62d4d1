package entity

import (
	"bytes"
	"fmt"
	"mime"
	"slices"
	"strings"

	"github.com/emersion/go-message/charset"
)

// Field is one header field as it appeared on the wire, unfolded (RFC 5322
// §2.2.3) but not decoded.
type Field struct {
	Name  string // as written, e.g. "Content-Type"
	Value string // raw value, folding line breaks removed, RFC 2047 words still encoded
	Start int    // offset of the field's first byte in the entity's source
	End   int    // offset just past the field's last line ending
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
	return DecodeValue(h.Raw(name))
}

// Values returns the decoded values of every field named name, in order.
func (h Header) Values(name string) []string {
	var out []string
	for _, f := range h.Fields {
		if strings.EqualFold(f.Name, name) {
			out = append(out, DecodeValue(f.Value))
		}
	}
	return out
}

// wordDecoder decodes RFC 2047 encoded words in any charset go-message knows.
var wordDecoder = &mime.WordDecoder{CharsetReader: charset.Reader}

// DecodeValue decodes RFC 2047 encoded words and raw 8-bit bytes in a
// header value to UTF-8 and trims surrounding white space.
func DecodeValue(v string) string {
	v = ToUTF8(v, "")
	if strings.Contains(v, "=?") {
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			v = d
		}
	}
	return strings.TrimSpace(v)
}

// The header reader is entity's own, not go-message's textproto.ReadHeader:
// textproto reads from a bufio.Reader and gives no byte offsets (annotate
// splices fields and keeps every other byte), it fails on the first line
// that is not a field where real bounces need the header to end there
// (QUIRKs below), and it cannot stop at MaxHeaderBytes with the fields
// read so far. There is one header reader: this one.

// readHeader reads a header block from src[start:end] (LF or CRLF line
// endings) and returns it with the offset just past its last line (where
// the blank line that ends it starts, when there is one) and the offset of
// the body that follows (end when the header runs to the end). It is
// lenient: a line that is neither a field nor a continuation ends the
// header (QUIRK: a header that runs into the body without a blank line;
// sample lhost-office365-08, TestQuirkHeaderWithoutBlankLine), and a
// leading mbox "From " line is skipped. Over maxBytes
// (counting one byte per line ending), it returns the fields complete
// within the limit and an error wrapping ErrLimit.
func readHeader(src []byte, start, end, maxBytes int) (h Header, hdrEnd, bodyStart int, err error) {
	// Most headers fit the scratch space: then reading one costs two
	// allocations, the fields and one string of all their values.
	var fieldScratch [32]Field
	var valueScratch [2048]byte
	var spanScratch [32][2]int
	hr := headerReader{fields: fieldScratch[:0], values: valueScratch[:0], spans: spanScratch[:0]}
	hr, hdrEnd, bodyStart, err = hr.read(src, start, end, maxBytes)
	if len(hr.fields) > 0 {
		all := string(hr.values)
		h.Fields = slices.Clone(hr.fields)
		for i, sp := range hr.spans {
			h.Fields[i].Value = all[sp[0]:sp[1]]
		}
	}
	return h, hdrEnd, bodyStart, err
}

// headerReader gathers the fields of a header block: each value goes into
// values, fields[i]'s at spans[i].
type headerReader struct {
	fields []Field
	values []byte
	spans  [][2]int
}

// read is readHeader into hr, which it returns grown. (A value receiver:
// appending through a pointer would move readHeader's scratch space to the
// heap.)
func (hr headerReader) read(src []byte, start, end, maxBytes int) (_ headerReader, hdrEnd, bodyStart int, err error) {
	var name string
	// value of the field being read: a slice of src until a continuation
	// line comes, then a copy appended to, so folding stays linear.
	var value []byte
	copied := false
	fstart, fend := 0, 0
	flush := func() {
		if name != "" {
			hr.spans = append(hr.spans, [2]int{len(hr.values), len(hr.values) + len(value)})
			hr.values = append(hr.values, value...)
			hr.fields = append(hr.fields, Field{Name: name, Start: fstart, End: fend})
		}
		name, value, copied = "", nil, false
	}
	n := 0
	pos := start
	for pos < end {
		line, next := LineAt(src, pos, end)
		n += len(line) + 1
		if n > maxBytes {
			if len(line) == 0 || (line[0] != ' ' && line[0] != '\t') {
				flush() // complete: h holds every field read within the limit
			}
			return hr, pos, end, fmt.Errorf("header block over %d bytes: %w", maxBytes, ErrLimit)
		}
		if len(bytes.TrimRight(line, " \t")) == 0 {
			flush()
			return hr, pos, next, nil
		}
		if line[0] == ' ' || line[0] == '\t' || paramLine(line, value) {
			if name != "" { // QUIRK: a stray continuation before any field is dropped
				if !copied {
					value, copied = append(make([]byte, 0, len(value)+len(line)), value...), true
				}
				value = append(value, line...)
				fend = next
			}
			pos = next
			continue
		}
		nm, v, ok := splitField(line)
		if !ok {
			if name == "" && len(hr.fields) == 0 && bytes.HasPrefix(line, []byte("From ")) {
				pos = next // QUIRK: mbox envelope line (sample lhost-exim-07, TestQuirkMboxFromLine)
				continue
			}
			flush()
			return hr, pos, pos, nil
		}
		flush()
		name, value = fieldName(nm), v
		fstart, fend = pos, next
		pos = next
	}
	flush()
	return hr, end, end, nil
}

// commonNames holds the field names most headers repeat, as written, so
// that reading a header does not allocate each of them anew.
var commonNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{"Received", "Return-Path", "Delivered-To", "From", "To", "Cc", "Subject", "Date",
		"Message-ID", "Message-Id", "MIME-Version", "Mime-Version", "Content-Type", "Content-Transfer-Encoding",
		"Content-Description", "Content-Disposition", "X-Mailer", "Reply-To", "Sender", "In-Reply-To", "References",
		"Auto-Submitted", "X-Original-To", "Precedence", "DKIM-Signature", "Authentication-Results",
		"Reporting-MTA", "Arrival-Date", "Final-Recipient", "Original-Recipient", "Action", "Status",
		"Remote-MTA", "Diagnostic-Code", "Last-Attempt-Date", "X-Postfix-Queue-ID", "X-Postfix-Sender",
		"Received-From-MTA", "X-Spam-Status", "Thread-Index", "Content-Language", "X-MS-Exchange-Message-Is-Ndr",
		"X-Received", "Return-path", "Received-SPF", "Content-type", "X-Failed-Recipients", "X-Gm-Message-State",
		"X-Google-DKIM-Signature", "X-Google-Smtp-Source", "X-SenderID", "X-Virus-Scanned", "User-Agent",
		"X-Originating-IP", "Envelope-to", "Delivery-date", "ARC-Authentication-Results", "ARC-Seal",
		"ARC-Message-Signature", "X-Priority"} {
		m[n] = n
	}
	return m
}()

// fieldName returns nm as a string, shared for the common names.
func fieldName(nm []byte) string {
	if s, ok := commonNames[string(nm)]; ok {
		return s
	}
	return string(nm)
}

// paramLine reports a parameter continued without indentation after a
// value ending in ";". QUIRK: some Exchange servers write "boundary=..."
// on an unindented line (sample lhost-office365-10, TestQuirkParamLine).
func paramLine(line, prev []byte) bool {
	if !bytes.HasSuffix(bytes.TrimRight(prev, " \t"), []byte(";")) {
		return false
	}
	eq := bytes.IndexByte(line, '=')
	colon := bytes.IndexByte(line, ':')
	return eq > 0 && (colon < 0 || colon > eq)
}

// SplitField splits one header line "Name: value" (RFC 5322 §2.2). The
// name must be printable ASCII without spaces, though white space before
// the colon is tolerated; the value has its leading white space removed.
func SplitField(line []byte) (name, value string, ok bool) {
	nm, v, ok := splitField(line)
	if !ok {
		return "", "", false
	}
	return string(nm), string(v), true
}

// SplitFieldString is SplitField for a line held in a string; name and
// value are parts of line.
func SplitFieldString(line string) (name, value string, ok bool) { return splitField(line) }

// splitField is SplitField returning parts of line.
func splitField[T string | []byte](line T) (name, value T, ok bool) {
	i := 0
	for i < len(line) && line[i] != ':' {
		i++
	}
	if i == 0 || i == len(line) {
		return name, value, false
	}
	j := i // end of the name: white space before the colon is tolerated
	for j > 0 && (line[j-1] == ' ' || line[j-1] == '\t') {
		j--
	}
	if j == 0 {
		return name, value, false
	}
	for k := 0; k < j; k++ {
		if c := line[k]; c <= ' ' || c >= 0x7f {
			return name, value, false
		}
	}
	v := i + 1
	for v < len(line) && (line[v] == ' ' || line[v] == '\t') {
		v++
	}
	return line[:j], line[v:], true
}

// ParseHeader parses b (any line ending) as a header block, leniently and
// without limits beyond its length.
func ParseHeader(b []byte) Header {
	if HasBareCR(b) {
		b = NormalizeNewlines(b)
	}
	h, _, _, _ := readHeader(b, 0, len(b), len(b)+1)
	return h
}

// LineAt returns the line of src[:end] starting at pos without its line
// ending (LF or CRLF), and the offset of the next line.
func LineAt(src []byte, pos, end int) ([]byte, int) {
	if pos >= end {
		return nil, end
	}
	i := bytes.IndexByte(src[pos:end], '\n')
	if i < 0 {
		return src[pos:end], end
	}
	line := src[pos : pos+i]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, pos + i + 1
}

// HasBareCR reports a CR that is not followed by LF.
func HasBareCR(b []byte) bool {
	for {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			return false
		}
		if i+1 >= len(b) || b[i+1] != '\n' {
			return true
		}
		b = b[i+2:]
	}
}

// NormalizeNewlines turns CRLF and lone CR into LF. It returns b itself
// when b has no CR.
func NormalizeNewlines(b []byte) []byte {
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

// LFString returns b as a string with CRLF and lone CR turned into LF, in
// one allocation.
func LFString(b []byte) string {
	if bytes.IndexByte(b, '\r') < 0 {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			sb.WriteByte('\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// ParseHeaderWithin parses b (LF or CRLF line endings) as a header block
// within maxBytes, and returns the fields complete within the limit.
func ParseHeaderWithin(b []byte, maxBytes int) Header {
	h, _, _, _ := readHeader(b, 0, len(b), maxBytes)
	return h
}

// LineEnding returns the line ending of the line of src starting at pos:
// "\r\n" or "\n" (also for a last line without one).
func LineEnding(src []byte, pos int) string {
	if i := bytes.IndexByte(src[pos:], '\n'); i > 0 && src[pos+i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}
