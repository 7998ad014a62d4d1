package annotate

import (
	"bytes"
	"io"
	"mime"
	"strings"
	"unicode"

	"github.com/bouncenote/bouncenote/dsn"
)

// maxLangSample caps the decoded text looked at by detectLang, per source.
const maxLangSample = 64 << 10

// chineseCharsets are charsets that mark Chinese text.
var chineseCharsets = []string{"gb2312", "gbk", "gb18030", "big5", "hz-gb-2312", "euc-cn", "cp936", "x-gbk", "big5-hkscs", "cp950"}

// detectLang picks zh-CN when the bounce or the returned message is Chinese:
// a Content-Language of zh*, a Chinese charset (in a Content-Type or an
// RFC 2047 encoded-word), or mostly CJK text (in the bounce's text, the
// returned message's text, or its Subject). Otherwise en.
func detectLang(raw []byte, root *part, rep *dsn.Report) string {
	var bounceText, returned bytes.Buffer
	subjects := []string{rep.Original.Subject}
	for _, p := range allParts(root) {
		if strings.HasPrefix(strings.ToLower(p.get("Content-Language")), "zh") || isChineseCharset(p.charset()) {
			return LangZH
		}
		for _, f := range p.Fields {
			if isChineseWord(f.Value) {
				return LangZH
			}
			if strings.EqualFold(f.Name, "Subject") && p.InMessage {
				subjects = append(subjects, decodeWords(f.Value))
			}
		}
	}
	for _, p := range leaves(root) {
		if !strings.HasPrefix(p.MediaType, "text/") || p.Attachment || p.MediaType == "text/rfc822-headers" {
			continue
		}
		buf := &bounceText
		if p.InMessage {
			buf = &returned
		}
		if buf.Len() < maxLangSample {
			txt := partText(raw, p)
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
func allParts(root *part) []*part {
	out := []*part{root}
	for i := 0; i < len(out); i++ { // breadth first; the tree is bounded by the scanner
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

// decodeWords decodes RFC 2047 encoded-words, leaving the text on error.
func decodeWords(v string) string {
	d := mime.WordDecoder{CharsetReader: func(cs string, r io.Reader) (io.Reader, error) {
		e, err := charsetEncoding(cs)
		if err != nil || e == nil {
			return r, err
		}
		return e.NewDecoder().Reader(r), nil
	}}
	if s, err := d.DecodeHeader(v); err == nil {
		return s
	}
	return v
}

// partText returns up to maxLangSample bytes of a part's decoded text.
func partText(raw []byte, p *part) []byte {
	body := raw[p.BodyStart:p.End]
	if len(body) > 4*maxLangSample {
		body = body[:4*maxLangSample]
	}
	dec, err := decodeCTE(body, p.cte())
	if err != nil {
		return nil
	}
	txt, err := toUTF8(dec, p.charset())
	if err != nil {
		return nil
	}
	if len(txt) > maxLangSample {
		txt = txt[:maxLangSample]
	}
	return txt
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
