package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTerminal is a standard error that says it is a terminal (or not).
type fakeTerminal struct {
	bytes.Buffer
	tty bool
}

func (f *fakeTerminal) IsTerminal() bool { return f.tty }

// progressInputs writes an mbox of n ordinary messages and returns it with
// a bounce file: n+1 messages, of which the bar knows two (the files)
// until the mbox is read.
func progressInputs(t *testing.T, n int) []string {
	t.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "From bob@example.org Thu Jan  1 00:00:00 2026\nFrom: bob@example.org\nTo: alice@example.org\nSubject: note %d\n\nHello.\n\n", i)
	}
	mbox := filepath.Join(t.TempDir(), "box")
	if err := os.WriteFile(mbox, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{mbox, "../../examples/bounces/user-unknown.eml"}
}

// catalogDir writes n catalog files, the one named bad invalid.
func catalogDir(t *testing.T, n int, bad int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		body := strings.NewReplacer("site.user-unknown", fmt.Sprintf("site.e%03d", i), "EXT", "1234").Replace(siteCatalog)
		if i == bad {
			body = "entries: [ {id: broken"
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%03d.yaml", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestProgress runs inspect, annotate and catalog check over more and
// fewer items than progressThreshold, with a fake terminal as standard
// error and with a plain writer: the bar and the summary line appear only
// on a terminal and only for a large run.
func TestProgress(t *testing.T) {
	many := progressInputs(t, progressThreshold+49) // 250 messages with the bounce
	few := progressInputs(t, 1)
	goodCats := catalogDir(t, progressThreshold+1, -1)
	badCats := catalogDir(t, progressThreshold+1, 7)
	tests := []struct {
		name    string
		args    []string
		tty     bool
		status  int
		bar     string // in stderr when the bar is drawn; "" for no bar
		summary string // the last line of stderr; "" for an empty stderr
		stdout  string // in stdout
	}{
		{"inspect, terminal, many", append([]string{"inspect"}, many...), true, 0, "/250",
			"bouncenote inspect: 250 message(s): 1 bounce(s), 249 not a bounce, 0 failed", "user-unknown.eml: failure"},
		{"inspect, no terminal, many", append([]string{"inspect"}, many...), false, 0, "", "", "user-unknown.eml: failure"},
		{"inspect, terminal, few", append([]string{"inspect"}, few...), true, 0, "", "", "user-unknown.eml: failure"},
		{"inspect --json, terminal, missing file", append([]string{"inspect", "--json", "no-such.eml"}, many...), true, 1, "/251",
			"bouncenote inspect: 251 message(s): 1 bounce(s), 249 not a bounce, 1 failed", `"error"`},
		{"annotate, terminal, many", append([]string{"annotate"}, many...), true, 0, "/250",
			"bouncenote annotate: 250 message(s): 1 annotated, 249 unchanged, 0 failed", "X-Bounce-Reason: userunknown"},
		{"annotate, no terminal, many", append([]string{"annotate"}, many...), false, 0, "", "", "X-Bounce-Reason: userunknown"},
		{"annotate --dry-run, terminal, few", append([]string{"annotate", "--dry-run"}, few...), true, 0, "",
			"bouncenote annotate: 2 message(s): 1 to annotate, 1 unchanged, 0 failed", "would annotate"},
		{"catalog check, terminal, many", []string{"catalog", "check", goodCats}, true, 0, "/201",
			"bouncenote catalog check: 201 file(s): 201 loaded, 0 failed", "ok: 201 entries"},
		{"catalog check, terminal, one bad", []string{"catalog", "check", badCats}, true, 2, "/201",
			"bouncenote catalog check: 201 file(s): 200 loaded, 1 failed", ""},
		{"catalog check, no terminal, many", []string{"catalog", "check", goodCats}, false, 0, "", "", "ok: 201 entries"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stderr := &fakeTerminal{tty: tc.tty}
			var stdout bytes.Buffer
			status := run(tc.args, strings.NewReader(""), &stdout, stderr)
			errOut := stderr.String()
			if status != tc.status {
				t.Errorf("status %d, want %d; stderr:\n%s", status, tc.status, errOut)
			}
			if !strings.Contains(stdout.String(), tc.stdout) {
				t.Errorf("stdout lacks %q", tc.stdout)
			}
			drawn := strings.Contains(errOut, "\r")
			if drawn != (tc.bar != "") || !strings.Contains(errOut, tc.bar) {
				t.Errorf("bar drawn %v, want %q in stderr:\n%q", drawn, tc.bar, errOut)
			}
			lines := strings.Split(strings.TrimRight(errOut, "\n"), "\n")
			last := lines[len(lines)-1]
			if i := strings.LastIndexByte(last, '\r'); i >= 0 { // after the erased bar
				last = last[i+1:]
			}
			last = strings.TrimLeft(last, " ")
			if tc.summary == "" && strings.Contains(tc.name, "no terminal") && errOut != "" {
				t.Errorf("stderr %q, want nothing without a terminal", errOut)
			}
			if tc.summary != "" && last != tc.summary {
				t.Errorf("last stderr line %q, want %q", last, tc.summary)
			}
		})
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tests := []struct {
		name string
		w    interface{ Write([]byte) (int, error) }
		want bool
	}{
		{"fake terminal", &fakeTerminal{tty: true}, true},
		{"fake non-terminal", &fakeTerminal{}, false},
		{"regular file", f, false},
		{"buffer", &bytes.Buffer{}, false},
	}
	for _, tc := range tests {
		if got := isTerminal(tc.w); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
