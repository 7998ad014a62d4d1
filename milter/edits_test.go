package milter

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	gomilter "github.com/emersion/go-milter"

	"github.com/bouncenote/bouncenote/annotate"
)

func TestPlanEdits(t *testing.T) {
	seen := []field{{name: "Received"}, {name: "x-bounce-status"}, {name: "Subject"}, {name: "X-Bounce-Status"}, {name: "MIME-Version"}}
	tests := []struct {
		name        string
		res         annotate.Result
		headersOnly bool
		want        []edit
	}{
		{
			name: "every kind, in order",
			res: annotate.Result{
				RemoveHeaders: []string{"X-Bounce-Status", "X-BOUNCE-STATUS", "X-Bounce-Remedy"},
				SetHeaders:    []annotate.Field{{Name: "MIME-Version", Value: " 1.0"}, {Name: "Content-Type", Value: "text/plain; charset=utf-8"}},
				AddHeaders:    []annotate.Field{{Name: "X-Bounce-Reason", Value: "userunknown"}, {Name: "X-Bounce-Status", Value: "5.1.1\r\n (550)\r\n"}},
				Body:          []byte("line\r\nline\r\n"),
			},
			want: []edit{
				{op: opDelete, index: 2, name: "X-Bounce-Status"},
				{op: opDelete, index: 1, name: "X-Bounce-Status"},
				{op: opChange, index: 1, name: "MIME-Version", value: "1.0"},
				{op: opAdd, name: "Content-Type", value: "text/plain; charset=utf-8"},
				{op: opInsert, index: 0, name: "X-Bounce-Status", value: "5.1.1\n (550)"},
				{op: opInsert, index: 0, name: "X-Bounce-Reason", value: "userunknown"},
				{op: opBody, chunk: []byte("line\r\nline\r\n")}, // LF once sent (applyEdits)
			},
		},
		{
			name:        "headers only drops the body",
			res:         annotate.Result{AddHeaders: []annotate.Field{{Name: "X-Bounce-Reason", Value: "x"}}, Body: []byte("b")},
			headersOnly: true,
			want: []edit{
				{op: opDelete, index: 2, name: "x-bounce-status"},
				{op: opDelete, index: 1, name: "x-bounce-status"},
				{op: opInsert, index: 0, name: "X-Bounce-Reason", value: "x"},
			},
		},
		{
			name: "empty new body is still a replacement",
			res:  annotate.Result{Body: []byte{}},
			want: []edit{
				{op: opDelete, index: 2, name: "x-bounce-status"},
				{op: opDelete, index: 1, name: "x-bounce-status"},
				{op: opBody, chunk: []byte{}},
			},
		},
		{
			name: "incoming X-Bounce-* fields go even when annotate keeps them",
			res:  annotate.Result{},
			want: []edit{{op: opDelete, index: 2, name: "x-bounce-status"}, {op: opDelete, index: 1, name: "x-bounce-status"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := planEdits(&tc.res, seen, tc.headersOnly)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d edits %+v, want %d %+v", len(got), got, len(tc.want), tc.want)
			}
			for i := range got {
				g, w := got[i], tc.want[i]
				if g.op != w.op || g.index != w.index || g.name != w.name || g.value != w.value || string(g.chunk) != string(w.chunk) {
					t.Errorf("edit %d: got %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

// sentBody encodes edits with a batch, as the session sends them, and
// returns the SMFIR_REPLBODY pieces the MTA gets, each as its own string,
// checking that every request is well framed.
func sentBody(t *testing.T, edits []edit) []string {
	t.Helper()
	var wire bytes.Buffer
	b := newBatch(&wire, edits)
	if err := applyEdits(b, edits); err != nil {
		t.Fatal(err)
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	var pieces []string
	for _, p := range readRequests(t, wire.Bytes()) {
		if p.Code == byte(gomilter.ActReplBody) {
			pieces = append(pieces, string(p.Data))
		}
	}
	return pieces
}

// readRequests cuts what a batch wrote into its requests.
func readRequests(t *testing.T, wire []byte) []gomilter.Message {
	t.Helper()
	var out []gomilter.Message
	for len(wire) > 0 {
		if len(wire) < 5 {
			t.Fatalf("%d bytes left, not a request", len(wire))
		}
		n := int(binary.BigEndian.Uint32(wire))
		if n < 1 || 4+n > len(wire) {
			t.Fatalf("request of length %d with %d bytes left", n, len(wire)-4)
		}
		out = append(out, gomilter.Message{Code: wire[4], Data: wire[5 : 4+n]})
		wire = wire[4+n:]
	}
	return out
}

// TestBodyEditsChunking: a new body goes out in pieces of at most
// MaxBodyChunk bytes, with LF line ends, whatever the line length; a
// piece never ends between a CR and its LF (16-byte lines put the
// MaxBodyChunk boundary right there), which would leave a CR behind.
func TestBodyEditsChunking(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		pieces int
	}{
		{"18-byte lines", strings.Repeat("0123456789abcdef\r\n", 10000), 3},
		{"16-byte lines, CRLF across the boundary", strings.Repeat("0123456789abcd\r\n", 10000), 3},
		{"one long line", strings.Repeat("x", 2*gomilter.MaxBodyChunk+5) + "\r\n", 3},
		{"bare CR and LF kept", "a\rb\nc\r\r\nd", 1},
		{"empty", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edits := bodyEdits([]byte(tt.body))
			var joined strings.Builder
			for _, e := range edits {
				if e.op != opBody || len(e.chunk) > gomilter.MaxBodyChunk || (len(e.chunk) == 0 && tt.body != "") {
					t.Fatalf("bad piece: op %v, %d bytes", e.op, len(e.chunk))
				}
				if bytes.HasSuffix(e.chunk, []byte("\r")) && joined.Len()+len(e.chunk) < len(tt.body) {
					t.Errorf("a piece ends with the CR of a line end")
				}
				joined.Write(e.chunk)
			}
			if joined.String() != tt.body || len(edits) != tt.pieces {
				t.Errorf("%d pieces joining to %d bytes, want %d pieces of %d bytes", len(edits), joined.Len(), tt.pieces, len(tt.body))
			}
			sent := sentBody(t, edits)
			if got, want := strings.Join(sent, ""), strings.ReplaceAll(tt.body, "\r\n", "\n"); got != want || len(sent) != len(edits) {
				t.Errorf("sent %d chunks, %d bytes; want %d chunks, %d bytes (CRLF as LF)", len(sent), len(got), len(edits), len(want))
			}
		})
	}
}

func TestSummary(t *testing.T) {
	edits := []edit{{op: opDelete}, {op: opInsert}, {op: opInsert}, {op: opBody}, {op: opBody}}
	if got, want := summary(edits), "1 header(s) deleted, 2 header(s) inserted, body replaced"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if got := summary(nil); got != "none" {
		t.Errorf("summary(nil) = %q", got)
	}
}

// FuzzBodyPieces: whatever the body and the piece size, the pieces join to
// the body, none is larger than the size or ends with the CR of a CRLF,
// and what a batch sends joins to the body with CRLF as LF, as a
// whole-body replacement would give.
func FuzzBodyPieces(f *testing.F) {
	f.Add([]byte("line\r\nline\r\n"), 5)
	f.Add([]byte("a\rb\nc\r\r\nd\r\n\r\n"), 2)
	f.Add([]byte(strings.Repeat("0123456789abcd\r\n", 20)), 16)
	f.Fuzz(func(t *testing.T, body []byte, size int) {
		size = 2 + int(uint(size)%100)
		edits := bodyPieces(body, size)
		var joined []byte
		for _, e := range edits {
			if len(e.chunk) > size || (len(e.chunk) == 0 && len(body) > 0) {
				t.Fatalf("piece of %d bytes, size %d", len(e.chunk), size)
			}
			end := len(joined) + len(e.chunk)
			if end < len(body) && end > 0 && body[end-1] == '\r' && body[end] == '\n' {
				t.Fatalf("a piece ends between CR and LF at %d", end)
			}
			joined = append(joined, e.chunk...)
		}
		if !bytes.Equal(joined, body) {
			t.Fatalf("pieces join to %q, want %q", joined, body)
		}
		if got, want := strings.Join(sentBody(t, edits), ""), string(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))); got != want {
			t.Fatalf("sent %q, want %q", got, want)
		}
	})
}

// writeCounter counts the writes a batch makes and keeps their bytes.
type writeCounter struct {
	bytes.Buffer
	writes int
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(p)
}

// TestBatch: each request is framed as the milter protocol has it
// (milter-protocol.txt: uint32 length, command, data; index, name and
// value NUL-terminated), and a bounce's whole reply goes out in one
// write, a large one in pieces of about batchFlush bytes.
func TestBatch(t *testing.T) {
	edits := []edit{
		{op: opDelete, index: 2, name: "X-Bounce-Status"},
		{op: opChange, index: 1, name: "MIME-Version", value: "1.0"},
		{op: opAdd, name: "Content-Type", value: "text/plain"},
		{op: opInsert, index: 0, name: "X-Bounce-Reason", value: "a\n b"},
		{op: opBody, chunk: []byte("line\r\nbare\rcr\r\n")},
	}
	var w writeCounter
	b := newBatch(&w, edits)
	if err := applyEdits(b, edits); err != nil {
		t.Fatal(err)
	}
	if w.writes != 0 {
		t.Fatalf("%d writes before Flush", w.writes)
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	want := []gomilter.Message{
		{Code: 'm', Data: []byte("\x00\x00\x00\x02X-Bounce-Status\x00\x00")},
		{Code: 'm', Data: []byte("\x00\x00\x00\x01MIME-Version\x001.0\x00")},
		{Code: 'h', Data: []byte("Content-Type\x00text/plain\x00")},
		{Code: 'i', Data: []byte("\x00\x00\x00\x00X-Bounce-Reason\x00a\n b\x00")},
		{Code: 'b', Data: []byte("line\nbare\rcr\n")},
	}
	got := readRequests(t, w.Bytes())
	if w.writes != 1 || len(got) != len(want) {
		t.Fatalf("%d writes of %d requests, want 1 of %d", w.writes, len(got), len(want))
	}
	for i := range want {
		if got[i].Code != want[i].Code || !bytes.Equal(got[i].Data, want[i].Data) {
			t.Errorf("request %d: %c %q, want %c %q", i, got[i].Code, got[i].Data, want[i].Code, want[i].Data)
		}
	}

	body := bytes.Repeat([]byte("0123456789abcdef\r\n"), 1<<16) // 1.1 MiB
	large := bodyEdits(body)
	w = writeCounter{}
	b = newBatch(&w, large)
	if err := applyEdits(b, large); err != nil {
		t.Fatal(err)
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	if lo, hi := len(body)/(batchFlush+gomilter.MaxBodyChunk), len(body)/batchFlush+1; w.writes < lo || w.writes > hi {
		t.Errorf("%d writes for %d requests of a %d-byte body, want %d to %d", w.writes, len(large), len(body), lo, hi)
	}
	if cap(b.buf) > batchFlush+gomilter.MaxBodyChunk+16 {
		t.Errorf("batch buffer of %d bytes for a %d-byte body, want at most one flush and a request", cap(b.buf), len(body))
	}
}
