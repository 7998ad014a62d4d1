package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRunOrdered: whatever order the workers finish in (later items here
// finish first), emit sees the results in the order of the items, and an
// emit that returns false stops the run after that item.
func TestRunOrdered(t *testing.T) {
	const n = 60
	items := func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
	work := func(i int) string {
		time.Sleep(time.Duration((n-i)%7) * 100 * time.Microsecond) // scramble the finishing order
		return fmt.Sprint(i)
	}
	var want []string
	for i := range n {
		want = append(want, fmt.Sprint(i))
	}
	tests := []struct {
		jobs   int
		stopAt int // emit returns false at this many results; 0: never
	}{
		{1, 0}, {2, 0}, {8, 0}, {n * 2, 0},
		{1, 5}, {3, 5}, {8, 1}, {8, n},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("jobs %d stop %d", tt.jobs, tt.stopAt), func(t *testing.T) {
			var got []string
			runOrdered(tt.jobs, items, work, func(s string) bool {
				got = append(got, s)
				return len(got) != tt.stopAt
			})
			w := want
			if tt.stopAt > 0 {
				w = want[:tt.stopAt]
			}
			if !slices.Equal(got, w) {
				t.Errorf("emitted %v, want %v", got, w)
			}
		})
	}
}

// batchRun is what one command run showed.
type batchRun struct {
	stdout, stderr string
	code           int
	files          map[string]string // the files below the output directory, by relative path
}

// TestJobsSameOutput: inspect and annotate over the corpus (every real
// bounce, the ordinary mail, an mbox, a file that cannot be read, standard
// input twice) give the same standard output, standard error, exit status
// and output files with many workers as with one.
func TestJobsSameOutput(t *testing.T) {
	root := t.TempDir()
	mbox := filepath.Join(root, "three.mbox")
	corpusMbox(t, mbox, "lhost-postfix-10.eml", "lhost-exim-07.eml", "rfc3464-28.eml")
	inputs := []string{corpusBounces, "../../testdata/corpus/sisimai/err", "../../testdata/corpus/normal/enmime",
		mbox, filepath.Join(root, "missing.eml"), "-", "-"}
	stdin := string(readT(t, filepath.Join(corpusBounces, "lhost-postfix-02.eml")))
	tests := []struct {
		name   string
		args   []string
		outdir bool // add --outdir DIR and compare the files written there
	}{
		{"inspect", []string{"inspect"}, false},
		{"inspect --json", []string{"inspect", "--json", "--lang", "zh-CN"}, false},
		{"annotate to stdout", []string{"annotate"}, false},
		{"annotate --dry-run", []string{"annotate", "--dry-run", "--lang", "auto"}, false},
		{"annotate --outdir", []string{"annotate", "--headers-only"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs := map[string]batchRun{}
			for _, jobs := range []string{"1", "4", "0"} {
				args := append(slices.Clone(tt.args), "--jobs", jobs)
				out := filepath.Join(root, tt.name, jobs)
				in := inputs
				if tt.outdir {
					args = append(args, "--outdir", out)
					in = inputs[:len(inputs)-1] // --outdir refuses to write stdin.eml twice
				}
				stdout, stderr, code := runCmd(t, stdin, append(args, in...)...)
				r := batchRun{stdout: stdout, stderr: strings.ReplaceAll(stderr, out, "OUT"), code: code}
				if tt.outdir {
					r.files = treeOf(t, out)
				}
				runs[jobs] = r
			}
			one := runs["1"]
			if one.code != 1 || !strings.Contains(one.stderr, "missing.eml: cannot read") || len(one.stdout)+len(one.files) == 0 {
				t.Fatalf("one worker: exit %d, stderr %.300q, %d bytes out, %d files: not the run meant", one.code, one.stderr, len(one.stdout), len(one.files))
			}
			for _, jobs := range []string{"4", "0"} {
				r := runs[jobs]
				if r.code != one.code {
					t.Errorf("--jobs %s: exit %d, with one worker %d", jobs, r.code, one.code)
				}
				if r.stdout != one.stdout {
					t.Errorf("--jobs %s: standard output differs from one worker's (%d bytes, %d)", jobs, len(r.stdout), len(one.stdout))
				}
				if r.stderr != one.stderr {
					t.Errorf("--jobs %s: standard error differs from one worker's:\n%s\nwant:\n%s", jobs, r.stderr, one.stderr)
				}
				if len(r.files) != len(one.files) {
					t.Errorf("--jobs %s: %d files written, with one worker %d", jobs, len(r.files), len(one.files))
				}
				for name, data := range one.files {
					if r.files[name] != data {
						t.Errorf("--jobs %s: %s differs from one worker's", jobs, name)
					}
				}
			}
		})
	}
}

// treeOf reads every regular file below dir.
func treeOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[rel] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestJobsFlag: --jobs takes a count; anything else is a usage error.
func TestJobsFlag(t *testing.T) {
	for _, cmd := range []string{"inspect", "annotate"} {
		_, stderr, code := runCmd(t, "", cmd, "--jobs", "many", sample)
		if code != 2 || !strings.Contains(stderr, "--jobs") {
			t.Errorf("%s --jobs many: exit %d, stderr %q; want a usage error naming --jobs", cmd, code, stderr)
		}
		if workers(0) < 1 || workers(3) != 3 {
			t.Errorf("workers(0) = %d, workers(3) = %d", workers(0), workers(3))
		}
		out, _, code := runCmd(t, "", cmd, "--jobs", "2", sample, sample)
		if code != 0 || bytes.Count([]byte(out), []byte("bob@example.net")) < 2 {
			t.Errorf("%s --jobs 2: exit %d, output %q", cmd, code, out)
		}
	}
}

// TestJobsInPlaceSameFile: --in-place over a file given twice and through
// a symlink rewrites it in turn, as one worker does (the second rewrite
// reads what the first wrote), with the same output and summary.
func TestJobsInPlaceSameFile(t *testing.T) {
	bounce := readT(t, filepath.Join(corpusBounces, "lhost-postfix-10.eml"))
	other := readT(t, filepath.Join(corpusBounces, "lhost-exim-07.eml"))
	root := t.TempDir()
	t.Chdir(root)
	runs := map[string]batchRun{}
	for _, jobs := range []string{"1", "4"} {
		dir := filepath.Join(root, jobs)
		writeT(t, filepath.Join(dir, "a.eml"), bounce, 0o644)
		writeT(t, filepath.Join(dir, "b.eml"), other, 0o644)
		if err := os.Symlink("a.eml", filepath.Join(dir, "link.eml")); err != nil {
			t.Fatal(err)
		}
		t.Chdir(dir)
		stdout, stderr, code := runCmd(t, "", "annotate", "--in-place", "--jobs", jobs, "a.eml", "link.eml", "b.eml", "a.eml")
		runs[jobs] = batchRun{stdout: stdout, stderr: stderr, code: code, files: treeOf(t, dir)}
	}
	one, four := runs["1"], runs["4"]
	if one.code != 0 || len(one.files) != 3 || one.files["a.eml"] == string(bounce) {
		t.Fatalf("one worker: exit %d, %d files, a.eml rewritten: %v; stderr %s", one.code, len(one.files), one.files["a.eml"] != string(bounce), one.stderr)
	}
	// link.eml and the second a.eml read what the first a.eml wrote:
	// already annotated, they are unchanged.
	if c := summaryCounts(t, one.stderr); c != [4]int{4, 2, 2, 0} {
		t.Errorf("summary %v, want 4 messages: 2 annotated, 2 unchanged (a.eml again, through the link and by name)", c)
	}
	if four.code != one.code || four.stdout != one.stdout || four.stderr != one.stderr {
		t.Errorf("--jobs 4: exit %d, stderr %q; one worker: exit %d, stderr %q", four.code, four.stderr, one.code, one.stderr)
	}
	for name, data := range one.files {
		if four.files[name] != data {
			t.Errorf("--jobs 4: %s differs from one worker's", name)
		}
	}
}

// tempNameRE matches the random part of a temporary file's name.
var tempNameRE = regexp.MustCompile(`(\.bouncenote-)\d+`)

// TestAnnotateCommitFailsMidBatch: when the rename of one file of a batch
// fails (a directory, or without --force a file, where its output goes),
// that file alone is not written: its temporary file is removed, the
// files before and after it in the same batch are written, and standard
// error shows each file's messages in input order, then the counts, with
// one worker as with four.
func TestAnnotateCommitFailsMidBatch(t *testing.T) {
	bounce := readT(t, filepath.Join(corpusBounces, "lhost-postfix-10.eml"))
	other := readT(t, filepath.Join(corpusBounces, "lhost-exim-07.eml"))
	notice := readT(t, filepath.Join(corpusBounces, "rfc3464-28.eml")) // a success notice: unchanged
	t.Chdir(t.TempDir())
	writeT(t, "in/a.eml", bounce, 0o644)
	writeT(t, "in/b.eml", other, 0o644)
	writeT(t, "in/c.eml", notice, 0o644)
	long := append([]byte("From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\n\n"), bytes.Repeat([]byte("x"), 2<<20)...)
	writeT(t, "in/d.eml", long, 0o644) // cannot be parsed: copied unchanged
	writeT(t, "in/e.eml", bounce, 0o600)
	wantA, _, _ := runCmd(t, "", "annotate", "in/a.eml")

	tests := []struct {
		name     string
		force    bool
		inTheWay map[string]bool // output name -> a directory (true) or a file (false) is there
		lines    []string        // regexps of the lines of standard error, in order
		summary  [4]int
	}{
		{"--force, a directory in the way", true, map[string]bool{"b.eml": true}, []string{
			`^bouncenote annotate: in/b\.eml: not written: cannot rename OUT/in/\.b\.eml\.bouncenote-\d+ to OUT/in/b\.eml: (file exists|is a directory)$`,
			`^bouncenote annotate: missing\.eml: cannot read: no such file or directory$`,
			`^bouncenote annotate: in/d\.eml: cannot parse, copied unchanged: `,
			`^bouncenote annotate: 6 message\(s\): 2 annotated, 1 unchanged, 3 failed$`,
		}, [4]int{6, 2, 1, 3}},
		{"no --force, a directory and a file in the way", false, map[string]bool{"b.eml": true, "e.eml": false}, []string{
			`^bouncenote annotate: in/b\.eml: not written: OUT/in/b\.eml exists \(use --force to overwrite\)$`,
			`^bouncenote annotate: missing\.eml: cannot read: no such file or directory$`,
			`^bouncenote annotate: in/d\.eml: cannot parse, copied unchanged: `,
			`^bouncenote annotate: in/e\.eml: not written: OUT/in/e\.eml exists \(use --force to overwrite\)$`,
			`^bouncenote annotate: 6 message\(s\): 1 annotated, 1 unchanged, 4 failed$`,
		}, [4]int{6, 1, 1, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderrs []string
			for _, jobs := range []string{"1", "4"} {
				out := filepath.Join(t.TempDir(), "out")
				for name, dir := range tt.inTheWay {
					p := filepath.Join(out, "in", name)
					if dir {
						p = filepath.Join(p, "keep")
					}
					writeT(t, p, []byte("someone else's\n"), 0o644)
				}
				// missing.eml, which has no file to commit, between two that have
				args := []string{"annotate", "--jobs", jobs, "--outdir", out, "in/a.eml", "in/b.eml", "in/c.eml", "missing.eml", "in/d.eml", "in/e.eml"}
				if tt.force {
					args = append(args, "--force")
				}
				_, stderr, code := runCmd(t, "", args...)
				stderr = strings.ReplaceAll(stderr, out, "OUT")
				stderrs = append(stderrs, tempNameRE.ReplaceAllString(stderr, "${1}N"))
				if code != 1 {
					t.Errorf("--jobs %s: exit %d, want 1", jobs, code)
				}
				lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
				if len(lines) != len(tt.lines) {
					t.Fatalf("--jobs %s: %d lines of standard error, want %d:\n%s", jobs, len(lines), len(tt.lines), stderr)
				}
				for i, re := range tt.lines {
					if !regexp.MustCompile(re).MatchString(lines[i]) {
						t.Errorf("--jobs %s: line %d is %q, want %s", jobs, i+1, lines[i], re)
					}
				}
				if got := summaryCounts(t, stderr); got != tt.summary {
					t.Errorf("--jobs %s: summary %v, want %v", jobs, got, tt.summary)
				}
				noTemporaries(t, filepath.Join(out, "in"))
				if got := string(readT(t, filepath.Join(out, "in", "a.eml"))); got != wantA {
					t.Errorf("--jobs %s: a.eml, before the failure, not written or wrong", jobs)
				}
				if got := readT(t, filepath.Join(out, "in", "d.eml")); !bytes.Equal(got, long) {
					t.Errorf("--jobs %s: d.eml, after the failure, not copied", jobs)
				}
				for name, dir := range tt.inTheWay {
					p := filepath.Join(out, "in", name)
					if dir {
						p = filepath.Join(p, "keep")
					}
					if got := string(readT(t, p)); got != "someone else's\n" {
						t.Errorf("--jobs %s: %s was changed", jobs, p)
					}
				}
				if _, ok := tt.inTheWay["e.eml"]; !ok {
					if st, err := os.Stat(filepath.Join(out, "in", "e.eml")); err != nil || st.Mode().Perm() != 0o600 {
						t.Errorf("--jobs %s: e.eml, after the failure, not written with its input's mode: %v", jobs, err)
					}
				}
			}
			if stderrs[0] != stderrs[1] {
				t.Errorf("--jobs 4: standard error differs from one worker's:\n%s\nwant:\n%s", stderrs[1], stderrs[0])
			}
		})
	}
}
