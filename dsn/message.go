package dsn

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"regexp"
	"strings"
)

// Media types that matter to bounce reading.
const (
	TypeDeliveryStatus       = "message/delivery-status"        // RFC 3464 §2
	TypeGlobalDeliveryStatus = "message/global-delivery-status" // RFC 6533 §6.2
	TypeFeedbackReport       = "message/feedback-report"        // RFC 5965 §3
	TypeRFC822               = "message/rfc822"                 // RFC 2046 §5.2.1
	TypeGlobal               = "message/global"                 // RFC 6532 §3.7
	TypeRFC822Headers        = "text/rfc822-headers"            // RFC 6522 §4
	TypeGlobalHeaders        = "message/global-headers"         // RFC 6533 §6.3
	TypeReport               = "multipart/report"               // RFC 6522 §3
	TypePlain                = "text/plain"
	TypeHTML                 = "text/html"
)

// Part is one leaf of the MIME tree, in document order.
type Part struct {
	ContentType string            // lower case media type, "text/plain" when absent
	Params      map[string]string // Content-Type parameters, names in lower case
	Header      Header            // the part's own header
	Text        string            // decoded body in UTF-8 with LF line endings; "" for non-text parts
	// (a message/rfc822 part keeps its whole raw text here when it is not
	// itself inside a returned message; its parts follow it in Parts)
	Depth    int // multipart nesting depth, 0 for a single-part message body
	Embedded int // how many message/rfc822 parts enclose this part (0 = the bounce itself)
}

// IsText reports whether the part carries human-readable text.
func (p *Part) IsText() bool {
	return strings.HasPrefix(p.ContentType, "text/")
}

// Message is the parsed view of one raw message that formats read. Build
// one with NewMessage. A Message is not safe for concurrent use.
type Message struct {
	Header Header  // decoded top-level header
	Parts  []*Part // leaf parts in document order, including the ones inside returned messages
	// Status holds the delivery-status parts (RFC 3464 message/delivery-status,
	// RFC 6533 message/global-delivery-status) wherever they are in the tree.
	Status []*Part
	// Original is the header of the returned message (from a message/rfc822,
	// message/global, text/rfc822-headers or message/global-headers part), or
	// nil when the bounce does not carry it.
	Original *Header
	// Limits are the effective limits (defaults filled in).
	Limits Limits

	parts        int    // the bounce's own parts seen, for MaxParts
	carriedParts int    // parts seen inside returned messages, for MaxParts
	body         string // BodyText, computed on first use
	bodyDone     bool
}

// ContentType returns the lower-case media type and parameters of the
// top-level header.
func (m *Message) ContentType() (string, map[string]string) {
	return contentType(m.Header)
}

// Subject returns the decoded Subject of the bounce itself.
func (m *Message) Subject() string { return m.Header.Get("Subject") }

// From returns the decoded From of the bounce itself.
func (m *Message) From() string { return m.Header.Get("From") }

// BodyText returns the bounce's own readable text: the text/plain parts that
// are not inside a returned message, joined by a blank line. When there is
// none it falls back to those parts' HTML with tags removed.
// The result is computed once and cached, so formats may call it freely.
func (m *Message) BodyText() string {
	if !m.bodyDone {
		m.body, m.bodyDone = m.bodyText(), true
	}
	return m.body
}

func (m *Message) bodyText() string {
	var plain, html []string
	for _, p := range m.Parts {
		if p.Embedded > 0 {
			continue
		}
		switch p.ContentType {
		case TypePlain:
			plain = append(plain, p.Text)
		case TypeHTML:
			html = append(html, StripHTML(p.Text))
		}
	}
	if len(plain) > 0 {
		return strings.Join(plain, "\n\n")
	}
	return strings.Join(html, "\n\n")
}

// NewMessage parses raw (any line ending) into a Message, applying opts'
// limits. It is what Parse hands to every Format.
//
// The limits guard what is read: the bounce's headers and its own parts.
// A returned message (message/rfc822, message/global, or the headers of
// one in text/rfc822-headers) is only carried: apart from the total size,
// its interior is exempt. Its header is read within MaxHeaderBytes; when
// any limit is reached inside it, the rest of it is not read, and no error
// is returned.
func NewMessage(raw []byte, opts *Options) (*Message, error) {
	var lim Limits
	if opts != nil {
		lim = opts.Limits
	}
	lim = lim.withDefaults()
	if int64(len(raw)) > lim.MaxBodyBytes {
		return nil, fmt.Errorf("message of %d bytes over %d: %w", len(raw), lim.MaxBodyBytes, ErrLimit)
	}
	b := normalizeNewlines(raw)
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // QUIRK: UTF-8 byte order mark
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("empty message: %w", ErrMalformed)
	}
	m := &Message{Limits: lim}
	h, body, err := m.readHeader(b)
	if err != nil {
		return nil, err
	}
	m.Header = h
	if err := m.walk(h, body, level{annotated: isAnnotated(h)}); err != nil {
		return nil, err
	}
	return m, nil
}

// level says where an entity sits in the MIME tree.
type level struct {
	depth     int  // multipart nesting depth
	embedded  int  // how many returned messages enclose it
	annotated bool // its message carries X-Bounce-* fields (see stripAnnotation)
}

// carried reports an entity inside a returned message.
func (l level) carried() bool { return l.embedded > 0 }

// readHeader reads the header of one of the bounce's own entities within
// MaxHeaderBytes and MaxLineLength.
func (m *Message) readHeader(b []byte) (Header, []byte, error) {
	h, body, err := parseHeader(b, m.Limits.MaxHeaderBytes)
	if err != nil {
		return h, nil, err
	}
	if err := checkLineLength(b[:len(b)-len(body)], m.Limits.MaxLineLength); err != nil {
		return h, nil, err
	}
	return h, body, nil
}

// checkLineLength enforces Limits.MaxLineLength on b (LF line endings).
func checkLineLength(b []byte, max int) error {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			i = len(b)
		}
		if i > max {
			return fmt.Errorf("line of %d bytes over %d: %w", i, max, ErrLimit)
		}
		if i == len(b) {
			break
		}
		b = b[i+1:]
	}
	return nil
}

// count enforces MaxParts and MaxDepth for one more entity at l. The parts
// of returned messages have a budget of their own, so that a long returned
// message does not use up the bounce's.
func (m *Message) count(l level) error {
	n := &m.parts
	if l.carried() {
		n = &m.carriedParts
	}
	*n++
	if *n > m.Limits.MaxParts {
		return fmt.Errorf("more than %d MIME parts: %w", m.Limits.MaxParts, ErrLimit)
	}
	if l.depth > m.Limits.MaxDepth {
		return fmt.Errorf("MIME nesting deeper than %d: %w", m.Limits.MaxDepth, ErrLimit)
	}
	return nil
}

// walk adds the entity (h, body) and everything inside it to m. Recursion
// is bounded by Limits.MaxDepth.
func (m *Message) walk(h Header, body []byte, l level) error {
	if err := m.count(l); err != nil {
		return err
	}
	ct, params := contentType(h)
	switch {
	case strings.HasPrefix(ct, "multipart/"):
		bodies := splitMultipart(body, params["boundary"])
		if bodies == nil {
			// QUIRK: missing or broken boundary; read the body as text.
			return m.addLeaf(h, TypePlain, params, body, l)
		}
		inner := l
		inner.depth++
		for _, pb := range bodies {
			ph, pbody, err := m.partHeader(pb, l)
			if err != nil {
				return err
			}
			if err := m.walk(ph, pbody, inner); err != nil {
				return err
			}
		}
		return nil
	case ct == TypeRFC822 || ct == TypeGlobal:
		return m.walkEmbedded(h, ct, params, body, l)
	}
	return m.addLeaf(h, ct, params, body, l)
}

// partHeader reads the header of a body part: within all limits in the
// bounce, within MaxHeaderBytes only in a returned message.
func (m *Message) partHeader(b []byte, l level) (Header, []byte, error) {
	if l.carried() {
		return parseHeader(b, m.Limits.MaxHeaderBytes)
	}
	return m.readHeader(b)
}

// walkEmbedded handles a returned message: it is kept as a leaf with its
// raw text, its header becomes Original, and its parts are walked too, as
// far as the limits allow (see NewMessage).
func (m *Message) walkEmbedded(h Header, ct string, params map[string]string, body []byte, l level) error {
	inner := normalizeNewlines(decodeTransfer(h, body))
	inner = bytes.TrimLeft(inner, "\n") // QUIRK: blank lines before the returned header
	p := &Part{ContentType: ct, Params: params, Header: h, Depth: l.depth, Embedded: l.embedded}
	if !l.carried() {
		p.Text = toUTF8(string(inner), "") // only the outermost copy, to bound memory
	}
	m.Parts = append(m.Parts, p)
	ih, ibody, err := parseHeader(inner, m.Limits.MaxHeaderBytes)
	if m.Original == nil && len(ih.Fields) > 0 {
		m.Original = &ih // on a limit error, the fields read within it
	}
	if err == nil {
		il := level{depth: l.depth + 1, embedded: l.embedded + 1, annotated: isAnnotated(ih)}
		err = m.walk(ih, ibody, il)
	}
	if err != nil && !l.carried() && errors.Is(err, ErrLimit) {
		return nil // a limit inside the returned message: the rest of it is carried, not read
	}
	return err
}

// addLeaf decodes one leaf part and appends it to m.Parts. The text of
// the bounce's own textual parts is held to MaxLineLength.
func (m *Message) addLeaf(h Header, ct string, params map[string]string, body []byte, l level) error {
	p := &Part{ContentType: ct, Params: params, Header: h, Depth: l.depth, Embedded: l.embedded}
	if isTextual(ct) {
		dec := normalizeNewlines(decodeTransfer(h, body))
		if !l.carried() && !isHeaders(ct) {
			if err := checkLineLength(dec, m.Limits.MaxLineLength); err != nil {
				return err
			}
		}
		p.Text = toUTF8(string(dec), params["charset"])
		if l.annotated && (ct == TypePlain || ct == TypeHTML) {
			p.Text = stripAnnotation(p.Text, ct)
		}
	}
	m.Parts = append(m.Parts, p)
	switch {
	case ct == TypeDeliveryStatus || ct == TypeGlobalDeliveryStatus:
		m.Status = append(m.Status, p)
	case isHeaders(ct):
		if m.Original == nil && !l.carried() {
			oh, _, _ := parseHeader([]byte(p.Text), m.Limits.MaxHeaderBytes) // the fields within the limit
			m.Original = &oh
		}
	}
	return nil
}

// isHeaders reports a part that carries only the returned message's
// header. RFC 6522 §4, RFC 6533 §6.3
func isHeaders(ct string) bool {
	return ct == TypeRFC822Headers || ct == TypeGlobalHeaders || ct == "message/rfc822-headers"
}

// isTextual reports whether a part of media type ct is decoded to text.
func isTextual(ct string) bool {
	if strings.HasPrefix(ct, "text/") {
		return true
	}
	switch ct {
	case TypeDeliveryStatus, TypeGlobalDeliveryStatus, TypeFeedbackReport, TypeGlobalHeaders,
		"message/rfc822-headers", "message/disposition-notification", "message/global-disposition-notification":
		return true
	}
	return false
}

var paramRe = regexp.MustCompile(`([A-Za-z0-9*_.-]+)\s*=\s*(?:"([^"]*)"?|([^;\s]+))`)

// contentType returns the lower-case media type of h (text/plain when
// absent) and its parameters. QUIRK: when the field does not parse
// strictly, the type and parameters are read leniently.
func contentType(h Header) (string, map[string]string) {
	v := DecodeHeaderValue(h.Raw("Content-Type"))
	if v == "" {
		return TypePlain, map[string]string{}
	}
	mt, params, err := mime.ParseMediaType(v)
	if err == nil {
		return mt, params
	}
	t, rest, _ := strings.Cut(v, ";")
	mt = strings.ToLower(strings.TrimSpace(t))
	if i := strings.IndexAny(mt, " \t("); i >= 0 {
		mt = mt[:i]
	}
	if !strings.Contains(mt, "/") {
		mt = TypePlain
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

// decodeTransfer undoes the Content-Transfer-Encoding of body. QUIRK:
// broken base64 or quoted-printable yields what could be decoded; an
// unknown encoding yields the body unchanged.
func decodeTransfer(h Header, body []byte) []byte {
	cte := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding")))
	switch {
	case strings.HasPrefix(cte, "base64"):
		return decodeBase64(body)
	case strings.HasPrefix(cte, "quoted-printable"):
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		if err != nil && len(out) == 0 {
			return body
		}
		return out
	}
	return body
}

// decodeBase64 decodes base64 leniently, ignoring characters outside the
// alphabet and stopping at the first undecodable quantum.
func decodeBase64(body []byte) []byte {
	clean := make([]byte, 0, len(body))
	for _, c := range body {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
			clean = append(clean, c)
		}
	}
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1] // a lone trailing sextet carries no byte
	}
	out, err := base64.RawStdEncoding.DecodeString(string(clean))
	if err != nil {
		return nil
	}
	return out
}

var tagRe = regexp.MustCompile(`(?s)<(?:script|style)[^>]*>.*?</(?:script|style)>|<br\s*/?>|</p>|</div>|</tr>|<[^>]*>`)

// StripHTML turns HTML into rough plain text: tags removed, line breaks
// kept at <br>, </p>, </div> and </tr>, common entities decoded.
func StripHTML(s string) string {
	s = tagRe.ReplaceAllStringFunc(s, func(t string) string {
		lt := strings.ToLower(t)
		if strings.HasPrefix(lt, "<br") || lt == "</p>" || lt == "</div>" || lt == "</tr>" {
			return "\n"
		}
		return ""
	})
	return htmlEntities.Replace(s)
}

var htmlEntities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`, "&#39;", "'", "&nbsp;", " ")
