package lazyre

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestSameAnswers compares every method with regexp.Regexp's, on texts with
// and without the patterns' literals (among them the Kelvin sign and the
// long s, which case-insensitive "k" and "s" match).
func TestSameAnswers(t *testing.T) {
	patterns := []string{
		`(?im)^\s*This is the MAILER-DAEMON, please DO NOT REPLY to this e-?mail\.`,
		`(?i)mailbox (is )?full`,
		`\b([245]\.\d{1,3}\.\d{1,3})\b`,
		`(?i)unknown|no such user`,
		`x*`,
		`^[245]\d\d$`,
	}
	texts := []string{
		"",
		"550",
		"550 5.1.1 <user@example.net>: Mailbox is FULL",
		"Hi.\nThis is the MAILER-DAEMON, please DO NOT REPLY to this email.\n",
		"550 no ſuch uſer; mailbox iſ full",
		"Unknown user\n4.2.2 and 5.7.1",
		strings.Repeat("ordinary text without any of them ", 100),
	}
	for _, p := range patterns {
		lz, re := New(p), regexp.MustCompile(p)
		for _, s := range texts {
			t.Run(p+"/"+s[:min(len(s), 20)], func(t *testing.T) {
				if got, want := lz.MatchString(s), re.MatchString(s); got != want {
					t.Errorf("MatchString = %v, want %v", got, want)
				}
				if got, want := lz.FindString(s), re.FindString(s); got != want {
					t.Errorf("FindString = %q, want %q", got, want)
				}
				if got, want := lz.FindStringIndex(s), re.FindStringIndex(s); !slices.Equal(got, want) {
					t.Errorf("FindStringIndex = %v, want %v", got, want)
				}
				if got, want := lz.FindStringSubmatch(s), re.FindStringSubmatch(s); !slices.Equal(got, want) {
					t.Errorf("FindStringSubmatch = %q, want %q", got, want)
				}
				if got, want := lz.FindAllString(s, -1), re.FindAllString(s, -1); !slices.Equal(got, want) {
					t.Errorf("FindAllString = %q, want %q", got, want)
				}
				if got, want := lz.ReplaceAllString(s, "<$0>"), re.ReplaceAllString(s, "<$0>"); got != want {
					t.Errorf("ReplaceAllString = %q, want %q", got, want)
				}
				if got, want := lz.ReplaceAllStringFunc(s, strings.ToUpper), re.ReplaceAllStringFunc(s, strings.ToUpper); got != want {
					t.Errorf("ReplaceAllStringFunc = %q, want %q", got, want)
				}
				if got, want := lz.Split(s, -1), re.Split(s, -1); !slices.Equal(got, want) {
					t.Errorf("Split = %q, want %q", got, want)
				}
				if got, want := len(lz.FindAllStringSubmatchIndex(s, -1)), len(re.FindAllStringSubmatchIndex(s, -1)); got != want {
					t.Errorf("FindAllStringSubmatchIndex: %d matches, want %d", got, want)
				}
			})
		}
	}
}

// TestCompiledOnFirstUse checks that New does not compile, that a search
// of a text without the pattern's literals does not either, and that the
// first search of a text with them does.
func TestCompiledOnFirstUse(t *testing.T) {
	r := New(`(?i)over quota`)
	if r.re != nil {
		t.Fatal("compiled by New")
	}
	if r.MatchString("550 user unknown") || r.re != nil || r.need == nil {
		t.Fatalf("a text without the literal: compiled %v, gate %q; want only the gate", r.re != nil, r.need)
	}
	if !r.MatchString("552 Over Quota") {
		t.Fatal("no match")
	}
	if r.re == nil || r.need == nil {
		t.Fatalf("not compiled or no literal gate after first use: %v %q", r.re, r.need)
	}
}

func TestCompiledReportsBadPattern(t *testing.T) {
	if err := Compiled(); err != nil {
		t.Fatalf("before: %v", err)
	}
	New(`(unclosed`)
	if err := Compiled(); err == nil {
		t.Fatal("a bad pattern went unreported")
	}
	allMu.Lock()
	all = all[:len(all)-1]
	allMu.Unlock()
}

// TestMayMatch: MayMatch is false only for a text that lacks every literal
// of the pattern, and then no line of it matches; a pattern without
// literals may match anything.
func TestMayMatch(t *testing.T) {
	tests := []struct {
		pattern, text string
		may           bool
	}{
		{`(?i)^\s*mailbox full$`, "line one\n  MAILBOX FULL\nline three", true},
		{`(?i)^\s*mailbox full$`, "line one\nmailbox is full\n", false},
		{`^[245]\d\d `, "anything at all", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" "+tt.text, func(t *testing.T) {
			re := New(tt.pattern)
			if got := re.MayMatch(tt.text); got != tt.may {
				t.Errorf("MayMatch = %v, want %v", got, tt.may)
			}
			if !tt.may {
				for _, line := range strings.Split(tt.text, "\n") {
					if re.MatchString(line) {
						t.Errorf("line %q matches, but MayMatch said none could", line)
					}
				}
			}
		})
	}
}
