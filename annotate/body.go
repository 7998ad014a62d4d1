package annotate

import (
	"bytes"
	"mime"
	"sort"
	"strings"

	"github.com/bouncenote/bouncenote/entity"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// edit is the change to one text part: its new body, or, for a part
// whose body keeps its bytes (7bit, 8bit, binary), the block inserted in
// place of skip bytes at offset at of the body.
type edit struct {
	body   []byte // new body bytes; nil: ins at at
	recode bool   // re-encoded as UTF-8 quoted-printable: Content-Type and CTE change

	at, skip int    // where ins goes in the body, and the bytes it replaces there
	ins      string // the block
}

// splice replaces raw[start:end] with b, or with s when b is nil.
type splice struct {
	start, end int
	b          []byte
	s          string
}

// len is the length of what the splice writes.
func (sp splice) len() int { return len(sp.b) + len(sp.s) }

// findTargets returns the first human-readable part; when it sits in a
// multipart/alternative, the first text/plain and first text/html of that
// alternative. Parts of encapsulated messages and attachments never count.
func findTargets(root *entity.Entity) []*entity.Entity {
	first := firstReadable(leaves(root), "")
	if first == nil {
		return nil
	}
	for a := first.Parent; a != nil; a = a.Parent {
		if a.MediaType == "multipart/alternative" {
			var out []*entity.Entity
			ls := leaves(a)
			for _, mt := range []string{"text/plain", "text/html"} {
				if p := firstReadable(ls, mt); p != nil {
					out = append(out, p)
				}
			}
			sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
			return out
		}
	}
	return []*entity.Entity{first}
}

// firstReadable returns the first text/plain or text/html leaf (or the first
// of type mt when given) that is not an attachment nor inside a returned message.
func firstReadable(ls []*entity.Entity, mt string) *entity.Entity {
	for _, p := range ls {
		if p.Carried() || isAttachment(p) || !isText(p) {
			continue
		}
		if mt == "" || textType(p) == mt {
			return p
		}
	}
	if mt != "" {
		return nil
	}
	// QUIRK: some bounces attach their only text (a "deliveryproblems.txt").
	for _, p := range ls {
		if !p.Carried() && isText(p) {
			return p
		}
	}
	return nil
}

// annotateBody puts the block into each target part and fills res.Body and
// res.SetHeaders, removing the part's block in drop (annotate's own, see
// ownBlocks) first. blk nil only removes. dec holds parts already decoded
// (nil: none).
func annotateBody(raw []byte, root *entity.Entity, blk *block, drop map[*entity.Entity]string, dec decodedParts, res *Result) {
	targets := findTargets(root)
	if len(targets) == 0 {
		res.BodyNote = "no human-readable part"
		return
	}
	var sp []splice
	for _, p := range targets {
		e, ok := editPart(raw, p, blk, drop[p], dec)
		if !ok {
			continue
		}
		res.BodyParts++
		if p == root {
			if e.recode {
				res.SetHeaders = rootSetHeaders(root, entity.LineEnding(raw, root.Start))
			}
			if e.body != nil {
				res.Body = e.body
				return
			}
			res.bodySplices = append(sp, e.splice(p))
			return
		}
		eol := entity.LineEnding(raw, p.Start)
		if e.recode {
			sp = append(sp, splice{start: p.Start, end: p.BodyStart, b: partHeader(raw, p)})
		} else if !p.HeaderEnded() {
			sp = append(sp, splice{start: p.BodyStart, end: p.BodyStart, s: eol}) // end the header
		}
		sp = append(sp, e.splice(p))
		if p.End < len(raw) && raw[p.End] != '\r' && raw[p.End] != '\n' {
			// QUIRK: an empty part ("--b\n--b"): the next delimiter needs
			// a line ending of its own before it.
			sp = append(sp, splice{start: p.End, end: p.End, s: eol})
		}
	}
	if len(sp) == 0 {
		if res.BodyNote == "" {
			res.BodyNote = "text part cannot be decoded"
		}
		return
	}
	res.bodySplices = sp // applyEdits writes the body straight into the output
}

// decodedParts holds the parts of one message whose transfer encoding
// Annotate undid (entity.Decode), so that each is decoded once: to look
// for a block of annotate's own, then to insert the new one. The bytes are
// never changed in place.
type decodedParts map[*entity.Entity]decodedPart

type decodedPart struct {
	b   []byte
	err error
}

// decode returns entity.Decode of p's body, from d when it holds it, else
// decoded and kept there (when d is not nil).
func (d decodedParts) decode(p *entity.Entity) ([]byte, error) {
	if r, ok := d[p]; ok {
		return r.b, r.err
	}
	b, err := entity.Decode(p.Header, p.Body())
	if d != nil {
		d[p] = decodedPart{b, err}
	}
	return b, err
}

// splice is the edit of part p as a splice of the message.
func (e edit) splice(p *entity.Entity) splice {
	if e.body != nil {
		return splice{start: p.BodyStart, end: p.End, b: e.body}
	}
	return splice{start: p.BodyStart + e.at, end: p.BodyStart + e.at + e.skip, s: e.ins}
}

// writeSpliced writes raw[from:] with the splices sp applied to out.
func writeSpliced(out *bytes.Buffer, raw []byte, from int, sp []splice) {
	pos := from
	for _, s := range sp {
		out.Write(raw[pos:s.start])
		if s.b != nil {
			out.Write(s.b)
		} else {
			out.WriteString(s.s)
		}
		pos = s.end
	}
	out.Write(raw[pos:])
}

// utf8CT is p's Content-Type with charset=utf-8, other parameters kept.
func utf8CT(p *entity.Entity) string {
	params := map[string]string{}
	for k, v := range p.Params {
		params[k] = v
	}
	params["charset"] = "utf-8"
	if v := mime.FormatMediaType(p.MediaType, params); v != "" {
		return v
	}
	return p.MediaType + "; charset=utf-8"
}

// rootSetHeaders are the top-level fields to set when a single-part
// message is re-encoded. RFC 2045 §4
func rootSetHeaders(root *entity.Entity, eol string) []Field {
	fs := []Field{
		{Name: "Content-Type", Value: fold("Content-Type", utf8CT(root), eol)},
		{Name: "Content-Transfer-Encoding", Value: entity.CTEQuotedPrintable},
	}
	if root.Header.Get("MIME-Version") == "" {
		fs = append(fs, Field{Name: "MIME-Version", Value: "1.0"})
	}
	return fs
}

// partHeader rewrites a nested part's header for UTF-8 quoted-printable,
// changing only Content-Type and Content-Transfer-Encoding.
func partHeader(raw []byte, p *entity.Entity) []byte {
	eol := entity.LineEnding(raw, p.Start)
	ct := "Content-Type: " + fold("Content-Type", utf8CT(p), eol) + eol
	cte := "Content-Transfer-Encoding: " + entity.CTEQuotedPrintable + eol
	var b bytes.Buffer
	prev := p.Start
	for _, f := range p.Header.Fields {
		b.Write(raw[prev:f.Start])
		prev = f.End
		switch {
		case strings.EqualFold(f.Name, "Content-Type") && ct != "":
			b.WriteString(ct)
			ct = ""
		case strings.EqualFold(f.Name, "Content-Transfer-Encoding") && cte != "":
			b.WriteString(cte)
			cte = ""
		default:
			b.Write(raw[f.Start:f.End])
		}
	}
	b.Write(raw[prev:p.HeaderEnd])
	b.WriteString(ct + cte)
	if !p.HeaderEnded() {
		b.WriteString(eol)
	}
	b.Write(raw[p.HeaderEnd:p.BodyStart])
	return b.Bytes()
}

// editPart renders the part's new body, without drop if the part's text
// starts with it there. ok is false when the part is left alone (cannot be
// decoded, or nothing to change).
func editPart(raw []byte, p *entity.Entity, blk *block, drop string, decoded decodedParts) (edit, bool) {
	body := p.Body()
	isHTML := textType(p) == "text/html"
	cte, cs := cteOf(p), charsetOf(p)
	msgEOL := entity.LineEnding(raw, p.Start)
	if len(body) > 0 {
		msgEOL = entity.LineEnding(raw, p.BodyStart)
	}
	rendered := map[string]string{} // by line ending
	render := func(eol string) string {
		if blk == nil {
			return ""
		}
		if r, ok := rendered[eol]; ok {
			return r
		}
		r := blk.render(isHTML, eol)
		rendered[eol] = r
		return r
	}
	insASCII := entity.IsASCII(render(msgEOL))
	utf8cs := cs == "utf-8" || cs == "utf8"
	switch cte {
	case entity.CTE7bit, entity.CTE8bit, entity.CTEBinary:
		if (utf8cs && (cte != entity.CTE7bit || insASCII)) || (asciiCompatible(cs) && insASCII) {
			ins := render(msgEOL)
			at, skip, ok := insertAt(body, ins, drop, isHTML)
			return edit{at: at, skip: skip, ins: ins}, ok
		}
	case entity.CTEQuotedPrintable:
		if utf8cs || (asciiCompatible(cs) && insASCII) {
			dec, err := decoded.decode(p)
			if err != nil {
				return edit{}, false
			}
			nb, ok := encodeQPInserted(dec, render(textEOL(dec, msgEOL)), drop, isHTML, msgEOL)
			return edit{body: nb}, ok
		}
	case entity.CTEBase64:
		if utf8cs || (asciiCompatible(cs) && insASCII) {
			dec, err := decoded.decode(p)
			if err != nil {
				return edit{}, false
			}
			nb, ok := insertBlock(dec, render(textEOL(dec, msgEOL)), drop, isHTML)
			return edit{body: encodeBase64(nb, msgEOL)}, ok
		}
	}
	if p.Kind == entity.PseudoText || badType(p) {
		// Its Content-Type cannot say utf-8 without changing what the
		// part is to readers that do not take it for text/plain.
		return edit{}, false
	}
	return recode(p, cs, render, msgEOL, drop, isHTML, decoded)
}

// recode decodes the part to UTF-8 text, inserts the block and encodes the
// result as quoted-printable. RFC 2045 §6.7
func recode(p *entity.Entity, cs string, render func(string) string, eol, drop string, isHTML bool, decoded decodedParts) (edit, bool) {
	dec, err := decoded.decode(p)
	if err != nil {
		return edit{}, false
	}
	s, err := entity.DecodeCharset(string(dec), cs)
	if err != nil {
		return edit{}, false
	}
	txt := []byte(s)
	if isHTML {
		txt = metaUTF8(txt)
	}
	nb, ok := insertBlock(txt, render(textEOL(txt, eol)), drop, isHTML)
	if !ok {
		return edit{}, false
	}
	return edit{body: encodeQP(nb, eol), recode: true}, true
}

// reMetaCharset finds the charset of an HTML <meta charset> or
// <meta http-equiv="Content-Type" content="...; charset=X">.
var reMetaCharset = lazyre.New(`(?i)(<meta\b[^>]*?\bcharset\s*=\s*["']?)([a-z0-9_.:-]+)`)

// metaUTF8 makes the <meta> charset declarations before the block's place
// say utf-8, since the part now is.
// QUIRK: some mail clients follow <meta> over the MIME charset.
func metaUTF8(text []byte) []byte {
	at := htmlInsertAt(text)
	head := reMetaCharset.Regexp().ReplaceAll(text[:at], []byte("${1}utf-8"))
	if bytes.Equal(head, text[:at]) {
		return text
	}
	return append(head, text[at:]...)
}

// textEOL returns the line ending used in text, def when it has none.
func textEOL(text []byte, def string) string {
	i := bytes.IndexByte(text, '\n')
	switch {
	case i < 0:
		return def
	case i > 0 && text[i-1] == '\r':
		return "\r\n"
	}
	return "\n"
}

// insertBlock puts ins at the insertion point of text, in place of drop
// when the text there starts with it. ok is false when nothing changed.
func insertBlock(text []byte, ins, drop string, isHTML bool) ([]byte, bool) {
	at, skip, ok := insertAt(text, ins, drop, isHTML)
	if !ok {
		return text, false
	}
	out := make([]byte, 0, len(text)+len(ins)-skip)
	out = append(out, text[:at]...)
	out = append(out, ins...)
	out = append(out, text[at+skip:]...)
	return out, true
}

// insertAt returns where insertBlock puts ins in text, and how many bytes
// of drop it replaces there. ok is false when nothing would change.
func insertAt(text []byte, ins, drop string, isHTML bool) (at, skip int, ok bool) {
	if isHTML {
		at = htmlInsertAt(text)
	}
	if drop != "" && bytes.HasPrefix(text[at:], []byte(drop)) {
		skip = len(drop)
	}
	return at, skip, ins != "" || skip > 0
}

// encodeQPInserted is encodeQP of insertBlock's text: ins ends with a line
// ending, so that the block and what follows it can be encoded one after
// the other, into one buffer, without the text being copied first.
func encodeQPInserted(text []byte, ins, drop string, isHTML bool, eol string) ([]byte, bool) {
	at, skip, ok := insertAt(text, ins, drop, isHTML)
	if !ok {
		return nil, false
	}
	if (at > 0 && text[at-1] != '\n') || (ins != "" && ins[len(ins)-1] != '\n') {
		nb, _ := insertBlock(text, ins, drop, isHTML) // a line runs across the block's edge
		return encodeQP(nb, eol), true
	}
	var out bytes.Buffer
	n := len(text) + len(ins) - skip
	out.Grow(n + n/8)
	encodeQPTo(&out, text[:at], eol)
	encodeQPTo(&out, []byte(ins), eol)
	encodeQPTo(&out, text[at+skip:], eol)
	return out.Bytes(), true
}

var (
	reBody = lazyre.New(`(?i)<body(?:\s[^>]*)?>`)
	reHead = lazyre.New(`(?i)</head\s*>`)
	reHTML = lazyre.New(`(?i)<html(?:\s[^>]*)?>`)
)

// htmlInsertAt returns where the HTML block goes: after <body>, else after
// </head>, else after <html>, else at the start.
func htmlInsertAt(text []byte) int {
	for _, re := range []*lazyre.Regexp{reBody, reHead, reHTML} {
		if loc := re.Regexp().FindIndex(text); loc != nil {
			return loc[1]
		}
	}
	return 0
}

// forParse returns raw without X-Bounce-* fields and without the blocks
// in drop, so that a second run parses what the first one did (see
// parseWithout). Most messages come back as they are.
func forParse(raw []byte, root *entity.Entity, drop map[*entity.Entity]string) []byte {
	res := &Result{RemoveHeaders: bounceHeaderNames(root)}
	if len(drop) == 0 && len(res.RemoveHeaders) == 0 {
		return raw
	}
	if len(drop) > 0 {
		annotateBody(raw, root, nil, drop, nil, res)
	}
	return applyEdits(raw, root, res)
}
