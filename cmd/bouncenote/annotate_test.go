package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const exampleBounces = "../../examples/bounces"

// TestAnnotateExamples runs the command on each example and compares with
// the committed outputs, so the files are what the tool writes.
func TestAnnotateExamples(t *testing.T) {
	outs, err := filepath.Glob(filepath.Join(exampleBounces, "*.en.eml"))
	if err != nil || len(outs) < 6 {
		t.Fatalf("only %d example outputs (%v)", len(outs), err)
	}
	for _, en := range outs {
		in := strings.TrimSuffix(en, ".en.eml") + ".eml"
		for _, lang := range []string{"en", "zh-CN"} {
			t.Run(filepath.Base(in)+"/"+lang, func(t *testing.T) {
				want, err := os.ReadFile(strings.TrimSuffix(in, ".eml") + "." + lang + ".eml")
				if err != nil {
					t.Fatal(err)
				}
				out, stderr, code := runCmd(t, "", "annotate", "--lang", lang, in)
				if code != 0 || stderr != "" {
					t.Fatalf("exit %d, stderr %q", code, stderr)
				}
				if out != string(want) {
					t.Errorf("output differs from the committed example")
				}
			})
		}
	}
}

func readT(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeT(t *testing.T, p string, b []byte, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, mode); err != nil {
		t.Fatal(err)
	}
}

var ordinary = []byte("From: a@example.org\nTo: b@example.org\nSubject: lunch\n\nSee you at noon.\n")

func TestAnnotateStdin(t *testing.T) {
	bounce := readT(t, sample)
	out, _, code := runCmd(t, string(bounce), "annotate")
	if code != 0 || !strings.HasPrefix(out, "X-Bounce-Reason: ") {
		t.Fatalf("exit %d, output starts %q", code, out[:min(len(out), 40)])
	}
	out, _, code = runCmd(t, string(ordinary), "annotate", "-")
	if code != 0 || out != string(ordinary) {
		t.Errorf("ordinary mail changed (exit %d)", code)
	}
	if _, _, code = runCmd(t, "", "annotate", "--lang", "fr"); code != 2 {
		t.Errorf("--lang fr: exit %d, want 2", code)
	}
}

func TestAnnotateInPlace(t *testing.T) {
	dir := t.TempDir()
	bounce, plain := filepath.Join(dir, "b.eml"), filepath.Join(dir, "p.eml")
	writeT(t, bounce, readT(t, sample), 0o640)
	writeT(t, plain, ordinary, 0o600)
	_, stderr, code := runCmd(t, "", "annotate", "--in-place", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := readT(t, bounce); !bytes.HasPrefix(got, []byte("X-Bounce-Reason: ")) {
		t.Errorf("bounce not annotated in place")
	}
	if st, _ := os.Stat(bounce); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", st.Mode().Perm())
	}
	if !bytes.Equal(readT(t, plain), ordinary) {
		t.Errorf("ordinary mail changed")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("%d files left in the directory, want 2 (no temporary files)", len(ents))
	}
	before := readT(t, bounce)
	if _, _, code = runCmd(t, "", "annotate", "--in-place", bounce); code != 0 || !bytes.Equal(readT(t, bounce), before) {
		t.Errorf("second --in-place run changed the file (exit %d)", code)
	}
}

func TestAnnotateOutdirLayout(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	bounce := readT(t, sample)
	md := filepath.Join(src, "Maildir")
	writeT(t, filepath.Join(md, "cur", "1.host:2,S"), bounce, 0o600)
	writeT(t, filepath.Join(md, "new", "2.host"), ordinary, 0o600)
	if err := os.MkdirAll(filepath.Join(md, "tmp"), 0o700); err != nil {
		t.Fatal(err)
	}
	mbox := append(append([]byte("From MAILER-DAEMON Tue Mar  3 10:15:02 2026\n"), bounce...),
		append([]byte("\nFrom a@example.org Tue Mar  3 11:00:00 2026\n"), ordinary...)...)
	writeT(t, filepath.Join(src, "inbox.mbox"), mbox, 0o600)

	_, stderr, code := runCmd(t, "", "annotate", "--outdir", out, md, filepath.Join(src, "inbox.mbox"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := readT(t, filepath.Join(out, "Maildir", "cur", "1.host:2,S")); !bytes.HasPrefix(got, []byte("X-Bounce-")) {
		t.Errorf("Maildir bounce not annotated")
	}
	if got := readT(t, filepath.Join(out, "Maildir", "new", "2.host")); !bytes.Equal(got, ordinary) {
		t.Errorf("Maildir ordinary mail changed")
	}
	if st, err := os.Stat(filepath.Join(out, "Maildir", "tmp")); err != nil || !st.IsDir() {
		t.Errorf("Maildir tmp/ missing")
	}
	got := readT(t, filepath.Join(out, "inbox.mbox"))
	if !bytes.HasPrefix(got, []byte("From MAILER-DAEMON Tue Mar  3 10:15:02 2026\nX-Bounce-Reason: ")) {
		t.Errorf("mbox first message not annotated after its From line")
	}
	if !bytes.HasSuffix(got, append([]byte("\nFrom a@example.org Tue Mar  3 11:00:00 2026\n"), ordinary...)) {
		t.Errorf("mbox second message or its From line changed")
	}
	_, stderr, code = runCmd(t, "", "annotate", "--outdir", out, md)
	if code != 1 || !strings.Contains(stderr, "exists") {
		t.Errorf("rerun without --force: exit %d, stderr %q", code, stderr)
	}
	if _, _, code = runCmd(t, "", "annotate", "--outdir", out, "--force", md); code != 0 {
		t.Errorf("rerun with --force: exit %d", code)
	}
}

func TestAnnotateOutputFile(t *testing.T) {
	dir := t.TempDir()
	dst := filepath.Join(dir, "out.eml")
	writeT(t, dst, []byte("keep me"), 0o644)
	_, stderr, code := runCmd(t, "", "annotate", "-o", dst, sample)
	if code != 1 || string(readT(t, dst)) != "keep me" {
		t.Fatalf("-o over an existing file: exit %d, stderr %q", code, stderr)
	}
	if _, _, code = runCmd(t, "", "annotate", "-o", dst, "--force", sample); code != 0 {
		t.Fatalf("-o --force: exit %d", code)
	}
	if !bytes.HasPrefix(readT(t, dst), []byte("X-Bounce-Reason: ")) {
		t.Errorf("-o output not annotated")
	}
	if _, _, code = runCmd(t, "", "annotate", "-o", dst, "--in-place", sample); code != 2 {
		t.Errorf("-o with --in-place: exit %d, want 2", code)
	}
}

func TestAnnotateUnparseable(t *testing.T) {
	dir := t.TempDir()
	long := append([]byte("From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\n\n"), bytes.Repeat([]byte("x"), 2<<20)...)
	p := filepath.Join(dir, "long.eml")
	writeT(t, p, long, 0o644)
	out, stderr, code := runCmd(t, "", "annotate", p, sample)
	if code != 1 || !strings.Contains(stderr, "copied unchanged") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.HasPrefix(out, string(long)) || !strings.Contains(out[len(long):], "X-Bounce-Reason: ") {
		t.Errorf("unparseable message not copied through, or the next one not annotated")
	}
}

func TestAnnotateDryRun(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "b.eml")
	writeT(t, p, readT(t, sample), 0o644)
	out, _, code := runCmd(t, "", "annotate", "--dry-run", "--in-place", p)
	if code != 0 || !strings.Contains(out, "would annotate failure") {
		t.Fatalf("exit %d, output %q", code, out)
	}
	if !bytes.Equal(readT(t, p), readT(t, sample)) {
		t.Errorf("--dry-run wrote the file")
	}
}

func TestAnnotateCatalog(t *testing.T) {
	dir := t.TempDir()
	custom := filepath.Join(dir, "site.yaml")
	writeT(t, custom, []byte(`entries:
  - id: site.user-unknown
    match: {status: ["5.1.1"], text: ["User unknown"]}
    reason: userunknown
    permanent: true
    who: sender
    en: {title: "Nobody of that name here", explanation: "Our directory has no such person.", remedy: "Call the helpdesk on 1234."}
    zh-CN: {title: "查无此人", explanation: "通讯录中没有此人。", remedy: "请致电服务台 1234。"}
`), 0o644)
	out, stderr, code := runCmd(t, "", "annotate", "--catalog", custom, sample)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "X-Bounce-Remedy: Call the helpdesk on 1234.") || !strings.Contains(out, "Nobody of that name here") {
		t.Errorf("custom entry not used:\n%s", out[:min(len(out), 600)])
	}
	bad := filepath.Join(dir, "bad.yaml")
	writeT(t, bad, []byte("entries:\n  - id: [broken\n"), 0o644)
	out, stderr, code = runCmd(t, "", "annotate", "--catalog", bad, sample)
	if code != 2 || out != "" || !strings.Contains(stderr, "bad.yaml") {
		t.Errorf("invalid catalog: exit %d, stdout %d bytes, stderr %q", code, len(out), stderr)
	}
}
