package dsn

import "strings"

// Markers of the explanation block that bouncenote's annotate package
// puts at the top of a bounce's text. The block is not part of the bounce:
// NewMessage removes it from text parts, so that an annotated bounce reads
// exactly as the original did (formats that expect the mailer's text at the
// start of the body keep working, and no reader mistakes the explanation
// for the mail system's words).
//
// The text block's first line is its heading between dashes ("----- Why
// your message was not delivered -----"), with no product name, as end
// users read it; what marks the block as ours is that it starts the text
// and that its last line starts with AnnotationTextEnd.
//
// Markers can be forged, so NewMessage only removes a block from the text
// of a message whose header carries a field starting with
// AnnotationHeaderPrefix, which annotate always adds: only whoever wrote
// the message's header can make it so, and a bounce's writer has no
// diagnostic of its own to hide. Text quoted inside a bounce (a server's
// reply, a returned message) cannot reach the header of the bounce, so a
// forged block there is read as text. (The milter removes incoming
// X-Bounce-* fields; annotate removes them before parsing and removes only
// the blocks it can render itself.)
const (
	AnnotationTextBegin    = "----- "                    // first line of the text block, at the very start of the text
	AnnotationTextEnd      = "----- bouncenote end"      // last line of the text block
	AnnotationHTMLBegin    = "<!-- bouncenote:begin -->" // start of the HTML block
	AnnotationHTMLEnd      = "<!-- bouncenote:end -->"   // end of the HTML block
	AnnotationHeaderPrefix = "X-Bounce-"                 // the header fields annotate adds
)

// isAnnotated reports a header with a field named AnnotationHeaderPrefix*.
func isAnnotated(h Header) bool {
	for _, f := range h.Fields {
		if len(f.Name) >= len(AnnotationHeaderPrefix) && strings.EqualFold(f.Name[:len(AnnotationHeaderPrefix)], AnnotationHeaderPrefix) {
			return true
		}
	}
	return false
}

// stripAnnotation removes a bouncenote explanation block from the text of
// a text/plain or text/html part of an annotated message (see
// isAnnotated). Only a complete block counts: a begin line at the start of
// the text and, after it, an end marker line.
func stripAnnotation(text, ct string) string {
	if !strings.Contains(text, "bouncenote") {
		return text
	}
	if ct == TypeHTML {
		i := strings.Index(text, AnnotationHTMLBegin)
		j := strings.Index(text, AnnotationHTMLEnd)
		if i < 0 || j < i {
			return text
		}
		return text[:i] + strings.TrimPrefix(text[j+len(AnnotationHTMLEnd):], "\n")
	}
	// The block starts the text; only blank lines may come before it.
	i := len(text) - len(strings.TrimLeft(text, "\r\n"))
	if !strings.HasPrefix(text[i:], AnnotationTextBegin) {
		return text
	}
	j := lineIndex(text[i:], AnnotationTextEnd)
	if j < 0 {
		return text
	}
	end := i + j
	if k := strings.IndexByte(text[end:], '\n'); k >= 0 {
		end += k + 1
	} else {
		end = len(text)
	}
	rest := strings.TrimPrefix(text[end:], "\n") // the blank line after the block
	return text[:i] + rest
}

// lineIndex returns the offset of the first line of text that starts with
// prefix, or -1.
func lineIndex(text, prefix string) int {
	for off := 0; off <= len(text); {
		if strings.HasPrefix(text[off:], prefix) {
			return off
		}
		k := strings.IndexByte(text[off:], '\n')
		if k < 0 {
			return -1
		}
		off += k + 1
	}
	return -1
}
