package milter

import (
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
				{op: opBody, chunk: []byte("line\nline\n")},
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

func TestBodyEditsChunking(t *testing.T) {
	body := strings.Repeat("0123456789abcdef\r\n", 10000) // 180000 bytes, 160000 after CRLF to LF
	edits := bodyEdits([]byte(body))
	var joined strings.Builder
	for _, e := range edits {
		if e.op != opBody || len(e.chunk) == 0 || len(e.chunk) > gomilter.MaxBodyChunk {
			t.Fatalf("bad chunk: op %v, %d bytes", e.op, len(e.chunk))
		}
		joined.Write(e.chunk)
	}
	if want := strings.ReplaceAll(body, "\r\n", "\n"); joined.String() != want || len(edits) != 3 {
		t.Errorf("%d chunks joining to %d bytes, want 3 chunks of %d bytes", len(edits), joined.Len(), len(want))
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
