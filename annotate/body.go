package annotate

import (
	"bytes"
	"mime"
	"sort"
	"strings"

	"github.com/bouncenote/bouncenote/entity"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// edit is the change to one text part.
type edit struct {
	p      *entity.Entity
	body   []byte // new body bytes
	recode bool   // re-encoded as UTF-8 quoted-printable: Content-Type and CTE change
}

// splice replaces raw[start:end] with b.
type splice struct {
	start, end int
	b          []byte
}

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
			res.Body = e.body
			if e.recode {
				res.SetHeaders = rootSetHeaders(root, entity.LineEnding(raw, root.Start))
			}
			return
		}
		if e.recode {
			sp = append(sp, splice{p.Start, p.BodyStart, partHeader(raw, p)})
		} else if !p.HeaderEnded() {
			e.body = append([]byte(entity.LineEnding(raw, p.Start)), e.body...) // end the header
		}
		if p.End < len(raw) && raw[p.End] != '\r' && raw[p.End] != '\n' {
			// QUIRK: an empty part ("--b\n--b"): the next delimiter needs
			// a line ending of its own before it.
			e.body = append(e.body, entity.LineEnding(raw, p.Start)...)
		}
		sp = append(sp, splice{p.BodyStart, p.End, e.body})
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

// writeSpliced writes raw[from:] with the splices sp applied to out.
func writeSpliced(out *bytes.Buffer, raw []byte, from int, sp []splice) {
	pos := from
	for _, s := range sp {
		out.Write(raw[pos:s.start])
		out.Write(s.b)
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
			nb, ok := insertBlock(body, render(msgEOL), drop, isHTML)
			return edit{p: p, body: nb}, ok
		}
	case entity.CTEQuotedPrintable, entity.CTEBase64:
		if utf8cs || (asciiCompatible(cs) && insASCII) {
			dec, err := decoded.decode(p)
			if err != nil {
				return edit{}, false
			}
			nb, ok := insertBlock(dec, render(textEOL(dec, msgEOL)), drop, isHTML)
			if cte == entity.CTEQuotedPrintable {
				return edit{p: p, body: encodeQP(nb, msgEOL)}, ok
			}
			return edit{p: p, body: encodeBase64(nb, msgEOL)}, ok
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
	return edit{p: p, body: encodeQP(nb, eol), recode: true}, true
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
	at := 0
	if isHTML {
		at = htmlInsertAt(text)
	}
	rest := text[at:]
	if drop != "" && bytes.HasPrefix(rest, []byte(drop)) {
		rest = rest[len(drop):]
	}
	if ins == "" && len(rest) == len(text)-at {
		return text, false
	}
	out := make([]byte, 0, len(text)+len(ins))
	out = append(out, text[:at]...)
	out = append(out, ins...)
	out = append(out, rest...)
	return out, true
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
