package entity

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-message/charset"
)

// TestDecode: go-message's decoders undo the transfer encodings; broken
// bodies give what was decoded before the break and ErrEncoding, and
// DecodeTransfer reads on.
func TestDecode(t *testing.T) {
	tests := []struct {
		name, cte, body, want string
		bad                   bool
	}{
		{"absent", "", "caf\xe9\n", "caf\xe9\n", false},
		{"8bit", "8bit", "caf\xe9\n", "caf\xe9\n", false},
		{"quoted-printable", "Quoted-Printable", "caf=E9 soft=\nbreak\n", "caf\xe9 softbreak\n", false},
		{"base64", "base64", "Y2Fm\r\n6Q==\r\n", "caf\xe9", false},
		{"base64 with parameters", "base64; x=y", "Y2Fm6Q==", "caf\xe9", false},
		{"base64 cut short", "base64", "Y2FmZWNhZmVj", "cafecafec", false},
		{"base64 broken part way", "base64", "Y2Fm\n!!!!\n", "caf", true},
		{"escape that is no hex kept", "quoted-printable", "ok\n=ZZ\n", "ok\n=ZZ\n", false},
		{"control byte in quoted-printable", "quoted-printable", "ok\nta\x01b\n", "ok\nta", true},
		{"unknown", "x-uuencode", "begin 644 x\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := ParseHeader([]byte("Content-Transfer-Encoding: " + tt.cte + "\n"))
			got, err := Decode(h, []byte(tt.body))
			if tt.bad != errors.Is(err, ErrEncoding) || string(got) != tt.want {
				t.Fatalf("Decode = %q, %v; want %q, error %v", got, err, tt.want, tt.bad)
			}
			lenient := string(DecodeTransfer(h, []byte(tt.body)))
			if want := tt.want; want == "" {
				if lenient != tt.body {
					t.Errorf("DecodeTransfer = %q, want the body as it is", lenient)
				}
			} else if lenient != want {
				t.Errorf("DecodeTransfer = %q, want %q", lenient, want)
			}
		})
	}
}

// TestDecodeQuirks: each charset leniency on its real sample.
func TestDecodeQuirks(t *testing.T) {
	t.Run("GB2312 read as GBK", func(t *testing.T) {
		b, err := os.ReadFile("../annotate/testdata/golden/report-gb2312.eml")
		if err != nil {
			t.Fatal(err)
		}
		tr := mustParse(t, b)
		var txt string
		for _, l := range leaves(tr.Root) {
			if l.Params["charset"] != "" && strings.EqualFold(l.Params["charset"], "gb2312") {
				txt, err = DecodeCharset(string(DecodeTransfer(l.Header, l.Body())), l.Params["charset"])
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		if !strings.ContainsFunc(txt, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Fatalf("no Chinese text decoded: %.200q", txt)
		}
	})
	t.Run("ASCII labelled UTF-7", func(t *testing.T) {
		// lhost-outlook-01: text/plain; charset=unicode-1-1-utf-7, all ASCII.
		tr := mustParse(t, sample(t, "lhost-outlook-01.eml"))
		var found bool
		for _, l := range leaves(tr.Root) {
			if cs := l.Params["charset"]; cs == "unicode-1-1-utf-7" {
				found = true
				txt, err := DecodeCharset(string(l.Body()), cs)
				if err != nil || txt != string(l.Body()) {
					t.Fatalf("DecodeCharset: %v", err)
				}
			}
		}
		if !found {
			t.Fatal("no UTF-7 part")
		}
		if _, err := DecodeCharset("1 + 1", "unicode-1-1-utf-7"); !errors.Is(err, ErrEncoding) {
			t.Errorf("UTF-7 text with a shift read as ASCII (error %v)", err)
		}
	})
	t.Run("invalid UTF-8 labelled utf-8", func(t *testing.T) {
		// rfc3464-08: a base64 text/plain; charset="utf-8" part that
		// decodes to bytes that are no UTF-8.
		tr := mustParse(t, sample(t, "rfc3464-08.eml"))
		l := leaves(tr.Root)[0]
		dec := DecodeTransfer(l.Header, l.Body())
		if l.Params["charset"] != "utf-8" || utf8.Valid(dec) {
			t.Fatalf("sample changed: %s %.40q", l.Params["charset"], dec)
		}
		if txt := ToUTF8(string(dec), "utf-8"); !utf8.ValidString(txt) || len(txt) < len(dec) {
			t.Errorf("not read as Windows-1252: %.40q", txt)
		}
	})
	t.Run("unknown charset", func(t *testing.T) {
		if _, err := DecodeCharset("caf\xe9", "x-no-such-charset"); !errors.Is(err, ErrEncoding) {
			t.Errorf("error %v, want ErrEncoding", err)
		}
		if got := ToUTF8("caf\xe9", "x-no-such-charset"); got != "café" {
			t.Errorf("ToUTF8 = %q, want the Windows-1252 reading", got)
		}
	})
}

// TestASCIIIdentity: for every charset asciiIdentity names, the decoder
// maps each ASCII byte but ESC, SO and SI to itself, so DecodeCharset may
// return such text as it is.
func TestASCIIIdentity(t *testing.T) {
	var b strings.Builder
	for c := 0; c < 0x80; c++ {
		if c != 0x1b && c != 0x0e && c != 0x0f {
			b.WriteByte(byte(c))
		}
	}
	ascii := strings.Repeat(b.String(), 3)
	for _, cs := range []string{"iso-8859-1", "iso-8859-2", "iso-8859-15", "latin1", "windows-1250", "windows-1251", "windows-1252",
		"iso-2022-jp", "shift_jis", "euc-jp", "euc-kr", "gb2312", "gbk", "big5", "koi8-r", "utf-16", "hz-gb-2312"} {
		t.Run(cs, func(t *testing.T) {
			r, err := charset.Reader(cs, strings.NewReader(ascii))
			if err != nil {
				t.Fatal(err)
			}
			out, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if same := string(out) == ascii; same != asciiIdentity(cs) {
				t.Errorf("decoding ASCII gives it back: %v; asciiIdentity(%q) = %v", same, cs, asciiIdentity(cs))
			}
		})
	}
}
