package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const sample = "../../examples/bounces/user-unknown.eml"

func runCmd(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func decodeLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var res []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var o map[string]any
		if err := json.Unmarshal([]byte(line), &o); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		res = append(res, o)
	}
	return res
}

func TestInspectJSONKeys(t *testing.T) {
	out, stderr, code := runCmd(t, "", "inspect", "--json", sample)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	objs := decodeLines(t, out)
	if len(objs) != 1 {
		t.Fatalf("%d objects", len(objs))
	}
	o := objs[0]
	for _, k := range []string{"file", "kind", "reporting_mta", "original", "recipients"} {
		if _, ok := o[k]; !ok {
			t.Errorf("key %q missing", k)
		}
	}
	orig := o["original"].(map[string]any)
	for _, k := range []string{"message_id", "subject", "from", "to"} {
		if _, ok := orig[k]; !ok {
			t.Errorf("original key %q missing", k)
		}
	}
	rc := o["recipients"].([]any)[0].(map[string]any)
	var keys []string
	for k := range rc {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range []string{"recipient", "original_recipient", "action", "status", "reply_code", "reason",
		"hard_bounce", "diagnostic_type", "diagnostic", "remote_mta", "command"} {
		if _, ok := rc[k]; !ok {
			t.Errorf("recipient key %q missing (have %v)", k, keys)
		}
	}
	if o["file"] != sample || o["kind"] != "failure" || rc["recipient"] != "bob@example.net" || rc["status"] != "5.1.1" ||
		rc["reply_code"] != "550" || rc["command"] != "RCPT" {
		t.Errorf("unexpected result %v", o)
	}
}

func TestInspectInputs(t *testing.T) {
	raw, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	md := filepath.Join(dir, "Maildir")
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(md, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p string, b []byte) {
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(md, "cur", "1.host:2,S"), raw)
	write(filepath.Join(md, "new", "2.host"), []byte("From: a@example.net\nSubject: hi\n\nFrom here on\n"))
	write(filepath.Join(md, "tmp", "3.host"), raw)
	mbox := filepath.Join(dir, "box")
	write(mbox, []byte("From MAILER-DAEMON Tue Mar  3 10:15:02 2026\n"+string(raw)+"\n"+
		"From a@example.net Tue Mar  3 10:15:02 2026\nFrom: a@example.net\nSubject: hi\n\n>From the start\n"))
	tests := []struct {
		name  string
		args  []string
		stdin string
		files []string
		kinds []string
	}{
		{"stdin", []string{"-"}, string(raw), []string{"-"}, []string{"failure"}},
		{"maildir cur then new, not tmp", []string{md}, "", []string{filepath.Join(md, "cur", "1.host:2,S"), filepath.Join(md, "new", "2.host")}, []string{"failure", "none"}},
		{"mbox", []string{mbox}, "", []string{mbox + "#1", mbox + "#2"}, []string{"failure", "none"}},
		{"directory", []string{filepath.Dir(sample)}, "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCmd(t, tt.stdin, append([]string{"inspect", "--json"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			objs := decodeLines(t, out)
			if tt.files == nil {
				if len(objs) < 2 {
					t.Errorf("directory gave %d messages", len(objs))
				}
				return
			}
			if len(objs) != len(tt.files) {
				t.Fatalf("got %d objects, want %d: %s", len(objs), len(tt.files), out)
			}
			for i, o := range objs {
				if o["file"] != tt.files[i] || o["kind"] != tt.kinds[i] {
					t.Errorf("object %d: file %v kind %v, want %s %s", i, o["file"], o["kind"], tt.files[i], tt.kinds[i])
				}
			}
		})
	}
}

func TestInspectUnreadable(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.eml")
	out, stderr, code := runCmd(t, "", "inspect", "--json", missing, sample)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	objs := decodeLines(t, out)
	if len(objs) != 2 {
		t.Fatalf("%d objects, want 2", len(objs))
	}
	if objs[0]["kind"] != "none" || objs[0]["error"] == nil || objs[0]["file"] != missing {
		t.Errorf("unreadable file gave %v", objs[0])
	}
	if objs[1]["kind"] != "failure" {
		t.Errorf("second file not processed: %v", objs[1])
	}
	if !strings.Contains(stderr, missing) {
		t.Errorf("stderr %q does not name the file", stderr)
	}
}

func TestInspectHuman(t *testing.T) {
	out, _, code := runCmd(t, "", "inspect", sample)
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{sample + ": failure (rfc3464)", "bob@example.net  failed  5.1.1  reply 550  at RCPT", "Quarterly figures"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestSplitMbox(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"not an mbox", "Subject: x\n\nFrom here\n", 0},
		{"one message", "From a Tue\nSubject: x\n\nbody\n", 1},
		{"From inside a paragraph is not a separator", "From a Tue\nSubject: x\n\nline\nFrom b Tue\n", 1},
		{"two messages", "From a Tue\nSubject: x\n\nbody\n\nFrom b Tue\nSubject: y\n\nbody\n", 2},
		{"CRLF", "From a Tue\r\nSubject: x\r\n\r\nbody\r\n\r\nFrom b Tue\r\nSubject: y\r\n\r\nbody\r\n", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(splitMbox([]byte(tt.in))); got != tt.want {
				t.Errorf("%d messages, want %d", got, tt.want)
			}
		})
	}
}
