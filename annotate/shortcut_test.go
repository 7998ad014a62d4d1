package annotate

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/dsn"
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

// FuzzSanitize checks that when sanitize keeps a text as it is
// (sanitized), building it again would give the same text, and that the
// shortcut is taken for ordinary text.
func FuzzSanitize(f *testing.F) {
	for _, s := range wrapSamples {
		f.Add(s, 400)
	}
	f.Add("a b", 2)
	f.Add("abc ", 3)
	f.Add(" a", 3)
	f.Add("a\u00a0b", 9)
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = (max & 0x7fffffff) % 2100
		want := sanitizeCopy(s, max)
		if got := sanitize(s, max); got != want {
			t.Fatalf("sanitize(%q, %d) = %q, want %q", s, max, got, want)
		}
	})
}

// TestSanitizedShortcut checks which texts sanitize returns as they are.
func TestSanitizedShortcut(t *testing.T) {
	for _, c := range []struct {
		s    string
		max  int
		want bool
	}{
		{"The recipient's address does not exist.", 400, true},
		{"收件人的邮件服务器表示该地址不存在。", 400, true},
		{"", 10, true},
		{"abc", 3, true},
		{"abcd", 3, false},
		{" abc", 10, false},
		{"abc ", 10, false},
		{"a  b", 10, false},
		{"a\tb", 10, false},
		{"a\u00a0b", 10, false},
		{"a\u200bb", 10, false},
		{"a\ufffdb", 10, false},
		{"a\xffb", 10, false},
		{"a\x7fb", 10, false},
	} {
		t.Run(c.s, func(t *testing.T) {
			if got := sanitized(c.s, c.max); got != c.want {
				t.Errorf("sanitized(%q, %d) = %v, want %v", c.s, c.max, got, c.want)
			}
			if got, want := sanitize(c.s, c.max), sanitizeCopy(c.s, c.max); got != want {
				t.Errorf("sanitize(%q) = %q, want %q", c.s, got, want)
			}
		})
	}
}

// encodeQPSprintf is encodeQP as it was, building each token with
// fmt.Sprintf; encodeQP must write the same bytes.
func encodeQPSprintf(text []byte, eol string) []byte {
	var out bytes.Buffer
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line = text[:i+1]
		}
		text = text[len(line):]
		t, e := trimEOL(line)
		col := 0
		for i := 0; i < len(t); {
			c := t[i]
			tok, n := string(c), 1
			last := i == len(t)-1
			switch {
			case c >= 0x80:
				_, size := utf8.DecodeRune(t[i:])
				tok = ""
				for _, b := range t[i : i+size] {
					tok += fmt.Sprintf("=%02X", b)
				}
				n = size
			case c == '=', c < ' ' && c != '\t', c == 0x7f, last && (c == ' ' || c == '\t'):
				tok = fmt.Sprintf("=%02X", c)
			}
			if col+len(tok) > 75 {
				out.WriteString("=" + eol)
				col = 0
			}
			out.WriteString(tok)
			col += len(tok)
			i += n
		}
		if e != nil {
			out.WriteString(eol)
		}
	}
	return out.Bytes()
}

// FuzzEncodeQP checks encodeQP against encodeQPSprintf, with both line
// endings.
func FuzzEncodeQP(f *testing.F) {
	for _, s := range wrapSamples {
		f.Add([]byte(s + "\r\n" + s + " \n=\t\n"))
	}
	f.Add([]byte("\xff\xfe\x80 end \t\r\n\r\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		for _, eol := range []string{"\n", "\r\n"} {
			if got, want := encodeQP(text, eol), encodeQPSprintf(text, eol); !bytes.Equal(got, want) {
				t.Fatalf("encodeQP(%q, %q) = %q, want %q", text, eol, got, want)
			}
		}
	})
}

// foldSplit is fold as it was, over strings.Split; fold must give the same.
func foldSplit(name, value, eol string) string {
	var b strings.Builder
	col := len(name) + 2
	for i, w := range strings.Split(value, " ") {
		if i > 0 {
			if col+1+len(w) > lineLimit {
				b.WriteString(eol)
				col = 0
			}
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += len(w)
	}
	return b.String()
}

// FuzzFold checks fold against foldSplit.
func FuzzFold(f *testing.F) {
	for _, s := range wrapSamples {
		f.Add("X-Bounce-Explanation", s)
	}
	f.Add("X", "  a  ")
	f.Fuzz(func(t *testing.T, name, value string) {
		for _, eol := range []string{"\n", "\r\n"} {
			if got, want := fold(name, value, eol), foldSplit(name, value, eol); got != want {
				t.Fatalf("fold(%q, %q) = %q, want %q", name, value, got, want)
			}
		}
	})
}

// TestWrapASCIISameAsUniseg checks wrapASCII, which breaks a text of
// lineSafe bytes by pairs of bytes and a number state, against uniseg: at
// width 1, where every break opportunity before a non-space breaks, every
// string of up to three lineSafe bytes, and every string of up to five
// over one or two bytes of each line breaking class they have; then long
// strings over every lineSafe byte at several widths.
func TestWrapASCIISameAsUniseg(t *testing.T) {
	var safe []byte
	for c := byte(' '); c <= '~'; c++ {
		if lineSafe[c] {
			safe = append(safe, c)
		}
	}
	same := func(s string, width int) {
		t.Helper()
		if got, want := strings.Join(wrapASCII(s, width), "|"), strings.Join(wrapUniseg(s, width), "|"); got != want {
			t.Fatalf("%q width %d: wrapASCII %q, uniseg %q", s, width, got, want)
		}
	}
	var walk func(prefix []byte, alphabet []byte, n int, widths ...int)
	walk = func(prefix []byte, alphabet []byte, n int, widths ...int) {
		for _, w := range widths {
			same(string(prefix), w)
		}
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			walk(append(prefix, c), alphabet, n-1, widths...)
		}
	}
	walk(nil, safe, 3, 1)
	walk(nil, []byte("a1 .!\")}]([-/,"), 5, 1)
	for i := range 3000 {
		b := make([]byte, 1+i%160)
		for j := range b {
			b[j] = safe[(i*131+j*j*7+j*29+(i*j)%17)%len(safe)]
			if (i+j)%5 == 0 {
				b[j] = ' '
			}
		}
		for _, width := range []int{1, 5, 20, 72, 76} {
			same(string(b), width)
		}
	}
}

// TestWrapCorpusSameAsUniseg wraps the headline and the server's reply of
// every recipient of every corpus bounce, as the block does, and checks
// the lines against uniseg alone: the texts wrapASCII meets in practice.
func TestWrapCorpusSameAsUniseg(t *testing.T) {
	fast := 0
	for _, f := range corpusFiles(t) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := dsn.Parse(raw, nil)
		if err != nil || !isBounce(rep) {
			continue
		}
		for _, lang := range []string{LangEN, LangZH} {
			blk := newBlock(rep, catalog.Builtin(), lang)
			for _, e := range blk.Entries {
				for _, s := range []string{blk.headline(e, vocab[lang]), "The server said: " + e.Diagnostic} {
					if lineSafeASCII(s) {
						fast++
					}
					for _, width := range []int{72, 76} {
						if got, want := strings.Join(wrap(s, width), "\n"), strings.Join(wrapUniseg(s, width), "\n"); got != want {
							t.Errorf("%s: %q width %d: wrap\n%s\nwant\n%s", f, s, width, got, want)
						}
					}
				}
			}
		}
	}
	if fast == 0 {
		t.Error("no corpus text took wrapASCII")
	}
	t.Logf("%d texts wrapped by wrapASCII", fast)
}
