package annotate

import (
	"mime"
	"strings"

	"github.com/bouncenote/bouncenote/entity"
)

// annotate reads a message once, into package entity's MIME tree (RFC 2045,
// RFC 2046), which keeps every entity's byte offsets: one part is spliced
// and every other byte kept as it was. These helpers say how annotate
// treats an entity of that tree.

// isText reports a text/plain or text/html entity, or a multipart read as
// text (entity.PseudoText).
func isText(e *entity.Entity) bool {
	return e.MediaType == "text/plain" || e.MediaType == "text/html" || e.Kind == entity.PseudoText
}

// textType is the media type the entity is read as.
func textType(e *entity.Entity) string {
	if e.Kind == entity.PseudoText {
		return "text/plain"
	}
	return e.MediaType
}

// isAttachment reports Content-Disposition: attachment. RFC 2183 §2.2
func isAttachment(e *entity.Entity) bool {
	disp, _, _ := mime.ParseMediaType(e.Header.Get("Content-Disposition"))
	return disp == "attachment"
}

// badType reports a Content-Type without a type/subtype, which readers
// take for text/plain.
func badType(e *entity.Entity) bool {
	ct := e.Header.Get("Content-Type")
	ty, _, _ := strings.Cut(ct, ";")
	return ct != "" && !strings.Contains(ty, "/")
}

// charsetOf returns the lower-case charset parameter, "" when absent.
func charsetOf(e *entity.Entity) string {
	return strings.ToLower(strings.Trim(e.Params["charset"], `" `))
}

// cteOf returns the entity's transfer encoding, "7bit" when absent. RFC 2045 §6.1
func cteOf(e *entity.Entity) string {
	if cte := entity.TransferEncoding(e.Header); cte != "" {
		return cte
	}
	return entity.CTE7bit
}

// leaves returns the leaf entities under e in document order, those of
// returned messages included.
func leaves(e *entity.Entity) []*entity.Entity {
	var out []*entity.Entity
	var walk func(q *entity.Entity)
	walk = func(q *entity.Entity) { // depth is bounded by the tree's MaxDepth
		if len(q.Children) == 0 {
			out = append(out, q)
			return
		}
		for _, c := range q.Children {
			walk(c)
		}
	}
	walk(e)
	return out
}

// headStart returns where annotate's header fields go in the message
// whose tree is root: before the first field, after anything that comes
// before it (an mbox "From " line, QUIRK: stray continuation lines,
// which after our fields would continue the last of them).
func headStart(root *entity.Entity) int {
	if fs := root.Header.Fields; len(fs) > 0 {
		return fs[0].Start
	}
	return root.HeaderEnd
}
