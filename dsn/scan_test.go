package dsn

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The regexps the scanners of scan.go replace; the scanners must answer
// exactly as these do.
var (
	refEnhancedRe     = regexp.MustCompile(`([245])\.(\d{1,3})\.(\d{1,3})`)
	refContinuationRe = regexp.MustCompile(`(?:^|\s)[245]\d\d-(?:[245]\.\d{1,3}\.\d{1,3}\s)?`)
	refSpaceRe        = regexp.MustCompile(`\s+`)
	refNestedReplyRe  = regexp.MustCompile(`(?:<|'|")([245][0-5]\d)[ -]'?([245]\.\d{1,3}\.\d{1,3})\s|(?:^|[^\d.])([245][0-5]\d)-'([245]\.\d{1,3}\.\d{1,3})\s`)
)

// scanSamples are real shapes (multi-line replies, quoted replies of
// relays, IP addresses and versions) and their edge cases.
var scanSamples = []string{
	"",
	"550-5.1.1 The email account that you tried to reach does not exist.\n550-5.1.1 Please try\n550 5.1.1 double-checking",
	"550 5.1.1 <user@example.net>... User unknown",
	"smtp; 550-5.7.1 [192.0.2.1 1] Our system has detected\r\n 550-5.7.1 that this message",
	"Remote server returned '550-'5.2.2 <a@b> Mailbox Full'",
	"host mx.example.net said: <421 4.4.2 Connection timed out> ",
	"<550 '5.1.1 quoted ",
	"10.5.1.1 and 5.1.1.2 and 4.4.7 and 2.0.0x",
	"550-5.1.1 550-5.1.1 550 5.1.1 x",
	"\t550-\f5.1.1 \v550-5.1.1\n",
	"a  b\t\tc\r\n\r\nd ",
	"ü550-'5.1.1 x",
	"\xff550-'5.1.1 x",
	"5.1.1 5.1.12 5.1234.1 5.1.1",
	"550-'5.1.1 x 550-'5.1.1 y 451-'4.4.1 z",
	"'550-'5.1.1 550-'5.1.1 ",
	"<550 5.1.1\n<550 5.1.1\n",
	"999-5.1.1 250-2.0.0 ok",
}

func TestScannersMatchRegexps(t *testing.T) {
	for _, s := range scanSamples {
		t.Run(s, func(t *testing.T) { compareScanners(t, s) })
	}
}

func FuzzScanners(f *testing.F) {
	for _, s := range scanSamples {
		f.Add(s)
	}
	f.Fuzz(compareScanners)
}

func compareScanners(t *testing.T, s string) {
	var want [][2]int
	for _, loc := range refEnhancedRe.FindAllStringIndex(s, maxStatusCandidates) {
		want = append(want, [2]int{loc[0], loc[1]})
	}
	if got := findStatusCodes(s, maxStatusCandidates); !slices.Equal(got, want) {
		t.Errorf("findStatusCodes(%q) = %v, want %v", s, got, want)
	}
	if got, want := replaceContinuations(s), refContinuationRe.ReplaceAllString(s, " "); got != want {
		t.Errorf("replaceContinuations(%q) = %q, want %q", s, got, want)
	}
	if got, want := collapseSpaceRE(s), refSpaceRe.ReplaceAllString(s, " "); got != want {
		t.Errorf("collapseSpaceRE(%q) = %q, want %q", s, got, want)
	}
	var gotNested []nestedReply
	forEachNestedReply(s, func(m nestedReply) bool {
		gotNested = append(gotNested, m)
		return false
	})
	var wantNested []nestedReply
	for _, m := range refNestedReplyRe.FindAllStringSubmatchIndex(s, -1) {
		if m[2] >= 0 {
			wantNested = append(wantNested, nestedReply{m[2], m[3], m[4], m[5]})
		} else {
			wantNested = append(wantNested, nestedReply{m[6], m[7], m[8], m[9]})
		}
	}
	if !slices.Equal(gotNested, wantNested) {
		t.Errorf("forEachNestedReply(%q) = %v, want %v", s, gotNested, wantNested)
	}
}

// TestNestedReply checks the answers of NestedReply on real wordings.
func TestNestedReply(t *testing.T) {
	tests := []struct{ text, reply, status string }{
		{"Remote server returned '550-'5.2.2 <a@b> Mailbox Full'", "550", "5.2.2"},
		{"host said: <421 4.4.2 Connection timed out> ", "421", "4.4.2"},
		{"<421 4.4.2 Connection timed out> opens the text", "", ""},
		{"relay said: <550 4.4.2 classes differ> ", "", ""},
		{strings.Repeat("no codes here ", 10), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			reply, status := NestedReply(tt.text)
			if reply != tt.reply || status != tt.status {
				t.Errorf("NestedReply = %q %q, want %q %q", reply, status, tt.reply, tt.status)
			}
		})
	}
}

func TestCollapseSpace(t *testing.T) {
	for _, s := range append(scanSamples, " a\v b\u00a0c\u0085d  ", "plain words", "  lead", "trail  ", "\t\n", "x") {
		t.Run(s, func(t *testing.T) {
			if got, want := CollapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
				t.Errorf("CollapseSpace(%q) = %q, want %q", s, got, want)
			}
		})
	}
}

func FuzzCollapseSpace(f *testing.F) {
	for _, s := range scanSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := CollapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("CollapseSpace(%q) = %q, want %q", s, got, want)
		}
	})
}
