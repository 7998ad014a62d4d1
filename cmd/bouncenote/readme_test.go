package main

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/annotate"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's generated blocks")

// readmeBlockRE finds a generated block of the README: a marker naming the
// example, then a text fence.
var readmeBlockRE = regexp.MustCompile("(?s)<!-- annotated: (\\S+) -->\n```text\n(.*?)```\n")

// TestREADMEAnnotated checks that the annotated block the README shows is
// what `bouncenote annotate` gives today (-update-readme rewrites it).
func TestREADMEAnnotated(t *testing.T) {
	const path = "../../README.md"
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	out := readmeBlockRE.ReplaceAllStringFunc(string(readme), func(m string) string {
		sub := readmeBlockRE.FindStringSubmatch(m)
		found++
		raw, err := os.ReadFile("../../" + sub[1])
		if err != nil {
			t.Fatal(err)
		}
		res, err := annotate.Annotate(raw, annotate.Options{})
		if err != nil || !res.Changed {
			t.Fatalf("%s: not annotated (%v)", sub[1], err)
		}
		block := textBlock(string(res.Output))
		if block == "" {
			t.Fatalf("%s: no text block in the output", sub[1])
		}
		if !*updateREADME && block != sub[2] {
			t.Errorf("README block for %s is out of date (run go test ./cmd/bouncenote -run TestREADME -update-readme):\n%s", sub[1], block)
		}
		return "<!-- annotated: " + sub[1] + " -->\n```text\n" + block + "```\n"
	})
	if found == 0 {
		t.Fatal("README has no annotated block")
	}
	if *updateREADME {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// textBlock returns the explanation block of an annotated ASCII message:
// from its heading line to its end line.
func textBlock(msg string) string {
	msg = strings.ReplaceAll(msg, "\r\n", "\n")
	i := strings.Index(msg, "\n----- ")
	j := strings.Index(msg, "\n----- bouncenote end")
	if i < 0 || j < i {
		return ""
	}
	k := strings.IndexByte(msg[j+1:], '\n')
	return msg[i+1 : j+1+k+1]
}

// readmeOutputRE finds a command's output shown in the README: a marker
// with the arguments, then a text fence with standard output.
var readmeOutputRE = regexp.MustCompile("(?s)<!-- output: ([^\n]+?) -->\n```text\n(.*?)```\n")

// TestREADMEOutputs runs each command whose output the README shows, from
// the repository's root as the README does, and compares.
func TestREADMEOutputs(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeOutputRE.FindAllStringSubmatch(string(readme), -1)
	if len(blocks) == 0 {
		t.Fatal("README has no output block")
	}
	t.Chdir("../..")
	for _, b := range blocks {
		t.Run(b[1], func(t *testing.T) {
			out, stderr, code := runCmd(t, "", strings.Fields(b[1])...)
			if code != 0 || stderr != "" {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
			if out != b[2] {
				t.Errorf("README shows\n%s\nthe command prints\n%s", b[2], out)
			}
		})
	}
}
