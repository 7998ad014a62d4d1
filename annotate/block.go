package annotate

import (
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/dsn"
)

// Markers that make the block recognisable, whatever the language.
const (
	textBegin = dsn.AnnotationTextBegin // first line of the text block
	textEnd   = dsn.AnnotationTextEnd   // separator line; a blank line and the original follow
	htmlBegin = dsn.AnnotationHTMLBegin
	htmlEnd   = dsn.AnnotationHTMLEnd
	textWidth = 76 // wrap width of the text block, in display columns
)

// MaxBlockRecipients is the most recipients listed in the block; the rest
// are counted. Default 50.
const MaxBlockRecipients = 50

// maxDiagnostic caps the quoted server reply in the block, in runes.
const maxDiagnostic = 300

// entry is one recipient as shown in the block.
type entry struct {
	Address    string
	Delayed    bool
	Status     string // "5.1.1 (reply 550)"
	Diagnostic string
	Exp        catalog.Explanation
}

// block is the rendered explanation in one language.
type block struct {
	Lang    string
	Entries []entry
	More    int // recipients not listed
}

// words holds the fixed texts of one language.
type words struct {
	HeadFail, HeadDelay, EndLine                          string
	Recipient, Remedy, Who, Resend, Said, Status, Colon   string
	WhoText                                               map[catalog.Who]string
	ResendDelay, ResendNo, ResendLater, More, DelayedWord string
	NoAddr                                                string
}

var vocab = map[string]words{
	"en": {
		HeadFail: "why your message was not delivered", HeadDelay: "your message is delayed",
		EndLine: "the original notice follows", Recipient: "Recipient", Remedy: "What to do",
		Who: "Who must act", Resend: "Sending again", Said: "The server said", Colon: ": ",
		Status: "Status", WhoText: map[catalog.Who]string{
			catalog.WhoSender: "you, the sender", catalog.WhoSenderAdmin: "your mail administrator",
			catalog.WhoRecipient: "the recipient", catalog.WhoRecipientAdmin: "the recipient's mail administrator",
			catalog.WhoNobody: "nobody; it should resolve itself"},
		ResendDelay: "not needed; the server is still trying and will tell you if it gives up.",
		ResendNo:    "will not help until the cause above is fixed.",
		ResendLater: "may work later; the problem is probably temporary.",
		More:        "%d more recipients are not listed here.", DelayedWord: "delayed",
		NoAddr: "(address not given in the notice)",
	},
	"zh-CN": {
		HeadFail: "邮件未能送达的原因", HeadDelay: "邮件延迟投递",
		EndLine: "以下是原始退信", Recipient: "收件人", Remedy: "解决办法",
		Who: "需要处理的人", Resend: "重新发送", Said: "服务器原话", Colon: "：",
		Status: "状态码", WhoText: map[catalog.Who]string{
			catalog.WhoSender: "您（发件人）", catalog.WhoSenderAdmin: "您的邮件管理员",
			catalog.WhoRecipient: "收件人", catalog.WhoRecipientAdmin: "收件方的邮件管理员",
			catalog.WhoNobody: "无需处理，问题通常会自行解决"},
		ResendDelay: "无需重发，服务器仍在重试，如果最终失败会再通知您。",
		ResendNo:    "在解决上述问题之前，重新发送没有用。",
		ResendLater: "稍后重试可能成功，问题很可能是暂时的。",
		More:        "另有 %d 个收件人未在此列出。", DelayedWord: "延迟",
		NoAddr: "（退信中未给出地址）",
	},
}

// explainer is what the block needs of a catalog (tests use a fixed one).
type explainer interface {
	Explain(q catalog.Query, lang string) catalog.Explanation
}

// newBlock explains every failed or delayed recipient of r.
func newBlock(r *dsn.Report, cat explainer, lang string) *block {
	b := &block{Lang: lang}
	rcpts := blockRecipients(r)
	if len(rcpts) == 0 { // a bounce that names nobody still gets explained
		act := dsn.ActionFailed
		if r.Kind == dsn.KindDelay {
			act = dsn.ActionDelayed
		}
		rcpts = []dsn.Recipient{{Action: act}}
	}
	for _, rc := range rcpts {
		if len(b.Entries) >= MaxBlockRecipients {
			b.More++
			continue
		}
		b.Entries = append(b.Entries, newEntry(r, rc, cat, lang))
	}
	return b
}

// blockRecipients returns the failed and delayed recipients, or all of
// them when none says so.
func blockRecipients(r *dsn.Report) []dsn.Recipient {
	var out []dsn.Recipient
	for _, rc := range r.Recipients {
		if rc.Action == dsn.ActionFailed || rc.Action == dsn.ActionDelayed {
			out = append(out, rc)
		}
	}
	if len(out) == 0 {
		return r.Recipients
	}
	return out
}

// newEntry looks up the explanation of one recipient.
func newEntry(r *dsn.Report, rc dsn.Recipient, cat explainer, lang string) entry {
	return entry{
		Address:    sanitize(rc.Recipient, 254),
		Delayed:    Delayed(r, rc),
		Status:     statusText(rc),
		Diagnostic: sanitize(catalog.CleanReply(rc.Diagnostic), maxDiagnostic),
		Exp:        cat.Explain(Query(r, rc), lang),
	}
}

// statusText renders the enhanced status code and the reply code.
func statusText(rc dsn.Recipient) string {
	st, rp := sanitize(rc.Status, 16), sanitize(rc.ReplyCode, 8)
	switch {
	case st != "" && rp != "":
		return st + " (reply " + rp + ")"
	case st != "":
		return st
	case rp != "":
		return "reply " + rp
	}
	return ""
}

// resend says whether sending again helps.
func (e entry) resend(w words) string {
	switch {
	case e.Delayed:
		return w.ResendDelay
	case strings.HasPrefix(e.Status, "4"), strings.HasPrefix(e.Status, "reply 4"):
		return w.ResendLater
	case e.Status == "" && !e.Exp.Permanent:
		return w.ResendLater
	}
	return w.ResendNo
}

// status is the codes as shown in the block: "5.1.1 (reply 550)", or in
// Chinese "5.1.1（SMTP 回复码 550）".
func (e entry) status(lang string) string {
	if lang != LangZH {
		return e.Status
	}
	st, reply, ok := strings.Cut(e.Status, "reply ")
	if !ok {
		return e.Status
	}
	st = strings.TrimSuffix(strings.TrimSpace(st), "(")
	reply = "SMTP 回复码 " + strings.TrimSuffix(reply, ")")
	if st = strings.TrimSpace(st); st == "" {
		return reply
	}
	return st + "（" + reply + "）"
}

// who says who must act, in words.
func (e entry) who(w words) string {
	if s, ok := w.WhoText[e.Exp.Who]; ok {
		return s
	}
	return sanitize(string(e.Exp.Who), 40)
}

// heading is the block's title.
func (b *block) heading(w words) string {
	for _, e := range b.Entries {
		if !e.Delayed {
			return w.HeadFail
		}
	}
	return w.HeadDelay
}

// text renders the plain-text block, ending with the separator line, a
// blank line, and eol line endings.
func (b *block) text(eol string) string {
	w := vocab[b.Lang]
	var sb strings.Builder
	line := func(s string) { sb.WriteString(s + eol) }
	line(textBegin + b.heading(w) + " -----")
	for _, e := range b.Entries {
		line("")
		addr := e.Address
		if addr == "" {
			addr = w.NoAddr
		}
		if e.Delayed {
			addr += " (" + w.DelayedWord + ")"
		}
		line(w.Recipient + w.Colon + addr)
		for _, l := range wrap(sanitize(e.Exp.Title, 200), textWidth-2) {
			line("  " + l)
		}
		para := func(label, s string) {
			if s = sanitize(s, 2000); s == "" {
				return
			}
			if label != "" {
				s = label + w.Colon + s
			}
			for _, l := range wrap(s, textWidth-2) {
				line("  " + l)
			}
		}
		para("", e.Exp.Explanation)
		para(w.Remedy, e.Exp.Remedy)
		para(w.Who, e.who(w))
		para(w.Resend, e.resend(w))
		para(w.Status, e.status(b.Lang))
		// The server's own words are left out of the text block: text
		// bounce readers (ours and others') would take them for the bounce's.
	}
	if b.More > 0 {
		line("")
		line(fmt.Sprintf(w.More, b.More))
	}
	line("")
	line(textEnd + ": " + w.EndLine + " -----")
	line("")
	return sb.String()
}

// wrap breaks s into lines of at most width display columns, at spaces or
// between wide (CJK) characters.
func wrap(s string, width int) []string {
	var lines []string
	for s != "" {
		cut, col, lastBreak := len(s), 0, -1
		for i, r := range s {
			rw := runeWidth(r)
			if col+rw > width {
				cut = i
				if lastBreak > 0 {
					cut = lastBreak
				}
				break
			}
			if r == ' ' {
				lastBreak = i
			} else if rw == 2 && i > 0 {
				lastBreak = i
			}
			col += rw
		}
		if cut == 0 { // one character wider than the line
			_, cut = utf8.DecodeRuneInString(s)
		}
		lines = append(lines, strings.TrimRight(s[:cut], " "))
		s = strings.TrimLeft(s[cut:], " ")
	}
	return lines
}

// runeWidth is 2 for East Asian wide characters, else 1.
func runeWidth(r rune) int {
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xff60) {
		return 2
	}
	return 1
}

// Inline styles of the HTML block: simple, no external resources.
const (
	styleBox   = "border:1px solid #d0d7de;border-left:4px solid #cf222e;background:#fff8f5;padding:12px 16px;margin:0 0 16px 0;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#1f2328;"
	styleHead  = "font-size:16px;font-weight:bold;margin:0 0 8px 0;"
	styleRcpt  = "margin:12px 0 0 0;padding:8px 0 0 0;border-top:1px solid #e5e7eb;"
	styleAddr  = "font-family:Consolas,Menlo,monospace;font-weight:bold;"
	styleTitle = "font-weight:bold;margin:4px 0;"
	styleP     = "margin:4px 0;"
	styleLabel = "color:#57606a;padding:2px 12px 2px 0;vertical-align:top;white-space:nowrap;"
	styleCell  = "padding:2px 0;vertical-align:top;"
	styleCode  = "font-family:Consolas,Menlo,monospace;font-size:12px;color:#57606a;"
	styleSep   = "border:0;border-top:1px solid #d0d7de;margin:16px 0;"
)

// html renders the HTML block; every text is escaped. It ends with eol.
func (b *block) html(eol string) string {
	w := vocab[b.Lang]
	esc := html.EscapeString
	var sb strings.Builder
	line := func(s string) { sb.WriteString(s + eol) }
	line(htmlBegin)
	line(`<div lang="` + esc(b.Lang) + `" style="` + styleBox + `">`)
	line(`<div style="` + styleHead + `">` + esc(upperFirst(b.heading(w))) + `</div>`)
	for _, e := range b.Entries {
		addr := `<span style="` + styleAddr + `">` + esc(e.Address) + `</span>`
		if e.Address == "" {
			addr = esc(w.NoAddr)
		}
		if e.Delayed {
			addr += " (" + esc(w.DelayedWord) + ")"
		}
		line(`<div style="` + styleRcpt + `">`)
		line(`<div>` + esc(w.Recipient+w.Colon) + addr + `</div>`)
		line(`<div style="` + styleTitle + `">` + esc(sanitize(e.Exp.Title, 200)) + `</div>`)
		if s := sanitize(e.Exp.Explanation, 2000); s != "" {
			line(`<div style="` + styleP + `">` + esc(s) + `</div>`)
		}
		line(`<table cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-size:14px;">`)
		row := func(label, val, style string) {
			if val == "" {
				return
			}
			line(`<tr><td style="` + styleLabel + `">` + esc(label) + `</td><td style="` + styleCell + style + `">` + esc(val) + `</td></tr>`)
		}
		row(w.Remedy, sanitize(e.Exp.Remedy, 2000), "")
		row(w.Who, e.who(w), "")
		row(w.Resend, e.resend(w), "")
		row(w.Status, e.status(b.Lang), styleCode)
		row(w.Said, e.Diagnostic, styleCode)
		line(`</table>`)
		line(`</div>`)
	}
	if b.More > 0 {
		line(`<div style="` + styleP + `">` + esc(fmt.Sprintf(w.More, b.More)) + `</div>`)
	}
	line(`</div>`)
	line(`<hr style="` + styleSep + `">`)
	line(htmlEnd)
	return sb.String()
}

// upperFirst capitalises the first letter (ASCII headings).
func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
