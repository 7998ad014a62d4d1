package annotate

import (
	"bytes"
	"unicode/utf8"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/entity"
)

// Annotate removes an explanation block already in a message only when it
// wrote the block itself, and proves it by writing it again: a candidate
// (the text from a begin marker at the insertion point of a target part to
// the first end marker) is removed only when it is byte for byte the block
// that annotate renders, in English or Chinese, for the message without
// the candidates (parsed again, with the same catalog). Removed bytes are
// therefore a function of the bytes that stay: no information is lost,
// and a forged marker, or a block from another version or catalog, never
// makes annotate delete a byte; it stays, and the new block goes above it.

// candidates returns, per target part, the block found at its insertion
// point, in the part's decoded text (before any charset conversion). The
// parts are decoded into dec, for annotateBody.
func candidates(root *entity.Entity, dec decodedParts) map[*entity.Entity]string {
	cands := map[*entity.Entity]string{}
	for _, p := range findTargets(root) {
		isHTML := textType(p) == "text/html"
		if !isHTML && !mayStartWith(p, textBegin) {
			continue // not decoded here: most text parts hold no block
		}
		dec, err := dec.decode(p)
		if err != nil {
			continue
		}
		var c []byte
		if isHTML {
			c = htmlCandidate(dec[htmlInsertAt(dec):])
		} else {
			c = textCandidate(dec)
		}
		if len(c) > 0 {
			cands[p] = string(c)
		}
	}
	return cands
}

// prefixDecodeBytes is how much of an encoded part mayStartWith decodes.
const prefixDecodeBytes = 256

// mayStartWith reports whether p's decoded text may start with prefix: it
// does not when the decoded start of the part's body says otherwise. An
// encoded body is decoded only its first prefixDecodeBytes: the start of
// a quoted-printable or base64 text decodes to the start of the text.
func mayStartWith(p *entity.Entity, prefix string) bool {
	body := p.Body()
	switch cteOf(p) {
	case entity.CTE7bit, entity.CTE8bit, entity.CTEBinary:
		return bytes.HasPrefix(body, []byte(prefix))
	}
	if len(body) <= prefixDecodeBytes {
		return true
	}
	// A cut escape or quantum at the end may be an error: the bytes
	// before it are decoded all the same.
	start, _ := entity.Decode(p.Header, body[:prefixDecodeBytes])
	return len(start) < len(prefix)+utf8.UTFMax || bytes.HasPrefix(start, []byte(prefix))
}

// textCandidate returns the text block at the start of text: from the
// begin marker to the end marker line and the blank line after it, or nil.
func textCandidate(text []byte) []byte {
	if !bytes.HasPrefix(text, []byte(textBegin)) {
		return nil
	}
	for pos := 0; pos < len(text); {
		line, next := entity.LineAt(text, pos, len(text))
		if bytes.HasPrefix(line, []byte(textEnd)) {
			blank, after := entity.LineAt(text, next, len(text))
			if after > next && len(blank) == 0 {
				return text[:after]
			}
			return text[:next]
		}
		pos = next
	}
	return nil
}

// htmlCandidate returns the HTML block at the start of text: from the
// begin marker to the end marker and its line ending, or nil.
func htmlCandidate(text []byte) []byte {
	if !bytes.HasPrefix(text, []byte(htmlBegin)) {
		return nil
	}
	i := bytes.Index(text, []byte(htmlEnd))
	if i < 0 {
		return nil
	}
	end := i + len(htmlEnd)
	switch {
	case bytes.HasPrefix(text[end:], []byte("\r\n")):
		end += 2
	case bytes.HasPrefix(text[end:], []byte("\n")):
		end++
	}
	return text[:end]
}

// ownBlocks returns cands when every candidate is exactly the block
// rendered for rep in one language, with the candidate's line ending;
// otherwise nil (none is annotate's).
func ownBlocks(cands map[*entity.Entity]string, rep *dsn.Report, cat explainer) map[*entity.Entity]string {
	if len(cands) == 0 || !isFailureOrDelay(rep) {
		return nil
	}
	for _, lang := range []string{LangEN, LangZH} {
		blk := newBlock(rep, cat, lang)
		same := true
		for p, c := range cands {
			isHTML := textType(p) == "text/html"
			same = same && c == blk.render(isHTML, textEOL([]byte(c), "\n"))
		}
		if same {
			return cands
		}
	}
	return nil
}

// isFailureOrDelay reports a report that annotate explains.
func isFailureOrDelay(rep *dsn.Report) bool {
	return rep != nil && (rep.Kind == dsn.KindFailure || rep.Kind == dsn.KindDelay)
}

// parseOwn parses raw as annotate reads it: without X-Bounce-* fields
// and without the blocks annotate wrote. It returns the report and those
// blocks (nil when there are none). With candidate blocks, the message is
// parsed without them first; when they are not annotate's, it is parsed
// again with them as text. t is raw's tree, with its error; dsn reads it
// when the message is parsed as it is.
func parseOwn(raw []byte, t *entity.Tree, treeErr error, cat explainer, opts *dsn.Options, dec decodedParts) (*dsn.Report, map[*entity.Entity]string, error) {
	if cands := candidates(t.Root, dec); len(cands) > 0 {
		rep, err := parseWithout(raw, t, treeErr, cands, opts)
		if err == nil {
			if own := ownBlocks(cands, rep, cat); own != nil {
				return rep, own, nil
			}
		}
	}
	rep, err := parseWithout(raw, t, treeErr, nil, opts)
	return rep, nil, err
}

// parseWithout parses raw without X-Bounce-* fields and the blocks in
// drop. dsn reads t, raw's tree, with those left out (dsn.TreeEdit), so
// that the message is read once and not copied; a message dsn does not
// read as it is, or whose tree is over a limit, is parsed from a copy
// without them (see forParse).
func parseWithout(raw []byte, t *entity.Tree, treeErr error, drop map[*entity.Entity]string, opts *dsn.Options) (*dsn.Report, error) {
	if treeErr != nil || !dsn.Direct(raw) {
		return dsn.Parse(forParse(raw, t.Root, drop), opts)
	}
	edit := &dsn.TreeEdit{Without: func(f dsn.Field) bool { return isBounceField(f.Name) }}
	if len(drop) > 0 {
		edit.Body = func(e *entity.Entity, dec []byte) []byte {
			if d, ok := drop[e]; ok {
				out, _ := insertBlock(dec, "", d, textType(e) == "text/html")
				return out
			}
			return dec
		}
	}
	m, err := dsn.NewMessageTree(t, nil, opts, edit)
	if err != nil {
		return nil, err
	}
	return dsn.ParseMessage(m)
}
