package milter

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gomilter "github.com/emersion/go-milter"

	"github.com/bouncenote/bouncenote/annotate"
)

// mtaView is a message as an MTA holds it while applying milter requests.
type mtaView struct {
	fields []field
	body   string
}

// viewOf splits a raw message (any line ending) into fields, folds kept as
// LF, the way Postfix sends them to a milter.
func viewOf(raw []byte) mtaView {
	msg := strings.ReplaceAll(string(raw), "\r\n", "\n")
	if strings.HasPrefix(msg, "From ") { // an mbox separator: MTAs drop it on receipt
		_, msg, _ = strings.Cut(msg, "\n")
	}
	hdr, body, _ := strings.Cut(msg, "\n\n")
	var v mtaView
	for _, line := range strings.Split(hdr, "\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(v.fields) > 0 {
			v.fields[len(v.fields)-1].value += "\n" + line
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		v.fields = append(v.fields, field{name: name, value: strings.TrimLeft(value, " \t")})
	}
	v.body = body
	return v
}

// String writes the view the way the milter rebuilds it: "Name: value".
func (v mtaView) String() string {
	var b strings.Builder
	for _, f := range v.fields {
		b.WriteString(f.name + ": " + f.value + "\n")
	}
	return b.String() + "\n" + v.body
}

// apply carries out milter requests with Sendmail/Postfix semantics:
// per-name 1-based indexes, an empty value deletes, insert index 0 is the
// top, consecutive body chunks replace the body.
func (v *mtaView) apply(t *testing.T, mods []gomilter.ModifyAction) {
	t.Helper()
	var newBody []byte
	replaced := false
	for _, m := range mods {
		switch m.Code {
		case gomilter.ActChangeHeader:
			v.change(t, int(m.HeaderIndex), m.HeaderName, m.HeaderValue)
		case gomilter.ActInsertHeader:
			at := min(int(m.HeaderIndex), len(v.fields))
			v.fields = append(v.fields[:at], append([]field{{m.HeaderName, m.HeaderValue}}, v.fields[at:]...)...)
		case gomilter.ActAddHeader:
			v.fields = append(v.fields, field{m.HeaderName, m.HeaderValue})
		case gomilter.ActReplBody:
			newBody, replaced = append(newBody, m.Body...), true
		default:
			t.Fatalf("unexpected request %c", m.Code)
		}
	}
	if replaced {
		v.body = string(newBody)
	}
}

func (v *mtaView) change(t *testing.T, index int, name, value string) {
	n := 0
	for i := range v.fields {
		if !strings.EqualFold(v.fields[i].name, name) {
			continue
		}
		if n++; n == index {
			if value == "" {
				v.fields = append(v.fields[:i], v.fields[i+1:]...)
			} else {
				v.fields[i] = field{name: name, value: value} // the MTA writes the name it was given
			}
			return
		}
	}
	t.Fatalf("change of %s #%d: no such field", name, index)
}

// TestCorpusLikeCLI plays every corpus bounce through the milter with the
// real annotate package, applies the requests like an MTA, and compares the
// result with what annotate (the CLI's transformation) makes of the same
// message, in both languages.
func TestCorpusLikeCLI(t *testing.T) {
	files, _ := filepath.Glob("../testdata/corpus/sisimai/bounces/*.eml")
	if len(files) < 100 {
		t.Fatalf("only %d corpus files", len(files))
	}
	if testing.Short() {
		files = files[:40]
	}
	for _, lang := range []string{"en", "zh-CN"} {
		t.Run(lang, func(t *testing.T) {
			addr, _, _ := testServer(t, Config{Lang: lang})
			s := dial(t, addr)
			annotated := 0
			for _, f := range files {
				raw, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if corpusCase(t, s, filepath.Base(f), raw, lang) {
					annotated++
				}
			}
			if annotated*2 < len(files) {
				t.Errorf("only %d of %d bounces annotated", annotated, len(files))
			}
			t.Logf("%s: %d of %d corpus bounces annotated through the milter, all equal to annotate's output", lang, annotated, len(files))
		})
	}
}

// corpusCase checks one message and reports whether it was annotated.
func corpusCase(t *testing.T, s *gomilter.ClientSession, name string, raw []byte, lang string) bool {
	view := viewOf(raw)
	seen := []byte(strings.ReplaceAll(view.String(), "\n", "\r\n"))
	want, err := annotate.Annotate(seen, annotate.Options{Lang: lang})
	if err != nil {
		t.Errorf("%s: annotate: %v", name, err)
		return false
	}
	tr := sendMessage(t, s, "", string(seen))
	if tr.end != gomilter.ActAccept && tr.eoh != gomilter.ActAccept {
		t.Errorf("%s: final reply %c/%c, want accept", name, tr.eoh, tr.end)
	}
	view.apply(t, tr.mods)
	got := view.String()
	if exp := strings.ReplaceAll(string(want.Output), "\r\n", "\n"); got != exp {
		t.Errorf("%s (%s): milter result differs from annotate's output: %s", name, lang,
			firstDiffLine(got, exp))
	}
	return want.Changed
}

func firstDiffLine(got, want string) string {
	gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(gl) && i < len(wl); i++ {
		if gl[i] != wl[i] {
			return fmt.Sprintf("line %d: got %.100q, want %.100q", i+1, gl[i], wl[i])
		}
	}
	return fmt.Sprintf("%d and %d lines", len(gl), len(wl))
}

// foxLine pads the returned message of paddedBounce.
const foxLine = "The quick brown fox jumps over the lazy dog, line after line of it. 0123456789\n"

// paddedBounce is a real Postfix bounce (lhost-postfix-02.eml) whose
// returned message is padded with copies of line to about size bytes,
// with CRLF line ends.
func paddedBounce(tb testing.TB, size int, line string) string {
	raw, err := os.ReadFile("../testdata/corpus/sisimai/bounces/lhost-postfix-02.eml")
	if err != nil {
		tb.Fatal(err)
	}
	msg := strings.ReplaceAll(string(raw), "\r\n", "\n")
	// The returned message is the last part: pad its body before the end.
	end := strings.LastIndex(msg, "\n--")
	if end < 0 {
		tb.Fatal("lhost-postfix-02.eml is no longer a multipart bounce")
	}
	pad := strings.Repeat(line, max(size-len(msg), 0)/len(line))
	return strings.ReplaceAll(msg[:end]+"\n"+pad+msg[end:], "\n", "\r\n")
}

// TestLargeLikeCLI: bounces of many body chunks, kept as go-milter hands
// them over and sent back in pieces, come out of the milter as annotate
// makes them, including with 16-byte lines, whose CRLF falls across the
// boundary of a body piece.
func TestLargeLikeCLI(t *testing.T) {
	addr, _, _ := testServer(t, Config{})
	s := dial(t, addr)
	tests := []struct {
		name string
		size int
		line string
	}{
		{"100 KB", 100 << 10, foxLine},
		{"1 MB", 1 << 20, foxLine},
		{"300 KB of 16-byte lines", 300 << 10, "0123456789abcd\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := paddedBounce(t, tt.size, tt.line)
			if !corpusCase(t, s, tt.name, []byte(raw), "en") {
				t.Errorf("%s: not annotated", tt.name)
			}
		})
	}
}
