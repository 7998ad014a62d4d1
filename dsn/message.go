package dsn

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/bouncenote/bouncenote/entity"
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
	// Text is the decoded body in UTF-8 with LF line endings; "" for
	// non-text parts, for message/rfc822 parts (their parts follow them
	// in Parts) and for the parts of a returned message other than
	// delivery-status ones: a returned message is carried, not read, so
	// it is not copied.
	Text     string
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

	body     string // BodyText, computed on first use
	bodyDone bool
	ct       string            // ContentType, computed on first use
	ctParams map[string]string // (read only: shared by every caller)
	ctDone   bool
	from     string // LowerFrom, computed on first use
	fromDone bool
	flags    [maxFlags]uint8 // Flag: 0 not yet known, 1 false, 2 true
	edit     *TreeEdit       // see NewMessageTree
}

// A MessageFlag names a yes-or-no property of a message (is it from a
// mail system? does its subject say it bounced?) that several formats ask
// about: Message.Flag computes it once per message.
type MessageFlag int

// maxFlags bounds the MessageFlags a program makes.
const maxFlags = 8

var (
	flagMu    sync.Mutex
	flagCount int
)

// NewMessageFlag returns a new MessageFlag. Like lazyre.New it is meant
// for package-level variables; more than maxFlags of them panic.
func NewMessageFlag() MessageFlag {
	flagMu.Lock()
	defer flagMu.Unlock()
	if flagCount == maxFlags {
		panic("dsn: more than maxFlags message flags")
	}
	flagCount++
	return MessageFlag(flagCount - 1)
}

// Flag returns the property f of m, calling compute the first time only.
func (m *Message) Flag(f MessageFlag, compute func(*Message) bool) bool {
	if m.flags[f] == 0 {
		m.flags[f] = 1
		if compute(m) {
			m.flags[f] = 2
		}
	}
	return m.flags[f] == 2
}

var daemonFlag = NewMessageFlag()

// DaemonSender is IsDaemonSender(m.Header), computed once.
func (m *Message) DaemonSender() bool {
	return m.Flag(daemonFlag, func(m *Message) bool { return IsDaemonSender(m.Header) })
}

// ContentType returns the lower-case media type and parameters of the
// top-level header. It is read once; the map is shared by every caller and
// must not be changed.
func (m *Message) ContentType() (string, map[string]string) {
	if !m.ctDone {
		m.ct, m.ctParams = entity.ContentType(m.Header)
		m.ctDone = true
	}
	return m.ct, m.ctParams
}

// Subject returns the decoded Subject of the bounce itself.
func (m *Message) Subject() string { return m.Header.Get("Subject") }

// From returns the decoded From of the bounce itself.
func (m *Message) From() string { return m.Header.Get("From") }

// LowerFrom returns From in lower case (strings.ToLower), computed once:
// many formats look for their sender's name in it.
func (m *Message) LowerFrom() string {
	if !m.fromDone {
		m.from, m.fromDone = strings.ToLower(m.From()), true
	}
	return m.from
}

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
// limits. It is what Parse hands to every Format. The MIME structure is
// read once, by package entity; NewMessage decodes the parts of that tree.
//
// The limits guard what is read: the bounce's headers and its own parts.
// A returned message (message/rfc822, message/global, or the headers of
// one in text/rfc822-headers) is only carried: apart from the total size,
// its interior is exempt. Its header is read within MaxHeaderBytes; when
// any limit is reached inside it, the rest of it is not read, and no error
// is returned.
func NewMessage(raw []byte, opts *Options) (*Message, error) {
	b := raw
	if !Direct(raw) {
		// QUIRK: bare-CR line endings (old Mac mailers; sample in
		// annotate/lineend_test.go) are read as LF, in a copy; a UTF-8
		// byte order mark is skipped.
		b = bytes.TrimPrefix(entity.NormalizeNewlines(b), bom)
	}
	t, err := ReadTree(b, opts)
	if t == nil {
		return nil, err
	}
	return NewMessageTree(t, err, opts, nil)
}

var bom = []byte("\xef\xbb\xbf")

// Direct reports a message that NewMessage reads as it is: without bare
// CR line endings or a byte order mark, which it removes in a copy. The
// tree ReadTree reads from such a message is the one NewMessage reads.
func Direct(raw []byte) bool {
	return !entity.HasBareCR(raw) && !bytes.HasPrefix(raw, bom)
}

// ReadTree reads raw into its MIME tree within opts' limits (see
// NewMessage). On a limit error the tree holds what was read, or is nil
// when not even the top-level header was.
func ReadTree(raw []byte, opts *Options) (*entity.Tree, error) {
	lim := opts.limits()
	if int64(len(raw)) > lim.MaxBodyBytes {
		return nil, fmt.Errorf("message of %d bytes over %d: %w", len(raw), lim.MaxBodyBytes, ErrLimit)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, fmt.Errorf("empty message: %w", ErrMalformed)
	}
	return entity.Parse(raw, lim.entity())
}

// NewMessageTree is NewMessage for the tree ReadTree returned (with its
// error) for a Direct message, so that a caller that needs the tree too
// reads the message once. edit, when not nil, changes what is read.
func NewMessageTree(t *entity.Tree, treeErr error, opts *Options, edit *TreeEdit) (*Message, error) {
	m := &Message{Limits: opts.limits(), Header: t.Root.Header, edit: edit}
	if edit != nil && edit.Without != nil {
		m.Header = entity.Header{Fields: slices.DeleteFunc(slices.Clone(m.Header.Fields), edit.Without)}
	}
	if err := m.walk(t.Root, isAnnotated(m.Header)); err != nil {
		return nil, err
	}
	if treeErr != nil {
		return nil, treeErr
	}
	return m, nil
}

// A TreeEdit changes what NewMessageTree reads of a tree without copying
// the message: annotate reads a message it wrote into as it was before.
// The zero value changes nothing.
type TreeEdit struct {
	// Without reports the top-level header fields to leave out.
	Without func(f Field) bool
	// Body returns the transfer-decoded body of one of the bounce's own
	// leaves (not of a returned message) as it is to be read; it may
	// return decoded itself.
	Body func(e *entity.Entity, decoded []byte) []byte
}

// walk adds the entity e and everything read inside it to m. annotated
// says that e's message carries X-Bounce-* fields (see stripAnnotation).
// Recursion is bounded by the tree's depth limit.
func (m *Message) walk(e *entity.Entity, annotated bool) error {
	if e.Cut {
		return nil
	}
	switch e.Kind {
	case entity.Multipart:
		for _, c := range e.Children {
			if err := m.walk(c, annotated); err != nil {
				return err
			}
		}
		return nil
	case entity.PseudoText:
		return m.addLeaf(e, TypePlain, annotated)
	case entity.Message:
		return m.walkEmbedded(e)
	}
	return m.addLeaf(e, e.MediaType, annotated)
}

// walkEmbedded handles a returned message: it is kept as a leaf without
// text, its header becomes Original, and its parts are walked too, as far
// as the limits allowed the tree to read them (see NewMessage).
func (m *Message) walkEmbedded(e *entity.Entity) error {
	p := &Part{ContentType: e.MediaType, Params: e.Params, Header: e.Header, Depth: e.Depth, Embedded: e.Embedded}
	m.Parts = append(m.Parts, p)
	if len(e.Children) == 0 {
		return nil
	}
	in := e.Children[0]
	if m.Original == nil && len(in.Header.Fields) > 0 {
		h := in.Header
		m.Original = &h // on a limit error, the fields read within it
	}
	if in.HeaderErr != nil {
		return nil
	}
	err := m.walk(in, isAnnotated(in.Header))
	if err != nil && !e.Carried() && errors.Is(err, ErrLimit) {
		return nil // a limit inside the returned message: the rest of it is carried, not read
	}
	return err
}

// addLeaf decodes one leaf part and appends it to m.Parts. The text of
// the bounce's own textual parts is held to MaxLineLength.
func (m *Message) addLeaf(e *entity.Entity, ct string, annotated bool) error {
	p := &Part{ContentType: ct, Params: e.Params, Header: e.Header, Depth: e.Depth, Embedded: e.Embedded}
	if isTextual(ct) && (!e.Carried() || isStatus(ct)) {
		dec := entity.DecodeTransfer(e.Header, e.Body())
		if m.edit != nil && m.edit.Body != nil && !e.Carried() {
			dec = m.edit.Body(e, dec)
		}
		if !e.Carried() && !isHeaders(ct) {
			if err := checkLineLength(dec, m.Limits.MaxLineLength); err != nil {
				return err
			}
		}
		p.Text = entity.ToUTF8(entity.LFString(dec), e.Params["charset"])
		if annotated && (ct == TypePlain || ct == TypeHTML) {
			p.Text = stripAnnotation(p.Text, ct)
		}
	}
	m.Parts = append(m.Parts, p)
	switch {
	case isStatus(ct):
		m.Status = append(m.Status, p)
	case isHeaders(ct):
		if m.Original == nil && !e.Carried() {
			oh := entity.ParseHeaderWithin([]byte(p.Text), m.Limits.MaxHeaderBytes) // the fields within the limit
			m.Original = &oh
		}
	}
	return nil
}

// checkLineLength enforces Limits.MaxLineLength on b (any line ending).
func checkLineLength(b []byte, max int) error {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			i = len(b)
		}
		for line := b[:i]; ; { // a bare CR ends a line too
			j := bytes.IndexByte(line, '\r')
			if j < 0 {
				j = len(line)
			}
			if j > max {
				return fmt.Errorf("line of %d bytes over %d: %w", j, max, ErrLimit)
			}
			if j == len(line) {
				break
			}
			line = line[j+1:]
		}
		if i == len(b) {
			break
		}
		b = b[i+1:]
	}
	return nil
}

// isStatus reports a delivery-status part. RFC 3464 §2, RFC 6533 §6.2
func isStatus(ct string) bool {
	return ct == TypeDeliveryStatus || ct == TypeGlobalDeliveryStatus
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

// StripHTML turns HTML into rough plain text: tags removed, line breaks
// kept at <br>, </p>, </div> and </tr>, common entities decoded.
func StripHTML(s string) string {
	return htmlEntities.Replace(stripTags(s))
}

// stripTags removes what
//
//	(?s)<(?:script|style)[^>]*>.*?</(?:script|style)>|<br\s*/?>|</p>|</div>|</tr>|<[^>]*>
//
// matches, in one pass (scan_test.go compares the two): a script or style
// element whole, every other tag up to its first ">". A tag whose lower
// case starts with "<br" or is "</p>", "</div>" or "</tr>" leaves a line
// break. (Every alternative but the first ends at the first ">", so which
// of them matched does not matter.)
func stripTags(s string) string {
	i := strings.IndexByte(s, '<')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0 // s[last:i] is text to keep
	for i >= 0 {
		end := elementEnd(s, i)
		if end < 0 {
			gt := strings.IndexByte(s[i+1:], '>')
			if gt < 0 {
				break // no tag ends after i, nor after any later "<"
			}
			end = i + 1 + gt + 1
		}
		b.WriteString(s[last:i])
		if breaksLine(s[i:end]) {
			b.WriteByte('\n')
		}
		last = end
		next := strings.IndexByte(s[end:], '<')
		if next < 0 {
			break
		}
		i = end + next
	}
	b.WriteString(s[last:])
	return b.String()
}

// elementEnd returns the end of `<(?:script|style)[^>]*>.*?</(?:script|style)>`
// at i (case-sensitive), or -1.
func elementEnd(s string, i int) int {
	rest := s[i+1:]
	if !strings.HasPrefix(rest, "script") && !strings.HasPrefix(rest, "style") {
		return -1
	}
	gt := strings.IndexByte(rest, '>')
	if gt < 0 {
		return -1
	}
	for j := i + 1 + gt + 1; ; {
		k := strings.Index(s[j:], "</s")
		if k < 0 {
			return -1
		}
		j += k
		for _, closing := range []string{"</script>", "</style>"} {
			if strings.HasPrefix(s[j:], closing) {
				return j + len(closing)
			}
		}
		j++
	}
}

// breaksLine reports a tag that StripHTML turns into a line break: its
// lower case starts with "<br" or is "</p>", "</div>" or "</tr>". (No
// non-ASCII rune lower-cases to these ASCII letters.)
func breaksLine(tag string) bool {
	if len(tag) >= 3 && tag[0] == '<' && tag[1]|0x20 == 'b' && tag[2]|0x20 == 'r' {
		return true
	}
	return strings.EqualFold(tag, "</p>") || strings.EqualFold(tag, "</div>") || strings.EqualFold(tag, "</tr>")
}

var htmlEntities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`, "&#39;", "'", "&nbsp;", " ")
