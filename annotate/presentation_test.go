package annotate

import (
	"os"
	"strings"
	"testing"

	"github.com/rivo/uniseg"

	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/dsn"
)

// annotateFile annotates a file of the examples and returns its output.
func annotateFile(t *testing.T, path string, opts Options) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Annotate(raw, opts)
	if err != nil || !res.Changed {
		t.Fatalf("%s: not annotated (%v)", path, err)
	}
	return string(res.Output)
}

func TestSiteHeading(t *testing.T) {
	cat, err := catalog.Load("../catalog/testdata/heading")
	if err != nil {
		t.Fatal(err)
	}
	out := annotateFile(t, "../examples/bounces/postfix-user-unknown.eml", Options{Catalog: cat})
	if !strings.Contains(out, "\n----- A note from the Example Corp helpdesk -----\n") {
		t.Errorf("site heading missing:\n%s", out)
	}
	again, err := Annotate([]byte(out), Options{Catalog: cat})
	if err != nil || string(again.Output) != out {
		t.Errorf("annotating again changed the output (%v)", err)
	}
	plain := annotateFile(t, "../examples/bounces/postfix-user-unknown.eml", Options{})
	if strings.Contains(strings.ToLower(headingLine(plain)), "bouncenote") {
		t.Errorf("built-in heading names the product: %q", headingLine(plain))
	}
}

// headingLine returns the first line of the text block.
func headingLine(out string) string {
	i := strings.Index(out, "\n"+textBegin)
	if i < 0 {
		return ""
	}
	line, _, _ := strings.Cut(out[i+1:], "\n")
	return line
}

func TestHeadline(t *testing.T) {
	tests := []struct {
		name, lang, subject, title string
		delayed                    bool
		want                       string
	}{
		{"failure", "en", "Quarterly figures", "The recipient's address does not exist", false,
			`Your message "Quarterly figures" to bob@example.net was not delivered: the recipient's address does not exist.`},
		{"provider name keeps its capital", "en", "", "Gmail thinks your message is spam", false,
			"Your message to bob@example.net was not delivered: Gmail thinks your message is spam."},
		{"delay", "en", "Hi", "The recipient's mailbox is full.", true,
			`Your message "Hi" to bob@example.net is delayed: the recipient's mailbox is full.`},
		{"zh failure", "zh-CN", "合同草案", "收件人地址不存在", false,
			"您发给 bob@example.net 的邮件《合同草案》未能送达：收件人地址不存在。"},
		{"zh delay", "zh-CN", "", "对方邮箱已满", true,
			"您发给 bob@example.net 的邮件正在延迟投递：对方邮箱已满。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &block{Lang: tt.lang, Subject: tt.subject}
			e := entry{Address: "bob@example.net", Delayed: tt.delayed, Exp: catalog.Explanation{Title: tt.title}}
			if got := b.headline(e, vocab[tt.lang]); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestChineseLineBreaking checks the zh-CN block of every example bounce:
// no line of the text block starts with closing punctuation, and no line is
// wider than the block.
func TestChineseLineBreaking(t *testing.T) {
	files := []string{"postfix-user-unknown.eml", "postfix-delay-warning.eml", "gmail-user-unknown.eml",
		"exchange-user-unknown.eml", "icewarp-relay-denied.eml", "mailbox-full-delay.eml"}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			raw, err := os.ReadFile("../examples/bounces/" + f)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := dsn.Parse(raw, nil)
			if err != nil {
				t.Fatal(err)
			}
			blk := newBlock(rep, catalog.Builtin(), LangZH)
			for _, line := range strings.Split(blk.text("\n"), "\n") {
				body := strings.TrimLeft(line, " ")
				if body != "" && strings.ContainsRune("，。、；：？！）」』》”", []rune(body)[0]) {
					t.Errorf("line starts with closing punctuation: %q", line)
				}
				if w := displayWidth(line); w > textWidth && !strings.HasPrefix(line, textEnd) {
					t.Errorf("line %d columns wide: %q", w, line)
				}
			}
		})
	}
}

func displayWidth(s string) int { return uniseg.StringWidth(s) }
