package annotate

import (
	"bytes"
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// The one part annotate rewrites is encoded here, not with go-message's
// writer: that writer (mime/quotedprintable, its lineWrapper) always ends
// lines with CRLF, while an LF message must keep LF endings, and it may
// split a UTF-8 sequence across a soft line break; the output must also
// stay byte for byte what the golden files hold. Decoding is package
// entity's (go-message's decoders).

// trimEOL splits a line into its text and its line ending.
func trimEOL(line []byte) ([]byte, []byte) {
	n := len(line)
	if n > 0 && line[n-1] == '\n' {
		if n > 1 && line[n-2] == '\r' {
			return line[:n-2], line[n-2:]
		}
		return line[:n-1], line[n-1:]
	}
	return line, nil
}

// encodeQP encodes text as quoted-printable with hard line breaks written as
// eol and soft breaks keeping lines within 76 characters. RFC 2045 §6.7
func encodeQP(text []byte, eol string) []byte {
	var out bytes.Buffer
	out.Grow(len(text) + len(text)/8)
	encodeQPTo(&out, text, eol)
	return out.Bytes()
}

// encodeQPTo writes encodeQP of text to out.
func encodeQPTo(out *bytes.Buffer, text []byte, eol string) {
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line = text[:i+1]
		}
		text = text[len(line):]
		t, e := trimEOL(line)
		encodeQPLine(out, t, eol)
		if e != nil {
			out.WriteString(eol)
		}
	}
}

// encodeQPLine writes one logical line, inserting soft line breaks. It
// appends to the buffer's free space: runs of literal bytes as they are,
// each escaped byte without a call of its own (a part of 8-bit text has
// every byte escaped).
func encodeQPLine(out *bytes.Buffer, t []byte, eol string) {
	const max = 75 // characters before the soft-break "="
	b := out.AvailableBuffer()
	col := 0
	for i := 0; i < len(t); {
		if j := literalRun(t, i); j > i {
			// Bytes written as they are, as many as fit on each line.
			for i < j {
				if col >= max {
					b = append(append(b, '='), eol...)
					col = 0
				}
				n := min(j-i, max-col)
				b = append(b, t[i:i+n]...)
				col += n
				i += n
			}
			continue
		}
		n := 1
		if t[i] >= utf8.RuneSelf {
			if _, size := utf8.DecodeRune(t[i:]); size > 1 {
				n = size // keep a UTF-8 sequence on one line
			}
		}
		if col+3*n > max {
			b = append(append(b, '='), eol...)
			col = 0
		}
		for _, x := range t[i : i+n] {
			b = appendQPByte(b, x)
		}
		col += 3 * n
		i += n
	}
	out.Write(b)
}

// literalRun returns the end of the run of bytes from t[i] that
// quoted-printable writes as they are, except a space or tab that ends
// the line. RFC 2045 §6.7 (2), (3)
func literalRun(t []byte, i int) int {
	j := i
	for j < len(t) && qpLiteral(t[j]) {
		j++
	}
	if j == len(t) && j > i && (t[j-1] == ' ' || t[j-1] == '\t') {
		j--
	}
	return j
}

// qpLiteral reports a byte that quoted-printable may write as it is:
// printable ASCII but "=", and tab. RFC 2045 §6.7 (2), (3)
func qpLiteral(c byte) bool {
	return c == '\t' || (c >= ' ' && c < 0x7f && c != '=')
}

// appendQPByte appends b as "=XX", upper-case hex. RFC 2045 §6.7 (1)
func appendQPByte(dst []byte, b byte) []byte {
	const hex = "0123456789ABCDEF"
	return append(dst, '=', hex[b>>4], hex[b&0x0f])
}

// encodeBase64 encodes b in lines of 76 characters ending with eol. RFC 2045 §6.8
func encodeBase64(b []byte, eol string) []byte {
	enc := base64.StdEncoding.EncodeToString(b)
	var out bytes.Buffer
	for len(enc) > 76 {
		out.WriteString(enc[:76] + eol)
		enc = enc[76:]
	}
	if enc != "" {
		out.WriteString(enc + eol)
	}
	return out.Bytes()
}

// asciiCompatible lists charsets in which ASCII text keeps its bytes and
// that need no shift state, so a pure-ASCII block can be prepended as is.
func asciiCompatible(charset string) bool {
	switch {
	case charset == "", charset == "us-ascii", charset == "utf-8", charset == "utf8":
		return true
	case strings.HasPrefix(charset, "iso-8859-"), strings.HasPrefix(charset, "windows-125"),
		strings.HasPrefix(charset, "cp125"), charset == "koi8-r", charset == "koi8-u":
		return true
	}
	return false
}
