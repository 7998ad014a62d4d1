package annotate

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
)

// The scanner finds the byte ranges of MIME parts (RFC 2045, RFC 2046) without
// re-serialising anything, so that one part can be spliced and every other
// byte kept as it was.

// field is one header field as it appears on the wire.
type field struct {
	Name  string // as written, without the colon
	Value string // unfolded, trimmed
	Start int    // offset of the first byte of the field in the message
	End   int    // offset just past the field's last line ending
}

// part is one MIME entity. Offsets index the whole message.
type part struct {
	Start      int // first byte of the entity's header
	BodyStart  int // first byte of the body (after the blank line)
	End        int // just past the body; the line ending before a delimiter is not included
	HeaderSep  bool
	Fields     []field
	MediaType  string            // lower case, "text/plain" when absent
	Params     map[string]string // Content-Type parameters
	Depth      int
	InMessage  bool // inside an encapsulated message/rfc822 or message/global
	Attachment bool // Content-Disposition: attachment
	Children   []*part
	Parent     *part
	pseudoText bool // a multipart without delimiters, read as text
	badType    bool // a Content-Type without a type/subtype, read as text/plain
}

// get returns the value of the first field named name (case-insensitive).
func (p *part) get(name string) string {
	for _, f := range p.Fields {
		if strings.EqualFold(f.Name, name) {
			return f.Value
		}
	}
	return ""
}

// charset returns the lower-case charset parameter, "" when absent.
func (p *part) charset() string {
	return strings.ToLower(strings.Trim(p.Params["charset"], `" `))
}

// cte returns the lower-case Content-Transfer-Encoding, "7bit" when absent.
// RFC 2045 §6.1
func (p *part) cte() string {
	v := strings.ToLower(strings.TrimSpace(p.get("Content-Transfer-Encoding")))
	if v == "" {
		return "7bit"
	}
	return v
}

// scanner walks one message within limits. As in dsn, the limits guard
// the parts annotate reads: a limit reached inside a returned message
// leaves that message opaque (no children) instead of failing.
type scanner struct {
	raw     []byte
	limits  dsn.Limits
	parts   int // the bounce's own entities
	carried int // entities inside returned messages, with a budget of their own
}

// scan returns the root entity of raw. start skips an mbox "From " line.
func scan(raw []byte, limits dsn.Limits, start int) (*part, error) {
	s := &scanner{raw: raw, limits: limitsWithDefaults(limits)}
	if int64(len(raw)) > s.limits.MaxBodyBytes {
		return nil, fmt.Errorf("%w: message of %d bytes over %d", dsn.ErrLimit, len(raw), s.limits.MaxBodyBytes)
	}
	return s.entity(start, len(raw), 0, false, "text/plain")
}

// limitsWithDefaults fills zero limits with the dsn defaults.
func limitsWithDefaults(l dsn.Limits) dsn.Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxHeaderBytes, dsn.DefaultMaxHeaderBytes)
	def(&l.MaxParts, dsn.DefaultMaxParts)
	def(&l.MaxDepth, dsn.DefaultMaxDepth)
	def(&l.MaxLineLength, dsn.DefaultMaxLineLength)
	def(&l.MaxRecipients, dsn.DefaultMaxRecipients)
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = dsn.DefaultMaxBodyBytes
	}
	return l
}

// entity reads the header of the entity in raw[start:end] and its children.
func (s *scanner) entity(start, end, depth int, inMsg bool, defType string) (*part, error) {
	if err := s.count(depth, inMsg); err != nil {
		return nil, err
	}
	p := &part{Start: start, End: end, Depth: depth, InMessage: inMsg}
	var err error
	p.Fields, p.BodyStart, p.HeaderSep, err = s.header(start, end)
	if err != nil {
		return nil, err
	}
	p.MediaType, p.Params = contentType(p.get("Content-Type"), defType)
	p.badType = !strings.Contains(strings.SplitN(p.get("Content-Type"), ";", 2)[0], "/") && p.get("Content-Type") != ""
	disp, _, _ := mime.ParseMediaType(p.get("Content-Disposition"))
	p.Attachment = disp == "attachment"
	switch {
	case strings.HasPrefix(p.MediaType, "multipart/"):
		err = s.multipart(p)
	case p.MediaType == "message/rfc822" || p.MediaType == "message/global":
		err = s.encapsulated(p)
	}
	if err == nil && len(p.Children) == 0 && !inMsg && p.isText() {
		err = s.checkLines(p.BodyStart, p.End)
	}
	return p, err
}

// count enforces MaxDepth and MaxParts for one more entity.
func (s *scanner) count(depth int, inMsg bool) error {
	if depth > s.limits.MaxDepth {
		return fmt.Errorf("%w: MIME nesting deeper than %d", dsn.ErrLimit, s.limits.MaxDepth)
	}
	n := &s.parts
	if inMsg {
		n = &s.carried
	}
	*n++
	if *n > s.limits.MaxParts {
		return fmt.Errorf("%w: more than %d MIME parts", dsn.ErrLimit, s.limits.MaxParts)
	}
	return nil
}

// checkLines enforces MaxLineLength on raw[start:end], a text part that
// annotate reads and may rewrite.
func (s *scanner) checkLines(start, end int) error {
	for pos := start; pos < end; {
		line, next := lineAt(s.raw, pos, end)
		if len(bytes.TrimRight(line, "\r\n")) > s.limits.MaxLineLength {
			return fmt.Errorf("%w: line over %d bytes", dsn.ErrLimit, s.limits.MaxLineLength)
		}
		pos = next
	}
	return nil
}

// encapsulated scans the message inside a message/rfc822 part. A limit
// reached anywhere inside the bounce's returned message leaves it opaque:
// it is carried byte for byte and never read.
func (s *scanner) encapsulated(p *part) error {
	if cte := p.cte(); cte == "base64" || cte == "quoted-printable" {
		return nil // QUIRK: encoded encapsulated messages are left opaque
	}
	c, err := s.entity(p.BodyStart, p.End, p.Depth+1, true, "text/plain")
	if err != nil && !p.InMessage && errors.Is(err, dsn.ErrLimit) {
		return nil
	}
	if err != nil {
		return err
	}
	c.Parent = p
	p.Children = []*part{c}
	return nil
}

// contentType parses a Content-Type value leniently. RFC 2045 §5
func contentType(v, defType string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return defType, map[string]string{}
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil || mt == "" {
		// QUIRK: real bounces carry broken parameters (unquoted specials,
		// duplicates); keep the type and pick the boundary and charset by hand.
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(v, ";", 2)[0]))
		params = looseParams(v)
	}
	if !strings.Contains(mt, "/") {
		return defType, params
	}
	return mt, params
}

// looseParams extracts name=value pairs without validating them.
func looseParams(v string) map[string]string {
	params := map[string]string{}
	for i, seg := range strings.Split(v, ";") {
		if i == 0 {
			continue
		}
		k, val, ok := strings.Cut(seg, "=")
		if !ok {
			continue
		}
		k = strings.ToLower(strings.TrimSpace(k))
		if _, dup := params[k]; !dup {
			params[k] = strings.Trim(strings.TrimSpace(val), `"`)
		}
	}
	return params
}

// header reads header fields from raw[start:end]. It returns the fields, the
// body offset and whether a blank line ended the header. RFC 5322 §2.2
func (s *scanner) header(start, end int) ([]field, int, bool, error) {
	var fields []field
	pos := start
	for pos < end {
		if pos-start > s.limits.MaxHeaderBytes {
			return nil, 0, false, fmt.Errorf("%w: header over %d bytes", dsn.ErrLimit, s.limits.MaxHeaderBytes)
		}
		line, next := lineAt(s.raw, pos, end)
		if len(bytes.TrimRight(line, " \t\r\n")) == 0 {
			return fields, next, true, nil // QUIRK: white space only ends it too, as in dsn
		}
		if line[0] == ' ' || line[0] == '\t' || (len(fields) > 0 && paramLine(line, fields[len(fields)-1].Value)) {
			if len(fields) == 0 { // QUIRK: stray continuation, kept as a nameless field
				fields = append(fields, field{Start: pos, End: next})
			} else {
				f := &fields[len(fields)-1]
				f.Value += " " + strings.TrimSpace(string(line))
				f.End = next
			}
			pos = next
			continue
		}
		name, val, ok := dsn.SplitField(line)
		if !ok {
			// QUIRK: a line that is not a field ends the header (the body
			// starts without a blank line).
			return fields, pos, false, nil
		}
		fields = append(fields, field{Name: name, Value: strings.TrimSpace(val), Start: pos, End: next})
		pos = next
	}
	return fields, end, false, nil
}

// paramLine reports a parameter continued without indentation after a
// value ending in ";".
// QUIRK: some Exchange servers write "boundary=..." on an unindented line.
func paramLine(line []byte, prev string) bool {
	if !strings.HasSuffix(prev, ";") {
		return false
	}
	eq := bytes.IndexByte(line, '=')
	colon := bytes.IndexByte(line, ':')
	return eq > 0 && (colon < 0 || colon > eq)
}

// lineAt returns the line starting at pos (with its ending) and the next offset.
func lineAt(raw []byte, pos, end int) ([]byte, int) {
	if pos >= end {
		return nil, end
	}
	i := bytes.IndexByte(raw[pos:end], '\n')
	if i < 0 {
		return raw[pos:end], end
	}
	return raw[pos : pos+i+1], pos + i + 1
}

// multipart finds the body parts of p between its boundary delimiters.
// RFC 2046 §5.1.1
func (s *scanner) multipart(p *part) error {
	b := p.Params["boundary"]
	if b == "" || len(b) > 200 {
		return nil // QUIRK: treated as an opaque body, like most readers
	}
	delim := []byte("--" + b)
	var starts []int // body-part starts
	closeAt := -1
	prevEOL := -1 // offset of the line ending before the current line
	for pos := p.BodyStart; pos < p.End; {
		line, next := lineAt(s.raw, pos, p.End)
		if kind := delimKind(line, delim); kind != 0 {
			if len(starts) > 0 {
				s.addChild(p, starts[len(starts)-1], eolStart(s.raw, pos, prevEOL))
			}
			if kind == 2 {
				closeAt = pos
				break
			}
			starts = append(starts, next)
		}
		prevEOL = pos
		pos = next
	}
	if len(starts) == 0 {
		// QUIRK: no delimiter at all (wrong or missing boundary): readers
		// show the body as plain text, so it is treated as one.
		p.pseudoText = true
		return nil
	}
	if closeAt < 0 {
		// QUIRK: no close delimiter (truncated bounce): the last part runs to the end.
		s.addChild(p, starts[len(starts)-1], p.End)
	}
	return s.children(p)
}

// eolStart returns where the line ending before the delimiter line at pos begins.
func eolStart(raw []byte, pos, prev int) int {
	if prev < 0 || pos == 0 {
		return pos
	}
	e := pos
	if raw[e-1] == '\n' {
		e--
		if e > 0 && raw[e-1] == '\r' {
			e--
		}
	}
	return e
}

// pending ranges are kept as children with only offsets until children() scans them.
func (s *scanner) addChild(p *part, start, end int) {
	if end < start {
		end = start
	}
	p.Children = append(p.Children, &part{Start: start, End: end})
}

// children scans each recorded body-part range.
func (s *scanner) children(p *part) error {
	def := "text/plain"
	if p.MediaType == "multipart/digest" {
		def = "message/rfc822" // RFC 2046 §5.1.5
	}
	for i, r := range p.Children {
		c, err := s.entity(r.Start, r.End, p.Depth+1, p.InMessage, def)
		if err != nil {
			return err
		}
		c.Parent = p
		p.Children[i] = c
	}
	return nil
}

// delimKind says whether line is a boundary delimiter (1), a close
// delimiter (2) or neither (0). Trailing transport padding is allowed.
func delimKind(line, delim []byte) int {
	if !bytes.HasPrefix(line, delim) {
		return 0
	}
	rest := line[len(delim):]
	closing := bytes.HasPrefix(rest, []byte("--"))
	if closing {
		rest = rest[2:]
	}
	if len(bytes.Trim(rest, " \t\r\n")) != 0 {
		return 0
	}
	if closing {
		return 2
	}
	return 1
}

// leaves returns the leaf entities of p in document order.
func leaves(p *part) []*part {
	var out []*part
	var walk func(q *part)
	walk = func(q *part) { // depth is bounded by the scanner's MaxDepth
		if len(q.Children) == 0 {
			out = append(out, q)
			return
		}
		for _, c := range q.Children {
			walk(c)
		}
	}
	walk(p)
	return out
}

// eolOf returns the line ending used by the line starting at pos ("\r\n" or "\n").
func eolOf(raw []byte, pos int) string {
	i := bytes.IndexByte(raw[pos:], '\n')
	if i > 0 && raw[pos+i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}
