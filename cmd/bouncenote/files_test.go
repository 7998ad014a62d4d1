package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// corpusBounces holds real bounces; several .eml files there keep an mbox
// "From " line, and rfc3464-28.eml has a second message appended.
const corpusBounces = "../../testdata/corpus/sisimai/bounces"

// corpusMbox writes a real mbox: corpus bounces that start with their
// "From " line, one after another (each ends with a blank line).
func corpusMbox(t *testing.T, path string, names ...string) {
	t.Helper()
	var b []byte
	for _, n := range names {
		raw := readT(t, filepath.Join(corpusBounces, n))
		if !bytes.HasPrefix(raw, []byte("From ")) || !bytes.HasSuffix(raw, []byte("\n\n")) {
			t.Fatalf("%s does not start with a From line and end with a blank line", n)
		}
		b = append(b, raw...)
	}
	writeT(t, path, b, 0o600)
}

var summaryRE = regexp.MustCompile(`(\d+) message\(s\): (\d+) (?:annotated|to annotate), (\d+) unchanged, (\d+) failed`)

// summaryCounts returns total, annotated, unchanged and failed from
// annotate's summary line.
func summaryCounts(t *testing.T, stderr string) [4]int {
	t.Helper()
	m := summaryRE.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no summary line in %q", stderr)
	}
	var n [4]int
	for i := range n {
		fmt.Sscan(m[i+1], &n[i])
	}
	return n
}

// TestInputSameMessages: inspect and annotate read input the same way, so
// they see the same messages: an .eml file with "From " lines is one
// message (the README's rule), the same bytes in a file of another name are
// an mbox, and a real mbox splits the same for both.
func TestInputSameMessages(t *testing.T) {
	dir := t.TempDir()
	twoInEML := readT(t, filepath.Join(corpusBounces, "rfc3464-28.eml"))
	if bytes.Count(twoInEML, []byte("\nFrom MAILER-DAEMON")) != 1 {
		t.Fatal("rfc3464-28.eml no longer holds a second message after a From line")
	}
	writeT(t, filepath.Join(dir, "rfc3464-28.eml"), twoInEML, 0o644)
	writeT(t, filepath.Join(dir, "rfc3464-28.mbox"), twoInEML, 0o644)
	corpusMbox(t, filepath.Join(dir, "bounces.mbox"), "lhost-postfix-10.eml", "lhost-sendmail-04.eml", "lhost-exim-07.eml")
	tests := []struct {
		name string
		path string
		want int
	}{
		{".eml with From lines is one message", filepath.Join(dir, "rfc3464-28.eml"), 1},
		{"the same bytes as .mbox are two", filepath.Join(dir, "rfc3464-28.mbox"), 2},
		{"real mbox", filepath.Join(dir, "bounces.mbox"), 3},
		{"corpus .eml with a From line", filepath.Join(corpusBounces, "lhost-postfix-10.eml"), 1},
		{"directory of all three", dir, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCmd(t, "", "inspect", "--json", tt.path)
			if code != 0 {
				t.Fatalf("inspect: exit %d: %s", code, stderr)
			}
			if n := len(decodeLines(t, out)); n != tt.want {
				t.Errorf("inspect read %d messages, want %d", n, tt.want)
			}
			out, stderr, code = runCmd(t, "", "annotate", "--dry-run", tt.path)
			if code != 0 {
				t.Fatalf("annotate: exit %d: %s", code, stderr)
			}
			if n := strings.Count(out, "\n"); n != tt.want {
				t.Errorf("annotate --dry-run reported %d messages, want %d:\n%s", n, tt.want, out)
			}
			if n := summaryCounts(t, stderr)[0]; n != tt.want {
				t.Errorf("annotate counted %d messages, want %d", n, tt.want)
			}
		})
	}
}

// TestAnnotateEMLWithFromLines: annotate writes an .eml file with "From "
// lines as one message, its From line kept first, and an mbox message by
// message with every From line kept; unchanged messages stay byte for byte.
func TestAnnotateEMLWithFromLines(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, file string
		setup      func(p string)
		fromLines  int
		annotated  int
	}{
		{"eml", "x.eml", func(p string) { writeT(t, p, readT(t, filepath.Join(corpusBounces, "lhost-postfix-10.eml")), 0o644) }, 1, 1},
		{"eml with a second message", "y.eml", func(p string) { writeT(t, p, readT(t, filepath.Join(corpusBounces, "rfc3464-28.eml")), 0o644) }, 2, 0},
		{"mbox", "z.mbox", func(p string) { corpusMbox(t, p, "lhost-postfix-10.eml", "rfc3464-28.eml", "lhost-exim-07.eml") }, 4, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.file)
			tt.setup(p)
			in := readT(t, p)
			_, stderr, code := runCmd(t, "", "annotate", "-o", p+".out", p)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got := readT(t, p+".out")
			if !bytes.HasPrefix(got, []byte("From MAILER-DAEMON")) {
				t.Errorf("output does not start with the From line: %q", got[:min(len(got), 60)])
			}
			if n := bytes.Count(got, []byte("\nFrom MAILER-DAEMON")) + 1; n != tt.fromLines {
				t.Errorf("%d From lines in the output, want %d", n, tt.fromLines)
			}
			if c := summaryCounts(t, stderr); c[1] != tt.annotated {
				t.Errorf("%d annotated, want %d (%s)", c[1], tt.annotated, stderr)
			}
			if tt.annotated == 0 && !bytes.Equal(got, in) {
				t.Errorf("unchanged file not copied byte for byte")
			}
		})
	}
}

// TestSplitMessagesRoundTrip: the From lines and stored bytes of the
// messages give back the file byte for byte, for every corpus bounce read
// as .eml and as an mbox, and ">From " quoting is undone only for reading.
func TestSplitMessagesRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusBounces, "*.eml"))
	if err != nil || len(files) < 100 {
		t.Fatalf("%d corpus files (%v)", len(files), err)
	}
	quoted := []byte("From a Tue\nSubject: x\n\n>From here\n\nFrom b Tue\nSubject: y\n\nbody\n")
	tests := []struct {
		name string
		raw  []byte
	}{{"mboxrd quoting", quoted}}
	for _, f := range files {
		tests = append(tests, struct {
			name string
			raw  []byte
		}{filepath.Base(f), readT(t, f)})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range []string{"x.eml", "x.mbox"} {
				var back []byte
				msgs := splitMessages(name, tt.raw)
				for _, m := range msgs {
					back = append(append(back, m.Sep...), m.Stored...)
				}
				if !bytes.Equal(back, tt.raw) {
					t.Errorf("%s: %d messages do not give back the file", name, len(msgs))
				}
			}
		})
	}
	msgs := splitMessages("x", quoted)
	if len(msgs) != 2 || !bytes.Contains(msgs[0].Stored, []byte("\n>From here")) || !bytes.Contains(msgs[0].Unquoted(), []byte("\nFrom here")) {
		t.Errorf("mboxrd quoting: %d messages, %+v", len(msgs), msgs)
	}
}
