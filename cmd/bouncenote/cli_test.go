package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// singleDashLong finds a long flag written with one dash (-lang): help
// texts use one style, --lang.
var singleDashLong = regexp.MustCompile(`(^|[^-\w])-[a-zA-Z]{2,}`)

// repeatedPrefix finds "annotate: annotate: " or "bouncenote annotate:
// annotate: " in a message.
func repeatedPrefix(msg string) string {
	for _, line := range strings.Split(msg, "\n") {
		parts := strings.Split(line, ": ")
		for i := 1; i < len(parts); i++ {
			if p := parts[i-1]; p == parts[i] || p == "bouncenote "+parts[i] {
				return p + ": " + parts[i] + ": "
			}
		}
	}
	return ""
}

func TestHelp(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // start of stdout
	}{
		{"-h", []string{"-h"}, "usage: bouncenote COMMAND"},
		{"--help", []string{"--help"}, "usage: bouncenote COMMAND"},
		{"help", []string{"help"}, "usage: bouncenote COMMAND"},
		{"help help", []string{"help", "help"}, "usage: bouncenote COMMAND"},
		{"catalog help", []string{"catalog", "help"}, "usage: bouncenote catalog check"},
		{"catalog check -h", []string{"catalog", "check", "-h"}, "usage: bouncenote catalog check"},
		{"catalog list --help", []string{"catalog", "list", "--help"}, "usage: bouncenote catalog list"},
		{"help catalog list", []string{"help", "catalog", "list"}, "usage: bouncenote catalog list"},
		{"-h after arguments", []string{"annotate", sample, "-h"}, "usage: bouncenote annotate"},
	}
	for _, c := range []string{"inspect", "explain", "annotate", "catalog", "milter", "version"} {
		want := "usage: bouncenote " + c
		tests = append(tests,
			struct {
				name string
				args []string
				want string
			}{"help " + c, []string{"help", c}, want},
			struct {
				name string
				args []string
				want string
			}{c + " -h", []string{c, "-h"}, want},
			struct {
				name string
				args []string
				want string
			}{c + " --help", []string{c, "--help"}, want},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCmd(t, "", tt.args...)
			if code != 0 || stderr != "" {
				t.Errorf("exit %d, stderr %q; want 0 and nothing", code, stderr)
			}
			if !strings.HasPrefix(out, tt.want) {
				t.Errorf("stdout does not start with %q:\n%s", tt.want, out)
			}
			if m := singleDashLong.FindString(out); m != "" {
				t.Errorf("help writes a long flag with one dash (%q):\n%s", m, out)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"no command", nil, "bouncenote: no command given"},
		{"unknown command", []string{"frob"}, `bouncenote: unknown command "frob"`},
		{"help for an unknown command", []string{"help", "frob"}, `unknown command "frob"`},
		{"inspect without PATH", []string{"inspect"}, "bouncenote inspect: no PATH given"},
		{"unknown flag", []string{"inspect", "--frob", sample}, "bouncenote inspect: flag provided but not defined: --frob"},
		{"explain without words", []string{"explain"}, "bouncenote explain: nothing to explain"},
		{"bad boolean", []string{"explain", "--json=maybe", "550"}, "--json"},
		{"flag without its value", []string{"annotate", sample, "-o"}, "flag needs an argument: -o"},
		{"exclusive outputs", []string{"annotate", "-o", "x.eml", "--in-place", sample}, "-o, --in-place and --outdir exclude each other"},
		{"-o with two inputs", []string{"annotate", sample, sample, "-o", "x.eml"}, "-o takes exactly one input"},
		{"catalog alone", []string{"catalog"}, "bouncenote catalog: no subcommand given"},
		{"catalog subcommand", []string{"catalog", "frob"}, `unknown subcommand "frob"`},
		{"catalog check without FILE", []string{"catalog", "check"}, "bouncenote catalog check: no FILE given"},
		{"catalog list argument", []string{"catalog", "list", "extra"}, `unexpected argument "extra"`},
		{"milter argument", []string{"milter", "--listen", "inet:127.0.0.1:8891", "extra"}, `bouncenote milter: unexpected argument "extra"`},
		{"version argument", []string{"version", "extra"}, `bouncenote version: unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCmd(t, "", tt.args...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
			if !strings.Contains(stderr, "usage: bouncenote") {
				t.Errorf("stderr has no usage line:\n%s", stderr)
			}
		})
	}
}

// Flags after the other arguments work as before them, in every command.
func TestFlagsAfterArguments(t *testing.T) {
	const site = "../../catalog/testdata/site/helpdesk.yaml"
	tests := []struct {
		name          string
		before, after []string
	}{
		{"inspect", []string{"inspect", "--json", "--lang", "zh-CN", sample}, []string{"inspect", sample, "--json", "--lang", "zh-CN"}},
		{"inspect between paths", []string{"inspect", "--json", sample, sample}, []string{"inspect", sample, "--json", sample}},
		{"explain", []string{"explain", "--lang", "zh-CN", "--final", "4.2.2", "mailbox", "full"}, []string{"explain", "4.2.2", "mailbox", "full", "--final", "--lang", "zh-CN"}},
		{"annotate", []string{"annotate", "--lang", "zh-CN", "--headers-only", sample}, []string{"annotate", sample, "--lang", "zh-CN", "--headers-only"}},
		{"annotate dry run", []string{"annotate", "--dry-run", sample}, []string{"annotate", sample, "--dry-run"}},
		{"catalog check", []string{"catalog", "check", "--standalone", site}, []string{"catalog", "check", site, "--standalone"}},
		{"catalog list", []string{"catalog", "list", "--json", "--catalog", site}, []string{"catalog", "list", "--catalog", site, "--json"}},
		{"milter", []string{"milter", "--check-config", "--listen", "unix:/run/x.sock"}, []string{"milter", "--listen", "unix:/run/x.sock", "--check-config"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, wantErr, wantCode := runCmd(t, "", tt.before...)
			got, gotErr, gotCode := runCmd(t, "", tt.after...)
			if wantCode != 0 || gotCode != 0 || want == "" {
				t.Fatalf("exit %d (%q) and %d (%q), want 0", wantCode, wantErr, gotCode, gotErr)
			}
			if got != want || gotErr != wantErr {
				t.Errorf("flags after the arguments give another result:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// annotate x.eml -o out.eml writes out.eml and nothing to stdout (it used
// to print the message, then read -o as a file name); standard error has
// only the summary line.
func TestAnnotateOutputFlagLast(t *testing.T) {
	dir := t.TempDir()
	first, last := filepath.Join(dir, "first.eml"), filepath.Join(dir, "last.eml")
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"-o first", []string{"annotate", "-o", first, sample}},
		{"-o last", []string{"annotate", sample, "-o", last}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCmd(t, "", tt.args...)
			if want := "bouncenote annotate: 1 message(s): 1 annotated, 0 unchanged, 0 failed\n"; code != 0 || out != "" || stderr != want {
				t.Errorf("exit %d, stdout %d bytes, stderr %q; want 0, nothing and %q", code, len(out), stderr, want)
			}
		})
	}
	if a, b := readT(t, first), readT(t, last); len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("-o before and after the file name wrote different files")
	}
	if _, _, code := runCmd(t, "", "annotate", "--", "-o"); code != 1 {
		t.Errorf("after --, -o is a file name (that does not exist): exit %d, want 1", code)
	}
}

func TestUnknownLang(t *testing.T) {
	const both, withAuto = "supported: en, zh-CN\n", "supported: en, zh-CN, auto\n"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"inspect", []string{"inspect", "--lang", "fr", sample}, both},
		{"explain", []string{"explain", "--lang", "fr", "550"}, both},
		{"explain auto", []string{"explain", "--lang", "auto", "550"}, both},
		{"catalog list", []string{"catalog", "list", "--lang", "fr"}, both},
		{"annotate", []string{"annotate", "--lang", "fr", sample}, withAuto},
		{"milter", []string{"milter", "--lang", "fr", "--listen", "unix:/run/x.sock", "--check-config"}, withAuto},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCmd(t, "", tt.args...)
			if code != 2 || out != "" {
				t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
			}
			bad := tt.args[slices.Index(tt.args, "--lang")+1]
			if !strings.Contains(stderr, `invalid value "`+bad+`" for flag --lang: unsupported language "`+bad+`"; `+tt.want) {
				t.Errorf("stderr does not list the languages:\n%s", stderr)
			}
		})
	}
	t.Run("milter from the environment", func(t *testing.T) {
		var out bytes.Buffer
		code := milterMain([]string{"--check-config", "--listen", "unix:/run/x.sock"}, envOf(map[string]string{"BOUNCENOTE_LANG": "fr"}), &out, &out, nil, nil)
		if code != 2 || !strings.Contains(out.String(), withAuto) {
			t.Errorf("exit %d, output %q", code, out.String())
		}
	})
	t.Run("aliases", func(t *testing.T) {
		for _, l := range []string{"EN", "en-GB", "zh", "zh_CN", "zh-Hans"} {
			if _, stderr, code := runCmd(t, "", "explain", "--lang", l, "550"); code != 0 {
				t.Errorf("--lang %s: exit %d: %s", l, code, stderr)
			}
		}
	})
}

func TestErrorMessages(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.eml")
	long := filepath.Join(dir, "long.eml")
	writeT(t, long, append([]byte("From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail\n\n"), bytes.Repeat([]byte("x"), 2<<20)...), 0o644)
	typo := filepath.Join(dir, "typo.yaml")
	writeT(t, typo, []byte("entries:\n  - id: site.typo\n    match: {stauts: [\"5.1.1\"]}\n"), 0o644)
	tests := []struct {
		name   string
		args   []string
		code   int
		want   string // the start of stderr, which has one line
		stdout bool   // stdout may have output
	}{
		{"annotate missing file", []string{"annotate", missing}, 1, "bouncenote annotate: " + missing + ": cannot read: no such file or directory\n", false},
		{"annotate unparseable", []string{"annotate", long}, 1, "bouncenote annotate: " + long + ": cannot parse, copied unchanged: line ", true},
		{"inspect missing file", []string{"inspect", missing}, 1, "bouncenote inspect: " + missing + ": cannot read: no such file or directory\n", false},
		{"inspect unparseable", []string{"inspect", long}, 1, "bouncenote inspect: " + long + ": line ", false},
		{"catalog typo", []string{"catalog", "check", typo}, 2, typo + `:3: unknown field "stauts" in match (known fields: reply, status, text, regexp, host, reason, command)` + "\n", false},
		{"milter bad catalog", []string{"milter", "--check-config", "--listen", "unix:/run/x.sock", "--catalog", typo}, 2,
			"bouncenote milter: " + typo + `:3: unknown field "stauts" in match (known fields: reply, status, text, regexp, host, reason, command)` + "\n", false},
		{"milter bad option", []string{"milter", "--check-config", "--listen", "tcp:1"}, 2, "bouncenote milter: bad listen address \"tcp:1\": unknown transport \"tcp\" (want unix or inet)\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCmd(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if !strings.HasPrefix(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("stderr\n%q\nwant one line starting\n%q", stderr, tt.want)
			}
			// Printed once, with the file named once and no package names.
			if name := tt.args[len(tt.args)-1]; strings.Count(stderr+out, name) > 1 && !tt.stdout {
				t.Errorf("%s named more than once:\n%s%s", name, out, stderr)
			}
			_, msg, _ := strings.Cut(stderr, ": ") // after "bouncenote CMD: "
			for _, pkg := range []string{"dsn:", "annotate:", "milter:", "catalog.", "in type"} {
				if strings.Contains(msg, pkg) {
					t.Errorf("stderr names an internal package or type (%q)", pkg)
				}
			}
			if m := repeatedPrefix(stderr); m != "" {
				t.Errorf("repeated prefix %q", m)
			}
			if !tt.stdout && out != "" {
				t.Errorf("the error reached stdout too:\n%s", out)
			}
		})
	}
}

func TestSkippedSubdirectories(t *testing.T) {
	dir := t.TempDir()
	raw := readT(t, sample)
	writeT(t, filepath.Join(dir, "mail", "a.eml"), raw, 0o644)
	writeT(t, filepath.Join(dir, "mail", "sub", "b.eml"), raw, 0o644)
	writeT(t, filepath.Join(dir, "mail", ".hidden", "c.eml"), raw, 0o644)
	writeT(t, filepath.Join(dir, "md", "cur", "a.eml"), raw, 0o644)
	writeT(t, filepath.Join(dir, "md", "cur", "nested", "b.eml"), raw, 0o644)
	if err := os.MkdirAll(filepath.Join(dir, "md", "new"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		skipped string
	}{
		{"inspect directory", []string{"inspect", filepath.Join(dir, "mail")}, filepath.Join(dir, "mail", "sub")},
		{"inspect Maildir", []string{"inspect", "--json", filepath.Join(dir, "md")}, filepath.Join(dir, "md", "cur", "nested")},
		{"annotate directory", []string{"annotate", "--dry-run", filepath.Join(dir, "mail")}, filepath.Join(dir, "mail", "sub")},
		{"annotate Maildir", []string{"annotate", "--dry-run", filepath.Join(dir, "md")}, filepath.Join(dir, "md", "cur", "nested")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCmd(t, "", tt.args...)
			if code != 0 {
				t.Errorf("exit %d: %s", code, stderr)
			}
			want := tt.skipped + ": subdirectory skipped"
			if !strings.Contains(stderr, want) || strings.Count(stderr, "skipped") != 1 {
				t.Errorf("stderr lacks one warning %q:\n%s", want, stderr)
			}
			if strings.Contains(stderr, ".hidden") || strings.Contains(out, "b.eml") {
				t.Errorf("a subdirectory was read, or a hidden one named:\n%s\n%s", out, stderr)
			}
		})
	}
}

func TestExplainSaysWhenGeneral(t *testing.T) {
	const words = "No entry matches these words; this is the general explanation.\n\n"
	const code = "No entry is written for this code; this is the general explanation of its class.\n\n"
	tests := []struct {
		name string
		args []string
		want string // the first line, or "" for none of the two
	}{
		{"unknown words", []string{"hello", "world"}, words},
		{"a code and unknown words", []string{"550", "hello"}, words},
		{"unknown words in Chinese", []string{"--lang", "zh-CN", "hello"}, "没有与这些文字相符的条目；以下是一般性的说明。\n\n"},
		{"status without an entry", []string{"5.9.9"}, code},
		{"reply without an entry", []string{"599"}, code},
		{"known wording", []string{"mailbox", "full"}, ""},
		{"known line", []string{"550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown"}, ""},
		{"known reply", []string{"550"}, ""},
		{"known status", []string{"4.4.7"}, ""},
		{"reason given", []string{"--reason", "onhold", "550"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, c := runCmd(t, "", append([]string{"explain"}, tt.args...)...)
			if c != 0 {
				t.Fatalf("exit %d: %s", c, stderr)
			}
			general := strings.HasPrefix(out, words) || strings.HasPrefix(out, code) || strings.HasPrefix(out, "没有")
			switch {
			case tt.want == "" && general:
				t.Errorf("says nothing matched, but an entry did:\n%s", out)
			case tt.want != "" && !strings.HasPrefix(out, tt.want):
				t.Errorf("output does not start with %q:\n%s", tt.want, out)
			}
		})
	}
}
