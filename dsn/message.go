package dsn

import (
	"bytes"
	"encoding/base64"
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

	parts    int    // parts seen, for MaxParts
	body     string // BodyText, computed on first use
	bodyDone bool
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
	if err := checkLineLength(b, lim.MaxLineLength); err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("empty message: %w", ErrMalformed)
	}
	m := &Message{Limits: lim}
	h, body, err := parseHeader(b, lim.MaxHeaderBytes)
	if err != nil {
		return nil, err
	}
	m.Header = h
	if err := m.walk(h, body, 0, 0); err != nil {
		return nil, err
	}
	return m, nil
}

// checkLineLength enforces Limits.MaxLineLength.
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

// walk adds the entity (h, body) and everything inside it to m. Recursion
// is bounded by Limits.MaxDepth.
func (m *Message) walk(h Header, body []byte, depth, embedded int) error {
	m.parts++
	if m.parts > m.Limits.MaxParts {
		return fmt.Errorf("more than %d MIME parts: %w", m.Limits.MaxParts, ErrLimit)
	}
	if depth > m.Limits.MaxDepth {
		return fmt.Errorf("MIME nesting deeper than %d: %w", m.Limits.MaxDepth, ErrLimit)
	}
	ct, params := contentType(h)
	switch {
	case strings.HasPrefix(ct, "multipart/"):
		bodies := splitMultipart(body, params["boundary"])
		if bodies == nil {
			// QUIRK: missing or broken boundary; read the body as text.
			return m.addLeaf(h, TypePlain, params, body, depth, embedded)
		}
		for _, pb := range bodies {
			ph, pbody, err := parseHeader(pb, m.Limits.MaxHeaderBytes)
			if err != nil {
				return err
			}
			if err := m.walk(ph, pbody, depth+1, embedded); err != nil {
				return err
			}
		}
		return nil
	case ct == TypeRFC822 || ct == TypeGlobal:
		return m.walkEmbedded(h, ct, params, body, depth, embedded)
	}
	return m.addLeaf(h, ct, params, body, depth, embedded)
}

// walkEmbedded handles a returned message: it is kept as a leaf with its
// raw text, its header becomes Original, and its parts are walked too.
func (m *Message) walkEmbedded(h Header, ct string, params map[string]string, body []byte, depth, embedded int) error {
	inner := normalizeNewlines(decodeTransfer(h, body))
	inner = bytes.TrimLeft(inner, "\n") // QUIRK: blank lines before the returned header
	p := &Part{ContentType: ct, Params: params, Header: h, Depth: depth, Embedded: embedded}
	if embedded == 0 {
		p.Text = toUTF8(string(inner), "") // only the outermost copy, to bound memory
	}
	m.Parts = append(m.Parts, p)
	ih, ibody, err := parseHeader(inner, m.Limits.MaxHeaderBytes)
	if err != nil {
		return err
	}
	if m.Original == nil && len(ih.Fields) > 0 {
		m.Original = &ih
	}
	return m.walk(ih, ibody, depth+1, embedded+1)
}

// addLeaf decodes one leaf part and appends it to m.Parts.
func (m *Message) addLeaf(h Header, ct string, params map[string]string, body []byte, depth, embedded int) error {
	p := &Part{ContentType: ct, Params: params, Header: h, Depth: depth, Embedded: embedded}
	if isTextual(ct) {
		dec := normalizeNewlines(decodeTransfer(h, body))
		p.Text = toUTF8(string(dec), params["charset"])
		if ct == TypePlain || ct == TypeHTML {
			p.Text = stripAnnotation(p.Text, ct)
		}
	}
	m.Parts = append(m.Parts, p)
	switch ct {
	case TypeDeliveryStatus, TypeGlobalDeliveryStatus:
		m.Status = append(m.Status, p)
	case TypeRFC822Headers, TypeGlobalHeaders, "message/rfc822-headers":
		if m.Original == nil && embedded == 0 {
			oh := ParseHeaderText(p.Text)
			m.Original = &oh
		}
	}
	return nil
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
