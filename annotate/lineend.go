package annotate

import (
	"bytes"
	"errors"
)

// ErrLineEndings is returned, with the message unchanged, when its first
// line ends with a bare CR but other lines end with LF: annotate could not
// write a header field or a block with the message's own line ending.
var ErrLineEndings = errors.New("annotate: bare CR line endings mixed with LF")

// crOnly reports a message whose lines all end with a bare CR.
func crOnly(raw []byte) bool {
	return bytes.IndexByte(raw, '\n') < 0 && bytes.IndexByte(raw, '\r') >= 0
}

// bareCRFirst reports a message whose first line ends with a bare CR.
func bareCRFirst(raw []byte) bool {
	i := bytes.IndexAny(raw, "\r\n")
	return i >= 0 && raw[i] == '\r' && (i+1 == len(raw) || raw[i+1] != '\n')
}

// annotateCR annotates a message whose lines end with a bare CR as the
// same message with LF endings, and turns the result's LF endings back
// into CR. raw has no LF, and nothing annotate writes has a CR, so both
// translations are one to one: the block and the header fields get CR
// endings and land where they would in the LF message.
// QUIRK: mail files from old Mac OS end their lines with a bare CR.
func annotateCR(raw []byte, opts Options) (*Result, error) {
	res, err := Annotate(bytes.ReplaceAll(raw, []byte("\r"), []byte("\n")), opts)
	if err != nil || !res.Changed {
		res.Output = raw
		return res, err
	}
	if bytes.IndexByte(res.Output, '\r') >= 0 { // cannot be turned back one to one
		return &Result{Report: res.Report, Output: raw}, ErrLineEndings
	}
	toCR := func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r")) }
	res.Output = toCR(res.Output)
	if res.Body != nil {
		res.Body = toCR(res.Body)
	}
	for _, fs := range [][]Field{res.AddHeaders, res.SetHeaders} {
		for i := range fs {
			fs[i].Value = string(toCR([]byte(fs[i].Value)))
		}
	}
	return res, nil
}
