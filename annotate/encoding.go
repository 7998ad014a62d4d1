package annotate

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// Transfer encodings. RFC 2045 §6.1
const (
	cte7bit   = "7bit"
	cte8bit   = "8bit"
	cteBinary = "binary"
	cteQP     = "quoted-printable"
	cteBase64 = "base64"
)

// errEncoding is wrapped when a part's text cannot be decoded.
var errEncoding = errors.New("annotate: cannot decode part")

// decodeCTE undoes the part's Content-Transfer-Encoding.
func decodeCTE(body []byte, cte string) ([]byte, error) {
	switch cte {
	case cte7bit, cte8bit, cteBinary, "":
		return body, nil
	case cteQP:
		// QUIRK: the standard reader is strict about malformed escapes; fall
		// back to keeping such bytes literally.
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		if err != nil {
			return lenientQP(body), nil
		}
		return out, nil
	case cteBase64:
		clean := make([]byte, 0, len(body))
		for _, c := range body {
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				clean = append(clean, c)
			}
		}
		clean = bytes.TrimRight(clean, "=")
		out, err := base64.RawStdEncoding.DecodeString(string(clean))
		if err != nil {
			return nil, fmt.Errorf("%w: base64: %v", errEncoding, err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: unknown transfer encoding %q", errEncoding, cte)
}

// lenientQP decodes quoted-printable, keeping invalid escapes as they are.
func lenientQP(body []byte) []byte {
	var out bytes.Buffer
	for _, line := range splitLines(body) {
		text, eol := trimEOL(line)
		text = bytes.TrimRight(text, " \t")
		soft := bytes.HasSuffix(text, []byte("="))
		if soft {
			text = text[:len(text)-1]
		}
		for i := 0; i < len(text); i++ {
			if text[i] == '=' && i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]) {
				out.WriteByte(unhex(text[i+1])<<4 | unhex(text[i+2]))
				i += 2
				continue
			}
			out.WriteByte(text[i])
		}
		if !soft {
			out.Write(eol)
		}
	}
	return out.Bytes()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// splitLines splits b after each '\n', keeping the endings.
func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, b)
			break
		}
		out = append(out, b[:i+1])
		b = b[i+1:]
	}
	return out
}

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
	for _, line := range splitLines(text) {
		t, e := trimEOL(line)
		encodeQPLine(&out, t, eol)
		if e != nil {
			out.WriteString(eol)
		}
	}
	return out.Bytes()
}

// encodeQPLine writes one logical line, inserting soft line breaks.
func encodeQPLine(out *bytes.Buffer, t []byte, eol string) {
	const max = 75 // characters before the soft-break "="
	col := 0
	for i := 0; i < len(t); {
		c := t[i]
		tok, n := string(c), 1
		last := i == len(t)-1
		switch {
		case c >= 0x80:
			_, size := utf8.DecodeRune(t[i:])
			if size < 1 {
				size = 1
			}
			tok = ""
			for _, b := range t[i : i+size] { // keep a UTF-8 sequence on one line
				tok += fmt.Sprintf("=%02X", b)
			}
			n = size
		case c == '=', c < ' ' && c != '\t', c == 0x7f, last && (c == ' ' || c == '\t'):
			tok = fmt.Sprintf("=%02X", c)
		}
		if col+len(tok) > max {
			out.WriteString("=" + eol)
			col = 0
		}
		out.WriteString(tok)
		col += len(tok)
		i += n
	}
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

// charsetEncoding returns the text encoding of a MIME charset name, nil for
// UTF-8 and US-ASCII.
func charsetEncoding(name string) (encoding.Encoding, error) {
	name = strings.ToLower(strings.Trim(name, `" `))
	switch name {
	case "", "us-ascii", "ascii", "utf-8", "utf8":
		return nil, nil
	case "gb2312", "x-gbk", "gbk", "cp936", "euc-cn":
		name = "gbk" // QUIRK: GB2312 mail is often really GBK
	}
	if e, err := htmlindex.Get(name); err == nil {
		return e, nil
	}
	if e, err := ianaindex.MIME.Encoding(name); err == nil && e != nil {
		return e, nil
	}
	return nil, fmt.Errorf("%w: unknown charset %q", errEncoding, name)
}

// toUTF8 decodes text in the named charset to UTF-8.
func toUTF8(b []byte, charset string) ([]byte, error) {
	e, err := charsetEncoding(charset)
	if err != nil {
		// QUIRK: Exchange labels ASCII text "unicode-1-1-utf-7"; text that is
		// plain ASCII (and has no UTF-7 shift "+") reads the same in any
		// ASCII-based charset.
		if isASCII(b) && bytes.IndexByte(b, 0) < 0 && bytes.IndexByte(b, 0x1b) < 0 &&
			(!strings.Contains(charset, "utf-7") || bytes.IndexByte(b, '+') < 0) {
			return b, nil
		}
		return nil, err
	}
	if e == nil {
		return b, nil
	}
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return nil, fmt.Errorf("%w: charset %s: %v", errEncoding, charset, err)
	}
	return out, nil
}

// isASCII reports whether b has only 7-bit bytes.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
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
