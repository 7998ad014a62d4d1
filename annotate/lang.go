package annotate

import (
	"bytes"
	"strings"
	"unicode"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/entity"
)

// maxLangSample caps the decoded text looked at by detectLang, per source.
const maxLangSample = 64 << 10

// chineseCharsets are charsets that mark Chinese text.
var chineseCharsets = []string{"gb2312", "gbk", "gb18030", "big5", "hz-gb-2312", "euc-cn", "cp936", "x-gbk", "big5-hkscs", "cp950"}

// detectLang picks zh-CN when the bounce or the returned message is Chinese:
// a Content-Language of zh*, a Chinese charset (in a Content-Type or an
// RFC 2047 encoded-word), or mostly CJK text (in the bounce's text, the
// returned message's text, or its Subject). Otherwise en.
func detectLang(root *entity.Entity, rep *dsn.Report) string {
	var bounceText, returned bytes.Buffer
	subjects := []string{rep.Original.Subject}
	for _, p := range allParts(root) {
		if strings.HasPrefix(strings.ToLower(p.Header.Get("Content-Language")), "zh") || isChineseCharset(charsetOf(p)) {
			return LangZH
		}
		for _, f := range p.Header.Fields {
			if isChineseWord(f.Value) {
				return LangZH
			}
			if strings.EqualFold(f.Name, "Subject") && p.Carried() {
				subjects = append(subjects, entity.DecodeValue(f.Value))
			}
		}
	}
	for _, p := range leaves(root) {
		if !strings.HasPrefix(p.MediaType, "text/") || isAttachment(p) || p.MediaType == "text/rfc822-headers" {
			continue
		}
		buf := &bounceText
		if p.Carried() {
			buf = &returned
		}
		if buf.Len() < maxLangSample {
			txt := partText(p)
			if p.MediaType == "text/html" {
				txt = []byte(dsn.StripHTML(string(txt))) // tags are not language
			}
			if n := maxLangSample - buf.Len(); len(txt) > n {
				txt = txt[:n] // a sample: a large part is not copied whole
			}
			buf.Write(txt)
		}
	}
	for _, s := range subjects {
		if mostlyChinese([]byte(s), 2) {
			return LangZH
		}
	}
	if mostlyChinese(bounceText.Bytes(), 8) || mostlyChinese(returned.Bytes(), 8) {
		return LangZH
	}
	return LangEN
}

// allParts lists every entity of the tree.
func allParts(root *entity.Entity) []*entity.Entity {
	out := []*entity.Entity{root}
	for i := 0; i < len(out); i++ { // breadth first; the tree is bounded by its limits
		out = append(out, out[i].Children...)
	}
	return out
}

func isChineseCharset(cs string) bool {
	for _, c := range chineseCharsets {
		if cs == c {
			return true
		}
	}
	return false
}

// isChineseWord reports an RFC 2047 encoded-word in a Chinese charset.
func isChineseWord(v string) bool {
	l := strings.ToLower(v)
	for _, c := range chineseCharsets {
		if strings.Contains(l, "=?"+c+"?") {
			return true
		}
	}
	return false
}

// partText returns up to maxLangSample bytes of a part's decoded text,
// read leniently: it is a sample.
func partText(p *entity.Entity) []byte {
	body := p.Body()
	if len(body) > 4*maxLangSample {
		body = body[:4*maxLangSample]
	}
	txt := entity.ToUTF8(string(entity.DecodeTransfer(p.Header, body)), charsetOf(p))
	if len(txt) > maxLangSample {
		txt = txt[:maxLangSample]
	}
	return []byte(txt)
}

// mostlyChinese reports whether Han characters make up at least 30% of the
// letters (and there are at least minHan), with few Japanese kana among them.
func mostlyChinese(b []byte, minHan int) bool {
	var han, kana, letters int
	for _, r := range string(b) {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.In(r, unicode.Hiragana, unicode.Katakana):
			kana++
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return han >= minHan && han*10 >= letters*3 && kana*5 < han
}
