package annotate

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rivo/uniseg"

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
	Diagnostic string // the server's words, cleaned (catalog.CleanReply) and sanitised
	Exp        catalog.Explanation

	query catalog.Query // what Exp was looked up for
	texts texts         // Exp's long texts, sanitised once for every rendering
}

// texts are an explanation's texts as the block shows them.
type texts struct {
	Explanation, Remedy, Note, Link string
}

// blockTexts sanitises x's texts for the block, once per catalog text
// (knownTexts).
func blockTexts(x catalog.Explanation) texts {
	k := texts{x.Explanation, x.Remedy, x.AdminNote, x.Link}
	if len(k.Explanation)+len(k.Remedy)+len(k.Note)+len(k.Link) > maxWrapCacheText {
		return sanitizeTexts(k)
	}
	return knownTexts.get(k, sanitizeTexts)
}

// knownTexts remembers the sanitised catalog texts (see knownCache).
var knownTexts knownCache[texts, texts]

// sanitizeTexts sanitises the texts of an explanation.
func sanitizeTexts(t texts) texts {
	return texts{
		Explanation: sanitize(t.Explanation, 2000),
		Remedy:      sanitize(t.Remedy, 2000),
		Note:        sanitize(t.Note, 2000),
		Link:        sanitize(t.Link, 500),
	}
}

// block is the rendered explanation in one language.
type block struct {
	Lang    string
	Heading string // the block's title; a site catalog may set it
	Subject string // the returned message's subject, sanitised
	Entries []entry
	More    int // recipients not listed
}

// words holds the fixed texts of one language.
type words struct {
	HeadFail, HeadDelay, EndLine              string
	Remedy, Who, Resend, Said, Status, Colon  string
	WhoText                                   map[catalog.Who]string
	ResendDelay, ResendNo, ResendSelf, More   string
	NoAddr, Admin, Note, Link                 string
	FailSubj, FailNoSubj, DelaySubj, DelayNoS string // headlines: address, subject
}

var vocab = map[string]words{
	"en": {
		HeadFail: "Why your message was not delivered", HeadDelay: "Your message is delayed",
		EndLine: "the original notice follows", Remedy: "What to do",
		Who: "Who must act", Resend: "Sending again", Said: "The server said", Colon: ": ",
		Status: "Status", WhoText: map[catalog.Who]string{
			catalog.WhoSender: "you, the sender", catalog.WhoSenderAdmin: "your mail administrator",
			catalog.WhoRecipient: "the recipient", catalog.WhoRecipientAdmin: "the recipient's mail administrator",
			catalog.WhoNobody: "nobody for now"},
		ResendDelay: "not needed yet. Your mail server is still trying, and will tell you if it gives up.",
		ResendNo:    "will not help until the cause above is fixed; your mail server has stopped trying.",
		ResendSelf:  "your mail server has stopped trying; you can send the message again yourself later.",
		More:        "%d more recipients are not listed here.",
		NoAddr:      "the recipient", Admin: "For your email administrator", Note: "Note", Link: "More information",
		FailSubj: "Your message %[2]s to %[1]s was not delivered", FailNoSubj: "Your message to %[1]s was not delivered",
		DelaySubj: "Your message %[2]s to %[1]s is delayed", DelayNoS: "Your message to %[1]s is delayed",
	},
	"zh-CN": {
		HeadFail: "邮件未能送达的原因", HeadDelay: "邮件正在延迟投递",
		EndLine: "以下是原始退信", Remedy: "怎么办",
		Who: "需要谁处理", Resend: "重新发送", Said: "服务器原话", Colon: "：",
		Status: "状态码", WhoText: map[catalog.Who]string{
			catalog.WhoSender: "您（发件人）", catalog.WhoSenderAdmin: "您的邮件管理员",
			catalog.WhoRecipient: "收件人", catalog.WhoRecipientAdmin: "收件方的邮件管理员",
			catalog.WhoNobody: "暂时无需任何人处理"},
		ResendDelay: "暂时不需要。您的邮件服务器仍在重试，如果最终失败会再通知您。",
		ResendNo:    "问题解决之前没有用；您的邮件服务器已停止重试。",
		ResendSelf:  "您的邮件服务器已停止重试；您可以稍后自己再发一次。",
		More:        "另有 %d 个收件人未在此列出。",
		NoAddr:      "收件人", Admin: "供您的邮件管理员参考", Note: "说明", Link: "详细信息",
		FailSubj: "您发给 %[1]s 的邮件%[2]s未能送达", FailNoSubj: "您发给 %[1]s 的邮件未能送达",
		DelaySubj: "您发给 %[1]s 的邮件%[2]s正在延迟投递", DelayNoS: "您发给 %[1]s 的邮件正在延迟投递",
	},
}

// explainer is what the block needs of a catalog (tests use a fixed one).
type explainer interface {
	Explain(q catalog.Query, lang string) catalog.Explanation
}

// headingSource is a catalog that may carry a site's own heading.
type headingSource interface {
	Heading(lang string) string
}

// maxSubject caps the returned message's subject in the headline, in runes.
const maxSubject = 120

// newBlock explains every failed or delayed recipient of r.
func newBlock(r *dsn.Report, cat explainer, lang string) *block {
	b := &block{Lang: lang, Subject: sanitize(r.Original.Subject, maxSubject)}
	if hs, ok := cat.(headingSource); ok {
		b.Heading = sanitize(hs.Heading(lang), 200)
	}
	if strings.HasPrefix(textBegin+b.Heading, textEnd) {
		b.Heading = "" // the heading line must not read as the end line
	}
	rcpts := blockRecipients(r)
	if len(rcpts) == 0 { // a bounce that names nobody still gets explained
		act := dsn.ActionFailed
		if r.Kind == dsn.KindDelay {
			act = dsn.ActionDelayed
		}
		rcpts = []dsn.Recipient{{Action: act}}
	}
	b.Entries = make([]entry, 0, min(len(rcpts), MaxBlockRecipients))
	for _, rc := range rcpts {
		if len(b.Entries) >= MaxBlockRecipients {
			b.More++
			continue
		}
		b.Entries = append(b.Entries, newEntry(r, rc, cat, lang, b.Entries))
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

// newEntry looks up the explanation of one recipient. prev are the
// entries of the recipients before it: one with the same query (the same
// codes, diagnostic and hosts, as many recipients of one bounce have) has
// its explanation and diagnostic taken over instead of being looked up again.
func newEntry(r *dsn.Report, rc dsn.Recipient, cat explainer, lang string, prev []entry) entry {
	e := entry{
		Address: sanitize(rc.Recipient, 254),
		Delayed: Delayed(r, rc),
		Status:  statusText(rc),
		query:   Query(r, rc),
	}
	for i := range prev {
		if prev[i].query == e.query {
			e.Diagnostic, e.Exp, e.texts = prev[i].Diagnostic, prev[i].Exp, prev[i].texts
			return e
		}
	}
	e.Diagnostic = sanitize(catalog.CleanReply(rc.Diagnostic), maxDiagnostic)
	e.Exp = cat.Explain(e.query, lang)
	e.texts = blockTexts(e.Exp)
	return e
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

// passingReasons are causes that may pass by themselves, so that a final
// failure may be sent again later without a fix.
var passingReasons = map[string]bool{
	"speeding": true, "toomanyconn": true, "networkerror": true, "systemerror": true,
	"systemfull": true, "expired": true, "mailererror": true,
}

// resend says whether sending again helps. It follows the Action: a delay
// is still being tried; a final failure never is.
func (e entry) resend(w words) string {
	switch {
	case e.Delayed:
		return w.ResendDelay
	case passingReasons[e.Exp.Reason]:
		return w.ResendSelf
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

// headline is the diagnosis as one sentence: "Your message "Quarterly
// figures" to bob@example.net was not delivered: the recipient's address
// does not exist".
func (b *block) headline(e entry, w words) string {
	addr := e.Address
	if addr == "" {
		addr = w.NoAddr
	}
	subj := ""
	if b.Subject != "" {
		subj = `"` + b.Subject + `"` // ASCII, so that an ASCII part keeps its encoding
		if b.Lang == LangZH {
			subj = "《" + b.Subject + "》"
		}
	}
	var format string
	switch {
	case e.Delayed && subj != "":
		format = w.DelaySubj
	case e.Delayed:
		format = w.DelayNoS
	case subj != "":
		format = w.FailSubj
	default:
		format = w.FailNoSubj
	}
	head := fmt.Sprintf(format, addr, subj)
	title := sanitize(e.Exp.Title, 200)
	if title == "" {
		return head
	}
	if b.Lang == LangZH {
		return endSentence(head+"："+title, "。")
	}
	return endSentence(head+": "+lowerFirst(title), ".")
}

// endSentence ends s with stop unless it ends with a sentence mark.
func endSentence(s, stop string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") ||
		strings.HasSuffix(s, "。") || strings.HasSuffix(s, "！") || strings.HasSuffix(s, "？") {
		return s
	}
	return s + stop
}

// sentenceWords are the first words of English titles that are not names,
// so that a title can continue a sentence in lower case ("...was not
// delivered: the recipient's address does not exist"); any other first word
// (Gmail, Microsoft, IceWarp) keeps its capital.
var sentenceWords = map[string]bool{
	"The": true, "Your": true, "A": true, "An": true, "You": true, "This": true, "There": true,
	"Delivery": true, "Signing": true, "No": true, "Too": true, "Part": true, "Converting": true,
	"Sign-in": true, "Only": true, "Sending": true, "Mail": true, "Message": true, "Messages": true,
	"It": true, "Its": true, "Someone": true, "Something": true, "Nobody": true, "Some": true,
	"One": true, "Every": true, "All": true, "Our": true, "Their": true, "That": true, "These": true,
	"Those": true, "Email": true, "Emails": true, "Recipient": true, "Recipients": true,
}

// lowerFirst lower-cases the first letter of an English title whose first
// word is an ordinary word.
func lowerFirst(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if !sentenceWords[first] {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// heading is the block's title.
func (b *block) heading(w words) string {
	if b.Heading != "" {
		return b.Heading
	}
	for _, e := range b.Entries {
		if !e.Delayed {
			return w.HeadFail
		}
	}
	return w.HeadDelay
}

// adminRows are the label/value pairs of the administrator section.
func (e entry) adminRows(lang string, w words) [][2]string {
	var rows [][2]string
	add := func(label, v string) {
		if v != "" {
			rows = append(rows, [2]string{label, v})
		}
	}
	add(w.Status, e.status(lang))
	add(w.Said, e.Diagnostic)
	add(w.Note, e.texts.Note)
	add(w.Link, e.texts.Link)
	return rows
}

// render renders the HTML or the text block.
func (b *block) render(isHTML bool, eol string) string {
	if isHTML {
		return b.html(eol)
	}
	return b.text(eol)
}

// text renders the plain-text block, ending with the separator line, a
// blank line, and eol line endings. Its last line but one is the only one
// that starts with textEnd, so that the block's end is where it is found.
func (b *block) text(eol string) string {
	w := vocab[b.Lang]
	sb := getRenderBuf()
	defer putRenderBuf(sb)
	line := func(s string) {
		if strings.HasPrefix(s, textEnd) {
			sb.WriteByte(' ') // e.g. a returned subject wrapped onto a line of its own
		}
		sb.WriteString(s)
		sb.WriteString(eol)
	}
	// para wraps a paragraph; known says it is a catalog or vocabulary
	// text (see wrapKnown), not one from the bounce.
	para := func(indent, label, s string, known bool) {
		if s == "" {
			return
		}
		if label != "" {
			s = label + w.Colon + s
		}
		wr := wrap
		if known {
			wr = wrapKnown
		}
		for _, l := range wr(s, textWidth-len(indent)) {
			if indent == "" {
				line(l)
				continue
			}
			sb.WriteString(indent) // indent + l cannot start with textEnd
			sb.WriteString(l)
			sb.WriteString(eol)
		}
	}
	line(textBegin + b.heading(w) + " -----")
	for _, e := range b.Entries {
		line("")
		para("", "", b.headline(e, w), false)
		sb.WriteString(catalogParas(parasKey{b.Lang, eol, e.texts.Explanation, e.texts.Remedy, e.who(w), e.resend(w)}))
		if rows := e.adminRows(b.Lang, w); len(rows) > 0 {
			line("")
			line("  " + w.Admin + strings.TrimRight(w.Colon, " "))
			for _, r := range rows {
				para("    ", r[0], r[1], r[0] == w.Note || r[0] == w.Link)
			}
		}
	}
	if b.More > 0 {
		line("")
		line(fmt.Sprintf(w.More, b.More))
	}
	line("")
	sb.WriteString(textEnd + ": " + w.EndLine + " -----" + eol)
	line("")
	return sb.String() // a copy of the block's size
}

// renderBufs are the buffers blocks are rendered in: the block is then
// copied once, at its size, instead of growing a builder of its own.
var renderBufs sync.Pool

// maxRenderBuf is the largest buffer put back into renderBufs.
const maxRenderBuf = 64 << 10

// getRenderBuf returns an empty buffer from renderBufs.
func getRenderBuf() *bytes.Buffer {
	if b, ok := renderBufs.Get().(*bytes.Buffer); ok {
		b.Reset()
		return b
	}
	return bytes.NewBuffer(make([]byte, 0, 4096))
}

// putRenderBuf puts b back into renderBufs, unless it grew large.
func putRenderBuf(b *bytes.Buffer) {
	if b.Cap() <= maxRenderBuf {
		renderBufs.Put(b)
	}
}

// parasKey is what the text block's paragraphs of catalog and vocabulary
// words for one recipient are made of: the explanation, what to do, who
// must act and whether sending again helps.
type parasKey struct {
	lang, eol                        string
	explanation, remedy, who, resend string
}

// knownParas remembers those paragraphs, rendered (see knownCache).
var knownParas knownCache[parasKey, string]

// catalogParas returns the paragraphs of k, indented and wrapped, each
// line ending with k.eol, rendered once per distinct k.
func catalogParas(k parasKey) string {
	if len(k.explanation)+len(k.remedy)+len(k.who)+len(k.resend) > maxWrapCacheText {
		return renderParas(k)
	}
	return knownParas.get(k, renderParas)
}

// renderParas renders catalogParas' paragraphs.
func renderParas(k parasKey) string {
	w := vocab[k.lang]
	var sb strings.Builder
	para := func(label, s string) {
		if s == "" {
			return
		}
		if label != "" {
			s = label + w.Colon + s
		}
		for _, l := range wrapKnown(s, textWidth-len("  ")) {
			sb.WriteString("  ") // "  " + l cannot start with textEnd
			sb.WriteString(l)
			sb.WriteString(k.eol)
		}
	}
	para("", k.explanation)
	para(w.Remedy, k.remedy)
	para(w.Who, k.who)
	para(w.Resend, k.resend)
	return sb.String()
}

// wrap breaks s into lines of at most width display columns at the line
// break opportunities of Unicode line breaking (UAX #14, by uniseg): at
// spaces, between CJK characters, and never before closing punctuation
// such as ，。、；：？！）」 (Chinese line-breaking rules). A segment wider
// than the line stands alone.
func wrap(s string, width int) []string {
	if lineSafeASCII(s) {
		return wrapASCII(s, width)
	}
	var lines []string
	var cur strings.Builder
	col := 0
	state := -1
	for s != "" {
		var seg string
		var mustBreak bool
		seg, s, mustBreak, state = uniseg.FirstLineSegmentInString(s, state)
		trimmed := strings.TrimRight(seg, " ")
		segW, fullW := segmentWidths(seg, trimmed)
		if col > 0 && col+segW > width {
			lines = append(lines, strings.TrimRight(cur.String(), " "))
			cur.Reset()
			col = 0
		}
		cur.WriteString(seg)
		col += fullW
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

// lineSafe marks the printable ASCII bytes that wrapASCII handles: all
// but the prefix and postfix signs "$+\\%" (number rules that look
// further) and "|".
var lineSafe = func() (t [utf8.RuneSelf]bool) {
	for c := byte(' '); c <= '~'; c++ {
		t[c] = !strings.ContainsRune("$+\\%|", rune(c))
	}
	return t
}()

// lineSafeASCII reports s made of lineSafe bytes only.
func lineSafeASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || !lineSafe[s[i]] {
			return false
		}
	}
	return true
}

// asciiBreaks says, for two lineSafe bytes a and b, whether uniseg allows
// a line break between them in "ab"; it asks uniseg itself, once, on
// first use.
var asciiBreaks struct {
	once sync.Once
	brk  [utf8.RuneSelf][utf8.RuneSelf]bool
}

// asciiBreakTable returns asciiBreaks.brk, filled on the first call.
func asciiBreakTable() *[utf8.RuneSelf][utf8.RuneSelf]bool {
	asciiBreaks.once.Do(func() {
		var pair [2]byte
		for x := byte(' '); x <= '~'; x++ {
			for y := byte(' '); y <= '~'; y++ {
				if lineSafe[x] && lineSafe[y] {
					pair[0], pair[1] = x, y
					seg, _, _, _ := uniseg.FirstLineSegmentInString(string(pair[:]), -1)
					asciiBreaks.brk[x][y] = len(seg) == 1
				}
			}
		}
	})
	return &asciiBreaks.brk
}

// wrapASCII is wrap for a text of lineSafe bytes, one column each: it
// breaks where uniseg does, without decoding and looking up every
// character (wrapping the server's reply was a tenth of Annotate).
func wrapASCII(s string, width int) []string {
	if s == "" {
		return nil
	}
	var lines []string
	lineStart, col := 0, 0 // the current line is s[lineStart:], col columns so far
	tbl := asciiBreakTable()
	var st lineState
	st.next(s, 0)
	for start := 0; start < len(s); {
		// The segment s[start:end], up to the next break opportunity; the
		// state moves past s[end] either way.
		end := start + 1
		for end < len(s) {
			if isLetter(s[end-1]) && isLetter(s[end]) {
				st = lineState{} // within a word (LB28): no break, and no state
				end++
				continue
			}
			if st.step(tbl, s, end) {
				break
			}
			end++
		}
		trimmed := strings.TrimRight(s[start:end], " ")
		if col > 0 && col+len(trimmed) > width {
			lines = append(lines, strings.TrimRight(s[lineStart:start], " "))
			lineStart, col = start, 0
		}
		col += end - start
		start = end
	}
	if lineStart < len(s) {
		lines = append(lines, strings.TrimRight(s[lineStart:], " "))
	}
	return lines
}

// lineState is what wrapASCII remembers of the bytes before, besides the
// last one, to break where uniseg does (UAX #14):
type lineState struct {
	num  int  // numNone, numDigit or numSep: LB25, NU (NU|SY|IS)* × NU
	opSp bool // after an opening bracket and spaces: LB14, OP SP* ×
	quSp int  // 1 after a quotation mark, 2 after one and a space: LB15, QU SP* × OP (uniseg: one space at most)
}

// Number states: after a digit, and after a digit and one infix
// separator or solidus, where the next digit does not break ("3.5",
// "1,000", "10/20"). A second separator ends the number for uniseg ("1..1"
// breaks before the last digit: its LB13 takes over).
const (
	numNone = iota
	numDigit
	numSep
)

// step moves the state past s[i] (i > 0) and reports a break
// opportunity before it: where the pair table has one, unless the state
// says otherwise.
func (st *lineState) step(tbl *[utf8.RuneSelf][utf8.RuneSelf]bool, s string, i int) bool {
	a, b := s[i-1], s[i]
	brk := tbl[a][b]
	if brk {
		switch {
		case b == '-' && hyphenNumber(s, i):
			brk = false
		case st.num == numSep && isDigit(b):
			brk = false
		case a == ' ' && (st.opSp || (st.quSp == 2 && isOpening(b))):
			brk = false
		}
	}
	st.next(s, i)
	return brk
}

// hyphenNumber reports a hyphen at s[i] before a digit. uniseg (v0.4.7)
// never breaks before one and takes it for the start of a number: its
// LB25 look-ahead ("(PR|PO) × (OP|HY)? NU") applies to every hyphen.
func hyphenNumber(s string, i int) bool {
	return s[i] == '-' && i+1 < len(s) && isDigit(s[i+1])
}

// next moves the state past s[i].
func (st *lineState) next(s string, i int) {
	c := s[i]
	switch {
	case isDigit(c), c == '-' && hyphenNumber(s, i):
		st.num = numDigit
	case st.num == numDigit && (isInfixSep(c) || c == '/'):
		st.num = numSep
	default:
		st.num = numNone
	}
	switch {
	case c != ' ':
		st.opSp = isOpening(c)
		st.quSp = 0
		if c == '"' || c == '\'' {
			st.quSp = 1
		}
	case st.quSp == 1:
		st.quSp = 2
	default:
		st.quSp = 0
	}
}

// isOpening reports the ASCII opening brackets (UAX #14 class OP).
func isOpening(c byte) bool { return c == '(' || c == '[' || c == '{' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

// isInfixSep reports the ASCII infix separators (UAX #14 class IS).
func isInfixSep(c byte) bool { return c == '.' || c == ',' || c == ':' || c == ';' }

// segmentWidths returns the display widths of a line segment without its
// trailing spaces (trimmed) and with them (seg). A segment of printable
// ASCII is one column per byte, as uniseg measures it (every such byte is
// a grapheme cluster of its own, of width 1); anything else is measured by
// uniseg.
func segmentWidths(seg, trimmed string) (int, int) {
	if printableASCII(seg) {
		return len(trimmed), len(seg)
	}
	return uniseg.StringWidth(trimmed), uniseg.StringWidth(seg)
}

// printableASCII reports s made of the bytes 0x20 to 0x7e only.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// wrapCache holds the wrapped lines of catalog and vocabulary texts, which
// are the same for many messages: a batch or a milter wraps each once. It
// is keyed by the text itself (wrap is a function of it), so a reloaded
// catalog never meets stale lines. Texts from the bounce (addresses,
// subjects, server replies) are never put in it, and it stops growing at
// maxKnownCache entries, so it stays small whatever comes in.
var wrapCache knownCache[wrapKey, []string]

// maxKnownCache is the most entries a knownCache holds.
const maxKnownCache = 4096

// maxWrapCacheText is the longest text wrapCache holds, in bytes.
const maxWrapCacheText = 4096

type wrapKey struct {
	s     string
	width int
}

// wrapKnown is wrap for a text from the catalog or the vocabulary,
// remembered in wrapCache. The returned slice is shared: read only.
func wrapKnown(s string, width int) []string {
	if len(s) > maxWrapCacheText {
		return wrap(s, width)
	}
	return wrapCache.get(wrapKey{s, width}, func(k wrapKey) []string { return wrap(k.s, k.width) })
}

// knownCache remembers what is computed from catalog and vocabulary texts
// only (a function of its key), for every message after the first. It is
// safe for concurrent use and holds at most maxKnownCache entries: once
// full, it computes without remembering.
type knownCache[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

// get returns the value for k, computed by f and remembered when not there.
func (c *knownCache[K, V]) get(k K, f func(K) V) V {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return v
	}
	v = f(k)
	c.mu.Lock()
	if c.m == nil {
		c.m = map[K]V{}
	}
	if len(c.m) < maxKnownCache {
		c.m[k] = v
	}
	c.mu.Unlock()
	return v
}

// Inline styles of the HTML block: simple, no external resources. Failures
// have a red edge, delays an amber one.
const (
	styleBox      = "border:1px solid #d0d7de;background:#ffffff;padding:12px 16px;margin:0 0 16px 0;font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#1f2328;"
	styleHead     = "font-size:16px;font-weight:bold;margin:0 0 8px 0;"
	styleFail     = "margin:12px 0 0 0;padding:8px 12px;border-left:4px solid #cf222e;background:#fff5f5;"
	styleDelay    = "margin:12px 0 0 0;padding:8px 12px;border-left:4px solid #bf8700;background:#fff8e1;"
	styleHeadline = "font-weight:bold;margin:0 0 4px 0;"
	styleP        = "margin:4px 0;"
	styleLabel    = "color:#57606a;padding:2px 12px 2px 0;vertical-align:top;white-space:nowrap;"
	styleCell     = "padding:2px 0;vertical-align:top;"
	styleAdmin    = "margin:8px 0 0 0;padding:6px 0 0 0;border-top:1px dashed #d0d7de;font-size:12px;color:#57606a;"
	styleCode     = "font-family:Consolas,Menlo,monospace;font-size:12px;"
	styleSep      = "border:0;border-top:1px solid #d0d7de;margin:16px 0;"
)

// html renders the HTML block; every text is escaped. It ends with eol.
func (b *block) html(eol string) string {
	w := vocab[b.Lang]
	esc := html.EscapeString
	sb := getRenderBuf()
	defer putRenderBuf(sb)
	line := func(s string) { sb.WriteString(s); sb.WriteString(eol) }
	line(htmlBegin)
	line(`<div lang="` + esc(b.Lang) + `" style="` + styleBox + `">`)
	line(`<div style="` + styleHead + `">` + esc(b.heading(w)) + `</div>`)
	for _, e := range b.Entries {
		style := styleFail
		if e.Delayed {
			style = styleDelay
		}
		line(`<div style="` + style + `">`)
		line(`<div style="` + styleHeadline + `">` + esc(b.headline(e, w)) + `</div>`)
		if s := e.texts.Explanation; s != "" {
			line(`<div style="` + styleP + `">` + esc(s) + `</div>`)
		}
		line(`<table cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-size:14px;">`)
		row := func(label, val, style string) {
			if val == "" {
				return
			}
			line(`<tr><td style="` + styleLabel + `">` + esc(label) + `</td><td style="` + styleCell + style + `">` + val + `</td></tr>`)
		}
		row(w.Remedy, esc(e.texts.Remedy), "")
		row(w.Who, esc(e.who(w)), "")
		row(w.Resend, esc(e.resend(w)), "")
		line(`</table>`)
		if rows := e.adminRows(b.Lang, w); len(rows) > 0 {
			line(`<div style="` + styleAdmin + `">`)
			line(`<div style="font-weight:bold;">` + esc(w.Admin) + `</div>`)
			line(`<table cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;font-size:12px;">`)
			for _, r := range rows {
				val, style := esc(r[1]), ""
				switch r[0] {
				case w.Status, w.Said:
					style = styleCode
				case w.Link:
					if strings.HasPrefix(r[1], "https://") || strings.HasPrefix(r[1], "http://") {
						val = `<a href="` + esc(r[1]) + `">` + esc(r[1]) + `</a>`
					}
				}
				row(r[0], val, style)
			}
			line(`</table>`)
			line(`</div>`)
		}
		line(`</div>`)
	}
	if b.More > 0 {
		line(`<div style="` + styleP + `">` + esc(fmt.Sprintf(w.More, b.More)) + `</div>`)
	}
	line(`</div>`)
	line(`<hr style="` + styleSep + `">`)
	line(htmlEnd)
	return sb.String() // a copy of the block's size
}
