package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/internal/atomicfile"
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
	md := filepath.Join(t.TempDir(), "Maildir")
	writeT(t, filepath.Join(md, "cur", "1700000001.M1P1.host,S=3357:2,S"), twoInEML, 0o600)
	writeT(t, filepath.Join(md, "new", "1700000002.M2P1.host"), readT(t, filepath.Join(corpusBounces, "lhost-postfix-10.eml")), 0o600)
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
		{"Maildir files are one message each", md, 2},
		{"a Maildir file given by name", filepath.Join(md, "cur", "1700000001.M1P1.host,S=3357:2,S"), 1},
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

// maildirName is a Dovecot-style Maildir file name with size tags for raw.
func maildirName(unique string, raw []byte, info string) string {
	w := len(raw) + bytes.Count(raw, []byte("\n")) - bytes.Count(raw, []byte("\r\n"))
	return fmt.Sprintf("%s,S=%d,W=%d%s", unique, len(raw), w, info)
}

// noTemporaries fails when a bouncenote temporary file is left in dir.
func noTemporaries(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.Contains(e.Name(), ".bouncenote-") {
			t.Errorf("temporary file %s left in %s", e.Name(), dir)
		}
	}
}

// TestAnnotateInPlaceKeepsFile: --in-place keeps owner, group and mode,
// writes through a symlink and renames Maildir messages to their new
// ,S= and ,W= sizes, on real bounces.
func TestAnnotateInPlaceKeepsFile(t *testing.T) {
	bounce := readT(t, filepath.Join(corpusBounces, "lhost-postfix-10.eml"))
	crlfBounce := bytes.ReplaceAll(readT(t, filepath.Join(corpusBounces, "lhost-exim-07.eml")), []byte("\n"), []byte("\r\n"))
	plain := readT(t, filepath.Join(corpusBounces, "rfc3464-28.eml")) // a success notice: unchanged
	const nobody = 65534

	t.Run("owner group and mode", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("not root: cannot give a file to uid 65534 to test that the owner is kept")
		}
		p := filepath.Join(t.TempDir(), "b.eml")
		writeT(t, p, bounce, 0o640)
		if err := os.Chown(p, nobody, nobody); err != nil {
			t.Fatal(err)
		}
		if _, stderr, code := runCmd(t, "", "annotate", "--in-place", p); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if uid, gid, _ := atomicfile.Owner(st); uid != nobody || gid != nobody || st.Mode().Perm() != 0o640 {
			t.Errorf("owner %d:%d mode %v, want %d:%d 0640", uid, gid, st.Mode().Perm(), nobody, nobody)
		}
		if !bytes.HasPrefix(readT(t, p), []byte("From MAILER-DAEMON")) || bytes.Equal(readT(t, p), bounce) {
			t.Errorf("not annotated, or the From line lost")
		}
		noTemporaries(t, filepath.Dir(p))
	})

	t.Run("symlink", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "store", "b.eml")
		link := filepath.Join(dir, "links", "b.eml")
		writeT(t, target, bounce, 0o600)
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("../store/b.eml", link); err != nil {
			t.Fatal(err)
		}
		if _, stderr, code := runCmd(t, "", "annotate", "--in-place", link); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if text, err := os.Readlink(link); err != nil || text != "../store/b.eml" {
			t.Errorf("link is no longer the same symlink: %q %v", text, err)
		}
		got := readT(t, target)
		if bytes.Equal(got, bounce) || !bytes.Contains(got, []byte("\nX-Bounce-Reason: ")) {
			t.Errorf("target not annotated")
		}
		if st, err := os.Stat(target); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("target mode changed: %v %v", st.Mode(), err)
		}
		noTemporaries(t, filepath.Dir(target))
		noTemporaries(t, filepath.Dir(link))
	})

	t.Run("Maildir size tags", func(t *testing.T) {
		md := filepath.Join(t.TempDir(), "Maildir")
		type msg struct {
			sub, unique, info string
			raw               []byte
			changes           bool
		}
		msgs := []msg{
			{"cur", "1700000001.M1P1.host", ":2,S", bounce, true},
			{"cur", "1700000002.M2P1.host", ":2,RS", crlfBounce, true},
			{"new", "1700000003.M3P1.host", "", bounce, true},
			{"cur", "1700000004.M4P1.host", ":2,", plain, false},
		}
		for _, m := range msgs {
			writeT(t, filepath.Join(md, m.sub, maildirName(m.unique, m.raw, m.info)), m.raw, 0o600)
		}
		if err := os.MkdirAll(filepath.Join(md, "tmp"), 0o700); err != nil {
			t.Fatal(err)
		}
		// A link from outside the Maildir to the first message, annotated
		// through the link: the link follows the new name.
		link := filepath.Join(filepath.Dir(md), "first.eml")
		if err := os.Symlink(filepath.Join("Maildir", "cur", maildirName(msgs[0].unique, bounce, ":2,S")), link); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := runCmd(t, "", "annotate", "--in-place", link)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		text, linkErr := os.Readlink(link)
		if linkErr != nil || !strings.HasPrefix(text, filepath.Join("Maildir", "cur", msgs[0].unique+",S=")) {
			t.Errorf("link to the renamed message: %q %v", text, linkErr)
		}
		if got, readErr := os.ReadFile(link); readErr != nil || !bytes.Contains(got, []byte("\nX-Bounce-Reason: ")) {
			t.Errorf("link does not lead to the annotated message: %v", readErr)
		}
		_, stderr, code = runCmd(t, "", "annotate", "--in-place", md)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if c := summaryCounts(t, stderr); c != [4]int{4, 2, 2, 0} {
			t.Errorf("summary %v, want 4 messages: 2 annotated, 2 unchanged (one done through the link), 0 failed", c)
		}
		for _, m := range msgs {
			t.Run(m.unique, func(t *testing.T) {
				ents, err := filepath.Glob(filepath.Join(md, m.sub, m.unique+",*"))
				if err != nil || len(ents) != 1 {
					t.Fatalf("%d files for %s: %v", len(ents), m.unique, ents)
				}
				got := readT(t, ents[0])
				if want := maildirName(m.unique, got, m.info); filepath.Base(ents[0]) != want {
					t.Errorf("name %s, want %s", filepath.Base(ents[0]), want)
				}
				if changed := !bytes.Equal(got, m.raw); changed != m.changes {
					t.Errorf("changed %v, want %v", changed, m.changes)
				}
			})
		}
		for _, sub := range []string{"cur", "new"} {
			noTemporaries(t, filepath.Join(md, sub))
		}
		if _, stderr, code = runCmd(t, "", "annotate", "--in-place", md, link); code != 0 || summaryCounts(t, stderr)[1] != 0 {
			t.Errorf("second run: exit %d, %s", code, stderr)
		}
	})

	t.Run("Maildir new name taken", func(t *testing.T) {
		md := filepath.Join(t.TempDir(), "Maildir")
		name := maildirName("1700000005.M5P1.host", bounce, ":2,S")
		p := filepath.Join(md, "cur", name)
		writeT(t, p, bounce, 0o600)
		if err := os.MkdirAll(filepath.Join(md, "new"), 0o700); err != nil {
			t.Fatal(err)
		}
		out, _, _ := runCmd(t, "", "annotate", p)
		taken := filepath.Join(md, "cur", maildirName("1700000005.M5P1.host", []byte(out), ":2,S"))
		writeT(t, taken, []byte("someone else's\n"), 0o600)
		_, stderr, code := runCmd(t, "", "annotate", "--in-place", p)
		if code != 1 || !strings.Contains(stderr, "exists") || !strings.Contains(stderr, p) {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		if !bytes.Equal(readT(t, p), bounce) || string(readT(t, taken)) != "someone else's\n" {
			t.Errorf("a file was changed")
		}
		if c := summaryCounts(t, stderr); c != [4]int{1, 0, 0, 1} {
			t.Errorf("summary %v, want 1 message: 0 annotated, 0 unchanged, 1 failed", c)
		}
		noTemporaries(t, filepath.Join(md, "cur"))
	})
}

func TestMaildirSizeName(t *testing.T) {
	md := filepath.Join(t.TempDir(), "Maildir")
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(md, sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	data := []byte("Subject: x\n\nab\r\ncd\n") // 19 bytes, 22 with CRLF line ends
	tests := []struct {
		name, path, want string
	}{
		{"S and W with flags", "cur/1.M1.host,S=5,W=6:2,RS", "1.M1.host,S=19,W=22:2,RS"},
		{"W before S", "cur/1.M1.host,W=6,S=5:2,", "1.M1.host,W=22,S=19:2,"},
		{"S only, in new/", "new/1.M1.host,S=5", "1.M1.host,S=19"},
		{"other tags kept", "cur/1.M1.host,S=5,FOO=7:2,S", "1.M1.host,S=19,FOO=7:2,S"},
		{"already right", "cur/1.M1.host,S=19,W=22:2,S", ""},
		{"no size tag", "cur/1.M1.host:2,S", ""},
		{"not a number", "cur/1.M1.host,S=x:2,S", ""},
		{"flags look like a tag", "cur/1.M1.host:2,S=5", ""},
		{"tmp/ is not renamed", "tmp/1.M1.host,S=5", ""},
		{"outside a Maildir", "../x,S=5", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := maildirSizeName(filepath.Join(md, tt.path), data)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("got %q %v, want %q", got, ok, tt.want)
			}
		})
	}
}

// TestAnnotateOutdirKeepsLayout: --outdir --force keeps the inputs'
// layout relative to their common parent, so ca/x.eml and cb/x.eml do not
// overwrite each other, and refuses, before writing anything, inputs that
// would still end up in one file.
func TestAnnotateOutdirKeepsLayout(t *testing.T) {
	bounceA := readT(t, filepath.Join(corpusBounces, "lhost-postfix-10.eml"))
	bounceB := readT(t, filepath.Join(corpusBounces, "lhost-exim-07.eml"))
	annotated := func(raw []byte) string {
		out, stderr, code := runCmd(t, string(raw), "annotate")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		return out
	}
	wantA, wantB := annotated(bounceA), annotated(bounceB)
	root := t.TempDir()
	writeT(t, filepath.Join(root, "ca", "x.eml"), bounceA, 0o600)
	writeT(t, filepath.Join(root, "cb", "x.eml"), bounceB, 0o644)
	writeT(t, filepath.Join(root, "deep", "er", "y.eml"), bounceB, 0o644)
	t.Chdir(root)

	tests := []struct {
		name  string
		args  []string // after annotate --outdir out --force
		stdin []byte
		code  int
		want  map[string]string // output file below out -> content
	}{
		{"relative", []string{"ca/x.eml", "cb/x.eml"}, nil, 0,
			map[string]string{"ca/x.eml": wantA, "cb/x.eml": wantB}},
		{"absolute", []string{filepath.Join(root, "ca/x.eml"), filepath.Join(root, "cb/x.eml")}, nil, 0,
			map[string]string{"ca/x.eml": wantA, "cb/x.eml": wantB}},
		{"relative and absolute", []string{"ca/x.eml", filepath.Join(root, "deep/er/y.eml")}, nil, 0,
			map[string]string{"ca/x.eml": wantA, "deep/er/y.eml": wantB}},
		{"directories keep their names", []string{"ca", "cb"}, nil, 0,
			map[string]string{"ca/x.eml": wantA, "cb/x.eml": wantB}},
		{"one file lands at the top", []string{"deep/er/y.eml"}, nil, 0,
			map[string]string{"y.eml": wantB}},
		{"standard input", []string{"-", "ca/x.eml"}, bounceB, 0,
			map[string]string{"stdin.eml": wantB, "x.eml": wantA}},
		{"same file twice is refused", []string{"ca/x.eml", "ca/../ca/x.eml"}, nil, 2, nil},
		{"a file and its directory are refused", []string{"ca", "ca/x.eml"}, nil, 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			_, stderr, code := runCmd(t, string(tt.stdin), append([]string{"annotate", "--outdir", out, "--force"}, tt.args...)...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			if tt.code == 2 {
				if !strings.Contains(stderr, "nothing written") {
					t.Errorf("stderr %q does not say nothing was written", stderr)
				}
				if _, err := os.Stat(out); !os.IsNotExist(err) {
					t.Errorf("%s was created: %v", out, err)
				}
				return
			}
			var files []string
			if err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(out, p)
					files = append(files, filepath.ToSlash(rel))
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if len(files) != len(tt.want) {
				t.Errorf("files %v, want %d", files, len(tt.want))
			}
			for rel, want := range tt.want {
				if got, err := os.ReadFile(filepath.Join(out, rel)); err != nil || string(got) != want {
					t.Errorf("%s: wrong content or missing (%v)", rel, err)
				}
			}
		})
	}
	t.Run("output over its own input is refused", func(t *testing.T) {
		_, stderr, code := runCmd(t, "", "annotate", "--outdir", "ca", "--force", "ca/x.eml")
		if code != 2 || !strings.Contains(stderr, "over itself") || !bytes.Equal(readT(t, "ca/x.eml"), bounceA) {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("-o with a directory of two files is refused", func(t *testing.T) {
		writeT(t, filepath.Join(root, "two", "1.eml"), bounceA, 0o644)
		writeT(t, filepath.Join(root, "two", "2.eml"), bounceB, 0o644)
		_, stderr, code := runCmd(t, "", "annotate", "-o", "one.eml", "--force", "two")
		if _, err := os.Stat("one.eml"); code != 2 || !os.IsNotExist(err) {
			t.Errorf("exit %d, stderr %q, one.eml: %v", code, stderr, err)
		}
	})
	t.Run("output keeps the input's mode", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		if _, stderr, code := runCmd(t, "", "annotate", "--outdir", out, "ca/x.eml", "cb/x.eml"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		for rel, mode := range map[string]os.FileMode{"ca/x.eml": 0o600, "cb/x.eml": 0o644} {
			if st, err := os.Stat(filepath.Join(out, rel)); err != nil || st.Mode().Perm() != mode {
				t.Errorf("%s: mode %v, want %v (%v)", rel, st.Mode().Perm(), mode, err)
			}
		}
	})
}

// failWriter fails every write, as a closed pipe or a full disk would.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestAnnotateSummaryCountsWrites: the summary line counts what was
// written: messages whose file could not be written are failed, never
// annotated, and any failure gives exit status 1. Permission bits do not
// stop root, so the failures come from a regular file where a directory
// must be, a taken Maildir name and a failing standard output.
func TestAnnotateSummaryCountsWrites(t *testing.T) {
	root := t.TempDir()
	bounce := filepath.Join(root, "in", "ca", "x.eml")
	notice := filepath.Join(root, "in", "cb", "x.eml")
	writeT(t, bounce, readT(t, filepath.Join(corpusBounces, "lhost-postfix-10.eml")), 0o644)
	writeT(t, notice, readT(t, filepath.Join(corpusBounces, "rfc3464-28.eml")), 0o644) // a success notice
	mbox := filepath.Join(root, "in", "three.mbox")
	corpusMbox(t, mbox, "lhost-postfix-10.eml", "lhost-exim-07.eml", "rfc3464-28.eml") // 4 messages: rfc3464-28 holds 2
	regular := filepath.Join(root, "regular")
	writeT(t, regular, []byte("a file, not a directory\n"), 0o644)
	half := filepath.Join(root, "half")
	writeT(t, filepath.Join(half, "ca"), []byte("a file where out/ca/ must go\n"), 0o644)

	tests := []struct {
		name    string
		args    []string
		stdout  io.Writer
		code    int
		summary [4]int // messages, annotated, unchanged, failed; zero: no summary line
		errs    []string
	}{
		{"all written", []string{"--outdir", filepath.Join(root, "ok"), bounce, notice}, nil, 0, [4]int{2, 1, 1, 0}, nil},
		{"outdir is a regular file", []string{"--outdir", regular, bounce, notice}, nil, 1, [4]int{2, 0, 0, 2},
			[]string{bounce + ": not written: ", notice + ": not written: ", "not a directory"}},
		{"one of two outputs fails", []string{"--outdir", half, bounce, notice}, nil, 1, [4]int{2, 0, 1, 1},
			[]string{bounce + ": not written: cannot create directory " + filepath.Join(half, "ca")}},
		{"mbox not written", []string{"--outdir", regular, mbox}, nil, 1, [4]int{4, 0, 0, 4}, []string{mbox + ": not written: "}},
		{"-o below a regular file", []string{"-o", filepath.Join(regular, "out.eml"), bounce}, nil, 1, [4]int{1, 0, 0, 1}, []string{"not a directory"}},
		{"unreadable input", []string{"--outdir", filepath.Join(root, "ok2"), filepath.Join(root, "missing.eml"), bounce}, nil, 1, [4]int{2, 1, 0, 1},
			[]string{"missing.eml: cannot read: no such file or directory"}},
		{"dry run", []string{"--dry-run", mbox}, nil, 0, [4]int{4, 2, 2, 0}, nil},
		{"standard output fails", []string{bounce}, failWriter{}, 1, [4]int{}, []string{bounce + ": not written: cannot write to standard output: no space left on device"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout io.Writer = &bytes.Buffer{}
			if tt.stdout != nil {
				stdout = tt.stdout
			}
			var errb bytes.Buffer
			code := run(append([]string{"annotate"}, tt.args...), strings.NewReader(""), stdout, &errb)
			stderr := errb.String()
			if code != tt.code {
				t.Errorf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			if tt.summary != [4]int{} {
				if got := summaryCounts(t, stderr); got != tt.summary {
					t.Errorf("summary %v, want %v: %s", got, tt.summary, stderr)
				}
			}
			for _, want := range tt.errs {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
		})
	}
}
