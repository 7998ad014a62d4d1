// Command walk is the baseline of internal/bench/run: a bare go-message
// walk (RFC 5322, RFC 2045) of the given message files. It reads each file,
// parses it with message.Read, walks its parts and reads and decodes every
// body, the least any MIME-aware tool must do with the same files:
//
//	go run ./internal/bench/walk FILE...
//
// It prints one line: files, parts and decoded bytes, so that the work
// cannot be optimised away and a wrong file list shows.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode charsets as bouncenote does
)

// counts is what a walk saw.
type counts struct {
	files, parts, failed int
	decoded              int64
}

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: walk FILE...")
		flag.PrintDefaults()
	}
	verbose := flag.Bool("v", false, "name each file that is not parsed, and why")
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	var c counts
	for _, p := range flag.Args() {
		if err := c.walkFile(p); err != nil {
			if *verbose {
				fmt.Fprintf(os.Stderr, "walk: %s: %v\n", p, err)
			}
			c.failed++
		}
	}
	fmt.Printf("walk: %d file(s), %d part(s), %d decoded byte(s), %d not parsed\n", c.files, c.parts, c.decoded, c.failed)
}

// walkFile reads one file and walks its MIME tree; a part that cannot be
// read ends the walk of that file, as a message that cannot be parsed.
func (c *counts) walkFile(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	c.files++
	// QUIRK: corpus files often keep an mbox "From " line on top
	// (sisimai's rhost-gsuite-13.eml); bouncenote skips it, so does the walk.
	if bytes.HasPrefix(raw, []byte("From ")) {
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			raw = raw[i+1:]
		}
	}
	e, err := message.Read(bytes.NewReader(raw))
	if fatal(err) {
		return err
	}
	return e.Walk(func(_ []int, part *message.Entity, err error) error {
		if fatal(err) {
			return err
		}
		c.parts++
		if part.MultipartReader() != nil {
			return nil // its parts follow
		}
		n, err := io.Copy(io.Discard, part.Body)
		c.decoded += n
		return err
	})
}

// fatal reports whether err stops the walk: an unknown charset or
// transfer encoding leaves the body readable as it is, as in bouncenote.
func fatal(err error) bool {
	return err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err)
}
