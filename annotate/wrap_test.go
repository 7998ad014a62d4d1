package annotate

import (
	"strings"
	"testing"

	"github.com/rivo/uniseg"
)

// wrapUniseg is wrap as it was before segmentWidths: every segment
// measured by uniseg. wrap must break every text as it does.
func wrapUniseg(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	col := 0
	state := -1
	for s != "" {
		var seg string
		var mustBreak bool
		seg, s, mustBreak, state = uniseg.FirstLineSegmentInString(s, state)
		segW := uniseg.StringWidth(strings.TrimRight(seg, " "))
		if col > 0 && col+segW > width {
			lines = append(lines, strings.TrimRight(cur.String(), " "))
			cur.Reset()
			col = 0
		}
		cur.WriteString(seg)
		col += uniseg.StringWidth(seg)
		if mustBreak && s != "" {
			lines = append(lines, strings.TrimRight(cur.String(), " "))
			cur.Reset()
			col = 0
		}
	}
	if cur.Len() > 0 {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
	}
	return lines
}

// wrapSamples are texts of the kinds the block wraps: catalog English and
// Chinese, server replies with long tokens, mixed scripts, wide and
// zero-width characters, ASCII control bytes.
var wrapSamples = []string{
	"The recipient's mail server says this address does not exist. Check the spelling, for example a missing letter or a wrong domain (gmail.com, not gmial.com).",
	"您（发件人）：收件人的邮件服务器表示该地址不存在。请检查拼写，例如漏掉的字母或错误的域名（应为 gmail.com，而不是 gmial.com）。",
	"550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table https://support.example.com/kb/very/long/path/that/does/not/fit/on/one/line/at/all?query=1&x=2",
	"Ünïcödé wörds, e\u0301 combining, 😀 emoji 👩‍👩‍👧 ZWJ, ｆｕｌｌｗｉｄｔｈ, tab\there, bell\a, a—b–c “quotes”.",
	"x  y   z    ", "", " ", strings.Repeat("a", 200), strings.Repeat("ab ", 60), strings.Repeat("中", 100),
	"3.5 Mbps, 1,000,000 bytes; size=52428800 > limit 10/20 (approx.) -- see RFC 5321 §4.5.3.1.",
}

// TestWrapSameAsUniseg checks that the ASCII shortcut and the cache give
// the lines uniseg alone gives.
func TestWrapSameAsUniseg(t *testing.T) {
	for i, s := range wrapSamples {
		for _, width := range []int{10, 72, 74, 76} {
			want := strings.Join(wrapUniseg(s, width), "\n")
			if got := strings.Join(wrap(s, width), "\n"); got != want {
				t.Errorf("sample %d width %d: wrap\n%s\nwant\n%s", i, width, got, want)
			}
			for range 2 { // computed, then from the cache
				if got := strings.Join(wrapKnown(s, width), "\n"); got != want {
					t.Errorf("sample %d width %d: wrapKnown\n%s\nwant\n%s", i, width, got, want)
				}
			}
		}
	}
}

// FuzzWrap checks wrap against uniseg alone on any text.
func FuzzWrap(f *testing.F) {
	for _, s := range wrapSamples {
		f.Add(s, 76)
	}
	f.Fuzz(func(t *testing.T, s string, width int) {
		width = 1 + (width&0x7fffffff)%100
		want := wrapUniseg(s, width)
		got := wrap(s, width)
		if strings.Join(got, "\n") != strings.Join(want, "\n") || len(got) != len(want) {
			t.Fatalf("wrap(%q, %d) = %q, want %q", s, width, got, want)
		}
	})
}
