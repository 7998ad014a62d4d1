package milter

import (
	"bytes"
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

// bodyRecorder records the body chunks applyEdits sends, copied (the
// buffer they are in is reused).
type bodyRecorder struct {
	chunks []string
}

func (r *bodyRecorder) ChangeHeader(int, string, string) error { return nil }
func (r *bodyRecorder) InsertHeader(int, string, string) error { return nil }
func (r *bodyRecorder) AddHeader(string, string) error         { return nil }
func (r *bodyRecorder) ReplaceBody(b []byte) error {
	r.chunks = append(r.chunks, string(b))
	return nil
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
			var rec bodyRecorder
			if err := applyEdits(&rec, edits); err != nil {
				t.Fatal(err)
			}
			if got, want := strings.Join(rec.chunks, ""), strings.ReplaceAll(tt.body, "\r\n", "\n"); got != want || len(rec.chunks) != len(edits) {
				t.Errorf("sent %d chunks, %d bytes; want %d chunks, %d bytes (CRLF as LF)", len(rec.chunks), len(got), len(edits), len(want))
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
// and what applyEdits sends joins to the body with CRLF as LF, as a
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
		var rec bodyRecorder
		if err := applyEdits(&rec, edits); err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(rec.chunks, ""), string(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))); got != want {
			t.Fatalf("sent %q, want %q", got, want)
		}
	})
}
