package annotate

import (
	"encoding/base64"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bouncenote/bouncenote/entity"
)

// Header field names added by Annotate.
const (
	HeaderReason      = "X-Bounce-Reason"
	HeaderStatus      = "X-Bounce-Status"
	HeaderExplanation = "X-Bounce-Explanation"
	HeaderRemedy      = "X-Bounce-Remedy"
	headerPrefix      = "x-bounce-" // every incoming field with this prefix is removed
)

// MaxHeaderValue is the longest header value, in runes, before encoding;
// longer values are cut and end with "...". Default 400.
const MaxHeaderValue = 400

// lineLimit is the folding width. RFC 5322 §2.1.1
const lineLimit = 78

// sanitize turns input-derived text into one line of printable text: control
// characters (CR, LF, NUL, ...) and invalid UTF-8 become spaces, runs of
// white space collapse, and the result is cut to max runes.
func sanitize(s string, max int) string {
	if sanitized(s, max) {
		return s // most texts, those of the catalog among them: no copy
	}
	return sanitizeCopy(s, max)
}

// sanitizeCopy is sanitize, building the result.
func sanitizeCopy(s string, max int) string {
	var b strings.Builder
	space := false
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) ||
			r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r) {
			space = b.Len() > 0
			continue
		}
		if n >= max {
			b.WriteString("...")
			break
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// sanitized reports whether sanitize(s, max) is s itself: valid UTF-8 of
// at most max runes, none of them one that sanitize turns into a space but
// single spaces between other characters.
func sanitized(s string, max int) bool {
	n := 0
	prevSpace := true // no space at the start
	for i := 0; i < len(s); n++ {
		if n >= max {
			return false
		}
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ':
				if prevSpace {
					return false
				}
				prevSpace = true
			case c < 0x21 || c == 0x7f:
				return false
			default:
				prevSpace = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) ||
			r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r) {
			return false
		}
		prevSpace = false
		i += size
	}
	return !prevSpace || s == ""
}

// encodeValue RFC 2047-encodes a sanitised value when it is not plain ASCII,
// or when it contains text that a reader would decode as an encoded-word.
// Encoded-words are sized so that, after "Name: ", every line fits in 78
// characters. RFC 2047 §2, §4.1
func encodeValue(name, v string) string {
	if entity.IsASCII(v) && !strings.Contains(v, "=?") {
		return v
	}
	const overhead = len("=?utf-8?b?") + len("?=")
	budget := lineLimit - len(name) - 2
	var words []string
	for v != "" {
		max := (budget - overhead) / 4 * 3
		n := 0
		for n < len(v) {
			_, size := utf8.DecodeRuneInString(v[n:])
			if n+size > max && n > 0 {
				break
			}
			n += size
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(v[:n]))+"?=")
		v = v[n:]
		budget = lineLimit - 1
	}
	return strings.Join(words, " ")
}

// fold breaks "Name: value" before white space so that lines stay within
// 78 characters; a word longer than that stays whole. The returned value
// starts after "Name: " and uses eol before each continuation. RFC 5322 §2.2.3
func fold(name, value, eol string) string {
	var b strings.Builder
	b.Grow(len(value) + (len(value)/(lineLimit/2)+1)*len(eol))
	col := len(name) + 2
	for i := 0; ; i++ {
		w, rest, more := strings.Cut(value, " ")
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
		if !more {
			return b.String()
		}
		value = rest
	}
}

// headerField renders one added field's value: sanitised, encoded, folded.
func headerField(name, value, eol string) Field {
	return Field{Name: name, Value: fold(name, encodeValue(name, sanitize(value, MaxHeaderValue)), eol)}
}
