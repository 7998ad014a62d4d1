package milter

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	gomilter "github.com/emersion/go-milter"

	"github.com/bouncenote/bouncenote/annotate"
)

// editOp is one kind of milter modification request.
type editOp int

const (
	opDelete editOp = iota // SMFIR_CHGHEADER with an empty value: delete
	opChange               // SMFIR_CHGHEADER: replace the index-th field of a name
	opInsert               // SMFIR_INSHEADER: insert at a position (0 = top)
	opAdd                  // SMFIR_ADDHEADER: append to the header
	opBody                 // SMFIR_REPLBODY: one chunk of the new body
)

func (o editOp) String() string {
	return [...]string{"delete", "change", "insert", "add", "body"}[o]
}

// edit is one modification request sent at end-of-message.
type edit struct {
	op    editOp
	index int // 1-based per name for opDelete and opChange; position for opInsert
	name  string
	value string
	chunk []byte // opBody: a piece of the new body as annotate wrote it (CRLF)
}

// field is one header field as the MTA sent it.
type field struct {
	name  string
	value string
}

// modifier is the part of *gomilter.Modifier that edits use.
type modifier interface {
	ChangeHeader(index int, name, value string) error
	InsertHeader(index int, name, value string) error
	AddHeader(name, value string) error
	ReplaceBody(body []byte) error
}

var _ modifier = (*gomilter.Modifier)(nil)

// bouncePrefix starts the names of the fields bouncenote writes. Any such
// field a message brings along is deleted, whatever the message: a reader
// must be able to trust that X-Bounce-* fields come from us.
const bouncePrefix = "X-Bounce-"

// isBounceField reports whether name is an X-Bounce-* field name.
func isBounceField(name string) bool {
	return len(name) > len(bouncePrefix) && strings.EqualFold(name[:len(bouncePrefix)], bouncePrefix)
}

// deleteEdits deletes every occurrence of each field called one of names
// and of every X-Bounce-* field in seen (the header as the MTA sent it).
// Each name is deleted from its last occurrence up, so that no index
// shifts whether or not the MTA renumbers after a deletion.
func deleteEdits(seen []field, names []string) []edit {
	var out []edit
	done := map[string]bool{}
	del := func(name string) {
		key := strings.ToLower(name)
		if done[key] {
			return
		}
		done[key] = true
		for i := countField(seen, name); i >= 1; i-- {
			out = append(out, edit{op: opDelete, index: i, name: name})
		}
	}
	for _, name := range names {
		del(name)
	}
	for _, f := range seen {
		if isBounceField(f.name) {
			del(f.name)
		}
	}
	return out
}

// planEdits turns an annotate result into milter requests, in the order
// they must be sent: header deletions (every X-Bounce-* field seen, and
// whatever annotate removes), header replacements, insertions of
// our fields, and last the body chunks, all consecutive, because Postfix
// refuses any other request mixed into a body replacement. seen is the
// header as the MTA sent it.
func planEdits(res *annotate.Result, seen []field, headersOnly bool) []edit {
	out := deleteEdits(seen, res.RemoveHeaders)
	for _, f := range res.SetHeaders {
		if countField(seen, f.Name) == 0 {
			out = append(out, edit{op: opAdd, name: f.Name, value: milterValue(f.Value)})
			continue
		}
		out = append(out, edit{op: opChange, index: 1, name: f.Name, value: milterValue(f.Value)})
	}
	// Our fields go on top, in order: insert the last one first at the top.
	for i := len(res.AddHeaders) - 1; i >= 0; i-- {
		f := res.AddHeaders[i]
		out = append(out, edit{op: opInsert, index: 0, name: f.Name, value: milterValue(f.Value)})
	}
	if res.Body != nil && !headersOnly {
		out = append(out, bodyEdits(res.Body)...)
	}
	return out
}

// countField counts the fields called name (case-insensitively) in seen.
func countField(seen []field, name string) int {
	n := 0
	for _, f := range seen {
		if strings.EqualFold(f.name, name) {
			n++
		}
	}
	return n
}

// milterValue turns a written header value into what the MTA expects:
// no leading space (the MTA adds one), folds as LF plus white space, no
// line break at the end.
func milterValue(v string) string {
	v = strings.TrimLeft(v, " \t")
	v = strings.ReplaceAll(v, "\r\n", "\n")
	return strings.TrimRight(v, "\r\n")
}

// bodyEdits cuts body into the pieces of SMFIR_REPLBODY requests, at
// most gomilter.MaxBodyChunk bytes each (the size Sendmail's libmilter
// also uses), never between the CR and LF of a line end. The pieces are
// slices of body, not copies: the modifier turns their line ends into LF,
// which go-milter and Postfix expect, as it sends them.
func bodyEdits(body []byte) []edit { return bodyPieces(body, gomilter.MaxBodyChunk) }

// bodyPieces is bodyEdits with pieces of at most size bytes (size >= 2).
func bodyPieces(body []byte, size int) []edit {
	if len(body) == 0 {
		return []edit{{op: opBody, chunk: body}}
	}
	var out []edit
	for len(body) > 0 {
		n := min(len(body), size)
		if n < len(body) && n > 1 && body[n-1] == '\r' && body[n] == '\n' {
			n-- // the CR goes with its LF into the next piece
		}
		out = append(out, edit{op: opBody, chunk: body[:n]})
		body = body[n:]
	}
	return out
}

// appendLF appends src to dst with every CRLF turned into LF, a line at
// a time.
func appendLF(dst, src []byte) []byte {
	for {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			return append(dst, src...)
		}
		if i > 0 && src[i-1] == '\r' {
			dst = append(append(dst, src[:i-1]...), '\n')
		} else {
			dst = append(dst, src[:i+1]...)
		}
		src = src[i+1:]
	}
}

// applyEdits sends edits to the MTA in order, body pieces with CRLF line
// ends (m turns them into LF).
func applyEdits(m modifier, edits []edit) error {
	for i, e := range edits {
		var err error
		switch e.op {
		case opDelete:
			err = m.ChangeHeader(e.index, e.name, "")
		case opChange:
			err = m.ChangeHeader(e.index, e.name, e.value)
		case opInsert:
			err = m.InsertHeader(e.index, e.name, e.value)
		case opAdd:
			err = m.AddHeader(e.name, e.value)
		case opBody:
			err = m.ReplaceBody(e.chunk)
		}
		if err != nil {
			return fmt.Errorf("milter: sending %s request %d of %d: %w", e.op, i+1, len(edits), err)
		}
	}
	return nil
}

// batchFlush is the size past which a batch writes out what it holds
// before encoding the next request: a large new body goes out in pieces
// of about this size instead of being held a second time whole.
const batchFlush = 256 << 10

// batch is a modifier that encodes the modification requests of one end
// of message (Sendmail milter protocol, milter-protocol.txt: a uint32
// length, the command byte, the data) into one buffer and writes them to
// the MTA together: one write for the whole reply of a bounce up to
// batchFlush bytes, and every body piece copied once, into the buffer,
// its line ends turned into LF on the way.
//
// QUIRK: go-milter v0.5.0's Modifier writes each request with a bufio
// writer of its own and a write of its own (two for a body piece), and
// copies each body piece (crlfToLF) before writing it: for a 100 KB
// bounce, 9 writes and two copies of the new body. The requests encoded
// here are the ones its Modifier encodes (ChangeHeader, InsertHeader,
// AddHeader, ReplaceBody), the header values already with LF folds
// (milterValue), and go to the same connection, in order, before
// go-milter writes the final reply.
type batch struct {
	w   io.Writer
	buf []byte
}

// newBatch returns a batch writing to w, with a buffer sized for edits
// (up to batchFlush plus one request).
func newBatch(w io.Writer, edits []edit) *batch {
	n := 0
	for _, e := range edits {
		n += 4 + 1 + 4 + len(e.name) + 1 + len(e.value) + 1 + len(e.chunk)
	}
	return &batch{w: w, buf: getBuffer(min(n, batchFlush+gomilter.MaxBodyChunk+16))}
}

// release gives the batch's buffer back for reuse; the batch is not used
// afterwards.
func (b *batch) release() {
	putBuffer(b.buf)
	b.buf = nil
}

func (b *batch) ChangeHeader(index int, name, value string) error {
	return b.header(gomilter.ActChangeHeader, index, name, value)
}

func (b *batch) InsertHeader(index int, name, value string) error {
	return b.header(gomilter.ActInsertHeader, index, name, value)
}

func (b *batch) AddHeader(name, value string) error {
	return b.header(gomilter.ActAddHeader, -1, name, value)
}

// header encodes SMFIR_CHGHEADER, SMFIR_INSHEADER (uint32 index, name,
// NUL, value, NUL) or SMFIR_ADDHEADER (no index, index < 0).
func (b *batch) header(code gomilter.ModifyActCode, index int, name, value string) error {
	start := b.begin(code)
	if index >= 0 {
		b.buf = binary.BigEndian.AppendUint32(b.buf, uint32(index))
	}
	b.buf = append(append(append(append(b.buf, name...), 0), value...), 0)
	return b.end(start)
}

// ReplaceBody encodes SMFIR_REPLBODY with piece's CRLF line ends as LF.
func (b *batch) ReplaceBody(piece []byte) error {
	start := b.begin(gomilter.ActReplBody)
	b.buf = appendLF(b.buf, piece)
	return b.end(start)
}

// begin reserves the length of a request and writes its command byte; it
// returns where the request starts.
func (b *batch) begin(code gomilter.ModifyActCode) int {
	start := len(b.buf)
	b.buf = append(b.buf, 0, 0, 0, 0, byte(code))
	return start
}

// end fills in the length of the request that starts at start, and
// writes the buffer out once it holds batchFlush bytes.
func (b *batch) end(start int) error {
	binary.BigEndian.PutUint32(b.buf[start:], uint32(len(b.buf)-start-4))
	if len(b.buf) < batchFlush {
		return nil
	}
	return b.Flush()
}

// Flush writes out the requests encoded so far.
func (b *batch) Flush() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0]
	return err
}

// summary describes edits for the log, e.g. "4 inserted, 1 deleted, body replaced".
func summary(edits []edit) string {
	var n [5]int
	for _, e := range edits {
		n[e.op]++
	}
	var parts []string
	for op, label := range []string{"deleted", "changed", "inserted", "added"} {
		if n[op] > 0 {
			parts = append(parts, fmt.Sprintf("%d header(s) %s", n[op], label))
		}
	}
	if n[opBody] > 0 {
		parts = append(parts, "body replaced")
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
