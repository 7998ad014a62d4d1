// Package entity reads a message once into a tree of MIME entities
// (RFC 5322 header fields, RFC 2045 entities, RFC 2046 multiparts and
// encapsulated messages) that keeps every entity's byte offsets, so that
// readers can decode any part and editors can splice one and keep every
// other byte.
package entity

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// ErrLimit is wrapped by every error about a limit.
var ErrLimit = errors.New("dsn: limit exceeded")

// Limits bound what Parse reads. Zero fields are not allowed: callers fill
// in their defaults.
type Limits struct {
	MaxHeaderBytes int // bytes in one header block
	MaxParts       int // entities of the message (and, apart, of returned messages)
	MaxDepth       int // multipart nesting depth
	MaxLineLength  int // bytes in one header line of the message's own entities
}

// Kind says how an entity's body is read.
type Kind int

const (
	Leaf      Kind = iota // a body that is not a container
	Multipart             // a multipart with at least one body part (Children)
	Message               // message/rfc822 or message/global (Children holds the message, when read)
	// PseudoText is a multipart in which no delimiter line was found.
	// QUIRK: missing or broken boundary; readers show such a body as text
	// (sample lhost-amazonses-14, TestQuirkPseudoText).
	PseudoText
)

// Span is a range of bytes in an entity's source.
type Span struct{ Start, End int }

// Entity is one MIME entity. Offsets index Src.
type Entity struct {
	Src       []byte // the buffer the offsets index: the message, or a decoded encapsulated message
	Start     int    // first byte of the header
	HeaderEnd int    // just past the header's last line: the blank line that ends it, when there is one, is HeaderEnd..BodyStart
	BodyStart int    // first byte of the body (after the blank line)
	End       int    // just past the body; the line ending before a delimiter is not included
	Header    Header
	MediaType string            // lower case, "text/plain" when absent
	Params    map[string]string // Content-Type parameters, names in lower case
	Kind      Kind
	Delims    []Span // delimiter lines of a multipart (with their line endings), the close delimiter last when there is one
	Children  []*Entity
	Parent    *Entity
	Depth     int // multipart nesting depth, 0 for the message itself
	Embedded  int // how many encapsulated messages enclose this entity
	// Decoded is set on an encapsulated message whose transfer encoding
	// had to be undone: its Src is a decoded copy, not the message.
	Decoded bool
	// HeaderErr is the limit error met while reading the header of an
	// encapsulated message; Header holds the fields read within the limit
	// and the body was not read.
	HeaderErr error
	// Cut is set on an entity over MaxParts or MaxDepth: it was not read,
	// and neither is anything after it in its encapsulated message.
	Cut bool
}

// Body returns the entity's body, a sub-slice of Src.
func (e *Entity) Body() []byte { return e.Src[e.BodyStart:e.End] }

// Bytes returns the whole entity, a sub-slice of Src.
func (e *Entity) Bytes() []byte { return e.Src[e.Start:e.End] }

// HeaderEnded reports a header ended by a blank line (RFC 5322 §2.1),
// false when it runs into the body (see readHeader) or to the end.
func (e *Entity) HeaderEnded() bool { return e.BodyStart > e.HeaderEnd }

// Carried reports an entity inside an encapsulated message.
func (e *Entity) Carried() bool { return e.Embedded > 0 }

// Tree is a message read into entities.
type Tree struct {
	Root   *Entity
	Limits Limits

	parts, carried int
}

// Parse reads src (LF or CRLF line endings; see NormalizeNewlines for
// bare CR) into a tree. The limits guard the message's own entities: going
// over one there is an error wrapping ErrLimit. Inside an encapsulated
// message, going over a limit ends the reading of that message (the
// entities read so far stay in the tree) and is not an error. src is not
// copied: the tree holds sub-slices of it.
func Parse(src []byte, lim Limits) (*Tree, error) {
	t := &Tree{Limits: lim}
	root := &Entity{Src: src, Start: 0, End: len(src)}
	h, he, bs, err := readHeader(src, 0, len(src), lim.MaxHeaderBytes)
	if err != nil {
		return nil, err
	}
	if err := checkLineLength(src[:bs], lim.MaxLineLength); err != nil {
		return nil, err
	}
	root.Header, root.HeaderEnd, root.BodyStart = h, he, bs
	t.Root = root
	if err := t.walk(root); err != nil {
		return t, err
	}
	return t, nil
}

// checkLineLength enforces MaxLineLength on b, line endings not counted.
func checkLineLength(b []byte, max int) error {
	for pos := 0; pos < len(b); {
		line, next := LineAt(b, pos, len(b))
		if len(line) > max {
			return fmt.Errorf("line of %d bytes over %d: %w", len(line), max, ErrLimit)
		}
		pos = next
	}
	return nil
}

// count enforces MaxParts and MaxDepth for one more entity e. The
// entities of encapsulated messages have a budget of their own.
func (t *Tree) count(e *Entity) error {
	n := &t.parts
	if e.Carried() {
		n = &t.carried
	}
	*n++
	if *n > t.Limits.MaxParts {
		return fmt.Errorf("more than %d MIME parts: %w", t.Limits.MaxParts, ErrLimit)
	}
	if e.Depth > t.Limits.MaxDepth {
		return fmt.Errorf("MIME nesting deeper than %d: %w", t.Limits.MaxDepth, ErrLimit)
	}
	return nil
}

// walk reads what is inside e, whose header is read. Recursion is bounded
// by MaxDepth.
func (t *Tree) walk(e *Entity) error {
	if err := t.count(e); err != nil {
		e.Cut = true
		return err
	}
	e.MediaType, e.Params = ContentType(e.Header)
	if e.Parent != nil && e.Parent.MediaType == "multipart/digest" && !e.Header.Has("Content-Type") {
		e.MediaType = "message/rfc822" // RFC 2046 §5.1.5
	}
	switch {
	case strings.HasPrefix(e.MediaType, "multipart/"):
		return t.multipart(e)
	case e.MediaType == "message/rfc822" || e.MediaType == "message/global":
		return t.encapsulated(e)
	}
	return nil
}

// multipart splits e's body at its delimiter lines and reads each part.
func (t *Tree) multipart(e *Entity) error {
	// The parts past MaxParts are not split off: the limit is met while reading.
	spans, delims := splitMultipart(e.Src, e.BodyStart, e.End, e.Params["boundary"], t.Limits.MaxParts+1)
	if spans == nil {
		e.Kind = PseudoText
		return nil
	}
	e.Kind, e.Delims = Multipart, delims
	e.Children = make([]*Entity, 0, len(spans))
	for _, s := range spans {
		c := &Entity{Src: e.Src, Start: s.Start, End: s.End, Parent: e, Depth: e.Depth + 1, Embedded: e.Embedded}
		h, he, bs, err := readHeader(e.Src, s.Start, s.End, t.Limits.MaxHeaderBytes)
		if err == nil && !c.Carried() {
			err = checkLineLength(e.Src[s.Start:bs], t.Limits.MaxLineLength)
		}
		if err != nil {
			return err
		}
		c.Header, c.HeaderEnd, c.BodyStart = h, he, bs
		e.Children = append(e.Children, c)
		if err := t.walk(c); err != nil {
			return err
		}
	}
	return nil
}

// encapsulated reads the message inside e (message/rfc822 or
// message/global), as far as the limits allow.
func (t *Tree) encapsulated(e *Entity) error {
	e.Kind = Message
	src, start, end := e.Src, e.BodyStart, e.End
	decoded := false
	if enc := TransferEncoding(e.Header); enc == "base64" || enc == "quoted-printable" {
		// QUIRK: an encoded returned message (RFC 2046 §5.2.1 forbids it;
		// some MTAs send it): it is decoded into a buffer of its own.
		src = NormalizeNewlines(DecodeTransfer(e.Header, e.Body()))
		start, end, decoded = 0, len(src), true
	}
	// QUIRK: blank lines before the returned header (sample lhost-x3-01,
	// TestQuirkBlankLinesBeforeReturnedHeader).
	for start < end && (src[start] == '\n' || src[start] == '\r') {
		start++
	}
	c := &Entity{Src: src, Start: start, End: end, Parent: e, Depth: e.Depth + 1, Embedded: e.Embedded + 1, Decoded: decoded}
	h, he, bs, err := readHeader(src, start, end, t.Limits.MaxHeaderBytes)
	c.Header, c.HeaderEnd, c.BodyStart = h, he, bs
	e.Children = []*Entity{c}
	if err != nil {
		c.HeaderErr = err
		c.BodyStart = c.End
	} else {
		err = t.walk(c)
	}
	if err != nil && !e.Carried() && errors.Is(err, ErrLimit) {
		return nil // a limit inside the returned message: the rest of it is carried, not read
	}
	return err
}

var paramRe = lazyre.New(`([A-Za-z0-9*_.-]+)\s*=\s*(?:"([^"]*)"?|([^;\s]+))`)

// ContentType returns the lower-case media type of h (text/plain when
// absent) and its parameters. QUIRK: when the field does not parse
// strictly (unquoted specials, duplicate parameters; sample lhost-x1-02,
// TestQuirkLenientContentType), the type and parameters are read leniently.
func ContentType(h Header) (string, map[string]string) {
	v := DecodeValue(h.Raw("Content-Type"))
	if v == "" {
		return "text/plain", map[string]string{}
	}
	mt, params, err := parseMediaType(v)
	if err == nil {
		return mt, params
	}
	ty, rest, _ := strings.Cut(v, ";")
	mt = strings.ToLower(strings.TrimSpace(ty))
	if i := strings.IndexAny(mt, " \t("); i >= 0 {
		mt = mt[:i]
	}
	if !strings.Contains(mt, "/") {
		mt = "text/plain"
	}
	params = map[string]string{}
	for _, sm := range paramRe.FindAllStringSubmatch(rest, 20) {
		k := strings.ToLower(sm[1])
		if _, dup := params[k]; !dup {
			params[k] = sm[2] + sm[3]
		}
	}
	return mt, params
}
