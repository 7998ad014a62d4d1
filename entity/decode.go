package entity

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// ErrEncoding is wrapped by every error about a body that cannot be
// decoded: a broken transfer encoding or an unknown charset.
var ErrEncoding = errors.New("entity: cannot decode")

// Transfer encodings. RFC 2045 §6.1
const (
	CTE7bit            = "7bit"
	CTE8bit            = "8bit"
	CTEBinary          = "binary"
	CTEQuotedPrintable = "quoted-printable"
	CTEBase64          = "base64"
)

func init() {
	// QUIRK: mail labelled GB2312 or EUC-CN is often really GBK, a
	// superset; go-message's tables have no GB2312 decoder of their own
	// (sample annotate/testdata/golden/report-gb2312.eml, TestDecodeQuirks).
	charset.RegisterEncoding("gb2312", simplifiedchinese.GBK)
	charset.RegisterEncoding("euc-cn", simplifiedchinese.GBK)
}

// TransferEncoding returns the lower-case Content-Transfer-Encoding of h,
// "" when absent.
func TransferEncoding(h Header) string {
	cte := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding")))
	switch {
	case strings.HasPrefix(cte, CTEBase64):
		return CTEBase64
	case strings.HasPrefix(cte, CTEQuotedPrintable):
		return CTEQuotedPrintable
	}
	return cte
}

// Decode undoes the Content-Transfer-Encoding of body (RFC 2045 §6) with
// go-message's decoders. An identity encoding returns body itself. Broken
// base64 or quoted-printable gives what was decoded before the break and
// an error wrapping ErrEncoding; an unknown encoding gives nil and such an
// error.
func Decode(h Header, body []byte) ([]byte, error) {
	enc := TransferEncoding(h)
	switch enc {
	case "", CTE7bit, CTE8bit, CTEBinary:
		return body, nil
	}
	var mh message.Header
	mh.Set("Content-Transfer-Encoding", enc)
	ent, err := message.New(mh, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("transfer encoding %q: %w", enc, ErrEncoding)
	}
	out, err := readAll(ent.Body, decodedCap(enc, len(body)))
	if err != nil {
		return out, fmt.Errorf("%s: %v: %w", enc, err, ErrEncoding)
	}
	return out, nil
}

// decodedCap is room for the decoded form of n bytes in encoding enc (never
// larger than them in quoted-printable, 3/4 of them in base64), and one
// byte more so that the end is read without growing. RFC 2045 §6.7, §6.8
func decodedCap(enc string, n int) int {
	if enc == CTEBase64 {
		return n/4*3 + 4
	}
	return n + 1
}

// readAll is io.ReadAll starting with capacity size, not 512 bytes: a
// decoded body is read without growing its buffer again and again.
func readAll(r io.Reader, size int) ([]byte, error) {
	b := make([]byte, 0, size)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // let append grow the buffer
		}
	}
}

// DecodeTransfer is Decode for readers: it never fails. A body broken
// part way is read up to the break (a sample cut from a large part, too);
// one that cannot be decoded at all is read as it is.
func DecodeTransfer(h Header, body []byte) []byte {
	out, err := Decode(h, body)
	if err != nil && len(out) == 0 {
		return body
	}
	return out
}

// DecodeCharset converts s, declared to be in charset cs ("" when
// unknown), to UTF-8 with go-message's charset tables. An unknown charset
// or text that does not convert gives an error wrapping ErrEncoding.
// Undeclared, US-ASCII and UTF-8 text comes back as it is when it is valid
// UTF-8; otherwise its bytes are read as Windows-1252 (QUIRK: 8-bit text
// that is not what its label says; sample rfc3464-08, whose "utf-8" text
// part decodes to bytes that are no UTF-8, TestDecodeQuirks).
func DecodeCharset(s, cs string) (string, error) {
	cs = strings.ToLower(strings.Trim(cs, "\" \t"))
	switch cs {
	case "", "us-ascii", "ascii", "utf-8", "utf8", CTE7bit, CTE8bit:
		// QUIRK: ISO-2022-JP text is often sent without a charset label;
		// its escape sequence is unmistakable (sample: annotate/testdata/golden/qmail-iso2022jp.eml).
		if !strings.Contains(s, "\x1b$B") && !strings.Contains(s, "\x1b$@") {
			if utf8.ValidString(s) {
				return s, nil
			}
			return latin1(s), nil
		}
		cs = "iso-2022-jp"
	}
	if asciiIdentity(cs) && IsASCII(s) && !strings.ContainsAny(s, "\x1b\x0e\x0f") {
		return s, nil // what the decoder would return, without its buffers
	}
	r, err := charset.Reader(cs, strings.NewReader(s))
	if err != nil {
		if asciiAsAnyCharset(s, cs) {
			return s, nil
		}
		return "", fmt.Errorf("%v: %w", err, ErrEncoding)
	}
	// Read straight into the buffer (bytes.Buffer.ReadFrom): io.Copy into
	// a strings.Builder would allocate a 32 KiB buffer per call.
	var out bytes.Buffer
	out.Grow(len(s) + bytes.MinRead)
	if _, err := out.ReadFrom(r); err != nil || !utf8.Valid(out.Bytes()) {
		return "", fmt.Errorf("charset %q: %w", cs, ErrEncoding)
	}
	return out.String(), nil
}

// asciiIdentity reports a charset whose decoder maps ASCII text without
// escape (ESC) or shift (SO, SI) bytes to itself: the single-byte ISO and
// Windows tables and the multi-byte Japanese, Chinese and Korean ones,
// whose lead bytes are all 8-bit (TestASCIIIdentity checks each).
func asciiIdentity(cs string) bool {
	switch cs {
	case "iso-8859-1", "iso-8859-2", "iso-8859-15", "latin1", "windows-1250", "windows-1251", "windows-1252",
		"iso-2022-jp", "shift_jis", "euc-jp", "euc-kr", "gb2312", "gbk", "big5", "koi8-r":
		return true
	}
	return false
}

// asciiAsAnyCharset reports text in a charset go-message does not know
// that reads the same in any ASCII-based one. QUIRK: Outlook labels ASCII
// text "unicode-1-1-utf-7" (sample lhost-outlook-01,
// TestDecodeQuirks); UTF-7 text without its shift character "+" is ASCII.
func asciiAsAnyCharset(s, cs string) bool {
	return IsASCII(s) && !strings.ContainsAny(s, "\x00\x1b") &&
		(!strings.Contains(cs, "utf-7") || !strings.Contains(s, "+"))
}

// ToUTF8 is DecodeCharset for readers: it never fails. Text that cannot be
// converted is kept when it is valid UTF-8 and otherwise read as
// Windows-1252.
func ToUTF8(s, cs string) string {
	out, err := DecodeCharset(s, cs)
	switch {
	case err == nil:
		return out
	case utf8.ValidString(s):
		return s
	}
	return latin1(s)
}

// latin1 decodes undeclared 8-bit text as Windows-1252, the usual guess
// for Western mail, so that the result is valid UTF-8.
func latin1(b string) string {
	out, err := charmap.Windows1252.NewDecoder().String(b)
	if err != nil {
		return strings.ToValidUTF8(b, "\uFFFD")
	}
	return out
}

// IsASCII reports whether s has only 7-bit bytes.
func IsASCII[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
