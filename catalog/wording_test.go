package catalog

import (
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/internal/literal"
)

// zhBanned are words the zh-CN title, explanation and remedy must not use:
// 您 (never 你), "您所在的单位" for the reader's organisation, and 邮件管理员
// as the one word for the mail administrator.
var zhBanned = []string{"你", "贵单位", "贵公司", "IT 部门", "IT部门", "系统管理员", "网管"}

// retryWords say the message will still be delivered without the reader
// doing anything: wrong in a final (permanent) entry, whose recipient's
// delivery was given up.
var retryWords = []string{
	"will be tried again",
	"is still being tried",
	"tries again by itself",
	"retried automatically",
	"you don't need to do anything",
	"you do not need to do anything",
	"会自动重试",
	"还在重试",
	"仍在重试",
	"不需要做任何事",
	"现在不需要做什么",
}

// givenUpWords say delivery was given up: wrong in a temporary entry, whose
// recipient's delivery is still being tried.
var givenUpWords = []string{
	"was given up",
	"has stopped trying",
	"已停止重试",
	"已放弃投递",
}

// notFailures are reasons of notices that report no failure (a delivery
// confirmation, an out-of-office reply, a complaint report): "nothing to
// do" is right there, final or not.
var notFailures = map[string]bool{"delivered": true, "vacation": true, "feedback": true}

// negations before a retry phrase turn it around ("is not retried
// automatically", "不会自动重试").
var negations = []string{"not ", "n't ", "never ", "no longer ", "不", "没", "无法", "不再"}

// conditions before a given-up phrase in the same sentence make it a case
// to prepare for ("if you later get a notice that delivery was given up").
var conditions = []string{"if ", "once ", "when ", "until ", "unless ", "如果", "若", "一旦", "假如", "要是", "万一", "等到", "直到", "只有"}

func TestWordingRules(t *testing.T) {
	for _, e := range Builtin().Entries() {
		for field, s := range map[string]string{"title": e.EN.Title, "explanation": e.EN.Explanation, "remedy": e.EN.Remedy} {
			if strings.Contains(strings.Join(strings.Fields(s), " "), "IT department") {
				t.Errorf("%s:%d %s: en.%s says \"IT department\" (want mail administrator, the one word for it)", e.File, e.Line, e.ID, field)
			}
		}
		zh := e.ZHCN
		for field, s := range map[string]string{"title": zh.Title, "explanation": zh.Explanation, "remedy": zh.Remedy} {
			for _, w := range zhBanned {
				if strings.Contains(s, w) {
					t.Errorf("%s:%d %s: zh-CN.%s uses %q (want 您, 您所在的单位, 邮件管理员): %s", e.File, e.Line, e.ID, field, w, s)
				}
			}
		}
		for _, lang := range Languages {
			x, _ := e.Text(lang)
			for field, s := range map[string]string{"explanation": x.Explanation, "remedy": x.Remedy} {
				if e.Permanent {
					if notFailures[e.Reason] {
						continue
					}
					if w, ctx := findPhrase(s, retryWords, negations, false); w != "" {
						t.Errorf("%s:%d %s: final entry, %s.%s says it will be retried (%q): %s", e.File, e.Line, e.ID, lang, field, w, ctx)
					}
				} else {
					if w, ctx := findPhrase(s, givenUpWords, conditions, true); w != "" {
						t.Errorf("%s:%d %s: temporary entry, %s.%s says delivery was given up (%q): %s", e.File, e.Line, e.ID, lang, field, w, ctx)
					}
				}
			}
		}
	}
}

// findPhrase returns the first of words that s contains (case-insensitive)
// and the sentence it is in, unless one of excuses comes before it: close
// before it in the same clause (inSentence false, for negations) or anywhere
// before it in the same sentence (inSentence true, for conditions).
func findPhrase(s string, words, excuses []string, inSentence bool) (string, string) {
	low := literal.ASCIILower(s) // same byte offsets as s
	for _, w := range words {
		for from := 0; ; {
			i := strings.Index(low[from:], w)
			if i < 0 {
				break
			}
			i += from
			from = i + len(w)
			start := sentenceStart(low, i)
			before := low[start:i]
			if !inSentence { // the same clause, close before it
				if j := strings.LastIndexAny(before, ",:，：、"); j >= 0 {
					before = before[j:]
				}
				before = lastRunes(before, 12)
			}
			excused := false
			for _, x := range excuses {
				if strings.Contains(before, x) {
					excused = true
					break
				}
			}
			if !excused {
				end := strings.IndexAny(s[from:], ".!?;。！？；")
				if end < 0 {
					end = len(s)
				} else {
					end += from
				}
				return w, s[start:end]
			}
		}
	}
	return "", ""
}

// sentenceStart returns the index after the end of the sentence before i.
func sentenceStart(s string, i int) int {
	j := strings.LastIndexAny(s[:i], ".!?;。！？；")
	if j < 0 {
		return 0
	}
	for _, r := range s[j:] { // skip the punctuation rune
		return j + len(string(r))
	}
	return j
}

func lastRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[len(r)-n:]
	}
	return string(r)
}

func TestFindPhrase(t *testing.T) {
	tests := []struct {
		s         string
		permanent bool
		want      string
	}{
		// final entries
		{"Your mail server has stopped trying and will not send this message again by itself.", true, ""},
		{"The message is not retried automatically.", true, ""},
		{"这封邮件不会自动重试。", true, ""},
		{"You do not need to do anything: delivery is retried automatically.", true, "retried automatically"},
		{"Wait. The message will be tried again later.", true, "will be tried again"},
		{"不需要重发，系统会自动重试。", true, "会自动重试"},
		{"您不需要做任何事。", true, "不需要做任何事"},
		// temporary entries
		{"If you later get a notice that delivery finally failed, send it again.", false, ""},
		{"If you later get a notice that the message was given up, send it again.", false, ""},
		{"如果之后收到已放弃投递的通知，请重新发送。", false, ""},
		{"Your mail system has not given up and keeps trying.", false, ""},
		{"Delivery was given up after two days.", false, "was given up"},
		{"您的邮件服务器已停止重试。", false, "已停止重试"},
	}
	for _, tt := range tests {
		words, excuses, inSentence := retryWords, negations, false
		if !tt.permanent {
			words, excuses, inSentence = givenUpWords, conditions, true
		}
		if got, _ := findPhrase(tt.s, words, excuses, inSentence); got != tt.want {
			t.Errorf("findPhrase(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}
