// Package bench holds what bouncenote's measurements compare against: a
// bare go-message walk of a message (RFC 5322, RFC 2045) and the list of
// corpus files every comparison reads. internal/bench/run drives the
// commands beside it (walk, noopmilter, milterload).
package bench

import (
	"bytes"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode charsets as bouncenote does
)

// Counts is what a walk saw.
type Counts struct {
	Parts   int   // MIME parts, multiparts included
	Decoded int64 // body bytes after transfer and charset decoding
}

// Walk parses raw with message.Read, walks its parts and reads and decodes
// every body: the least any MIME-aware tool does with a message. A part
// that cannot be read ends the walk with its error; an unknown charset or
// transfer encoding does not (the body is read as it is, as in
// bouncenote).
func Walk(raw []byte) (Counts, error) {
	var c Counts
	// QUIRK: corpus files often keep an mbox "From " line on top
	// (sisimai's rhost-gsuite-13.eml); bouncenote skips it, so does the walk.
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
	}
	e, err := message.Read(bytes.NewReader(raw))
	if fatal(err) {
		return c, err
	}
	err = e.Walk(func(_ []int, part *message.Entity, err error) error {
		if fatal(err) {
			return err
		}
		c.Parts++
		if part.MultipartReader() != nil {
			return nil // its parts follow
		}
		n, err := io.Copy(io.Discard, part.Body)
		c.Decoded += n
		return err
	})
	return c, err
}

// fatal reports whether err stops the walk.
func fatal(err error) bool {
	return err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err)
}

// CorpusFiles lists the message files below root (testdata/corpus), sorted,
// leaving out LICENSE files and expected.tsv: the files internal/bench/run
// hands to every command it compares.
func CorpusFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if d.Name() != "LICENSE" && !strings.HasSuffix(d.Name(), ".tsv") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}
