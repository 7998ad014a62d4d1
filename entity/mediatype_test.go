package entity

import (
	"maps"
	"mime"
	"testing"
)

// mediaTypeSamples are Content-Type values of real bounces and the edges
// of the fast path: continuations, escapes, duplicates, trailing
// semicolons, white space, bad syntax.
var mediaTypeSamples = []string{
	`text/plain`,
	`text/plain; charset=us-ascii`,
	`multipart/report; report-type=delivery-status; boundary="9A7B6C5D.1234/mx.example.org"`,
	`Multipart/Mixed;	boundary="----=_NextPart_000_0001"`,
	`message/delivery-status`,
	`text/plain; charset="iso-2022-jp"; format=flowed`,
	`text/plain;`,
	`text/plain; ;`,
	`text/plain ; charset = "utf-8" `,
	`text/plain; charset=utf-8; charset=utf-8`,
	`text/plain; charset=utf-8; charset=latin1`,
	`text/plain; name*0="a"; name*1="b"`,
	`text/plain; name*=utf-8''%E2%82%AC`,
	`text/plain; name="a\"b"`,
	`text/plain; name="C:\dev\x"`,
	`text/plain; name="unclosed`,
	`text/plain; name=`,
	`text/plain; =x`,
	`text/plain charset=x`,
	`text`,
	`text/`,
	`/plain`,
	`text/plain/x`,
	`text/plain; name="a"b`,
	`text/plain; name=""`,
	"text/plain; name=\"a\rb\"",
	`text/plain; charset=ü`,
	"\ttext/plain",
}

func TestParseMediaType(t *testing.T) {
	for i, v := range mediaTypeSamples {
		t.Run(v, func(t *testing.T) {
			compareMediaType(t, v)
			if _, _, ok := simpleMediaType(v); i < 6 && !ok {
				t.Errorf("a common value left to mime.ParseMediaType")
			}
		})
	}
}

func FuzzParseMediaType(f *testing.F) {
	for _, v := range mediaTypeSamples {
		f.Add(v)
	}
	f.Fuzz(compareMediaType)
}

func compareMediaType(t *testing.T, v string) {
	mt, params, err := parseMediaType(v)
	wmt, wparams, werr := mime.ParseMediaType(v)
	if mt != wmt || !maps.Equal(params, wparams) || (err == nil) != (werr == nil) || (params == nil) != (wparams == nil) {
		t.Errorf("parseMediaType(%q) = %q %v %v, want %q %v %v", v, mt, params, err, wmt, wparams, werr)
	}
}
