package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// maxInputBytes bounds how much of one file is read; dsn's own limit
// (dsn.DefaultMaxBodyBytes) then rejects messages over its size.
const maxInputBytes = 256 << 20

// inputItem is one message found by walkInputs.
type inputItem struct {
	Name  string // PATH, or PATH#N for the N-th message (from 1) of an mbox
	Path  string // the file it came from ("-" for stdin)
	Index int    // 1-based position in an mbox, 0 for a single-message file
	Raw   []byte // the message bytes; nil when Err is set
	Err   error  // the file could not be read
}

// walkInputs calls fn for every message under the given paths, in order:
// a file (one message, or an mbox of several), "-" for stdin, a directory of
// message files (sorted by name, not recursive, hidden files skipped) or a
// Maildir (its cur/ and new/). Subdirectories are skipped, each with a
// warning through warn. fn returning false stops the walk.
func walkInputs(paths []string, stdin io.Reader, warn func(string), fn func(inputItem) bool) {
	for _, p := range paths {
		if !walkPath(p, stdin, warn, fn) {
			return
		}
	}
}

func walkPath(p string, stdin io.Reader, warn func(string), fn func(inputItem) bool) bool {
	if p == "-" {
		raw, err := io.ReadAll(io.LimitReader(stdin, maxInputBytes))
		return emitFile(p, raw, err, fn)
	}
	st, err := os.Stat(p)
	if err != nil {
		return fn(inputItem{Name: p, Path: p, Err: err})
	}
	if !st.IsDir() {
		raw, err := readFile(p)
		return emitFile(p, raw, err, fn)
	}
	files, skipped, err := dirFiles(p)
	if err != nil {
		return fn(inputItem{Name: p, Path: p, Err: err})
	}
	warnSkipped(warn, skipped)
	for _, f := range files {
		raw, err := readFile(f)
		if !emitFile(f, raw, err, fn) {
			return false
		}
	}
	return true
}

// dirFiles lists the message files of a directory, or of a Maildir's cur/
// and new/ when dir is one, and the subdirectories it skips.
func dirFiles(dir string) (files, skipped []string, err error) {
	if isMaildir(dir) {
		for _, sub := range []string{"cur", "new"} {
			fs, sk, listErr := listFiles(filepath.Join(dir, sub))
			if listErr != nil {
				return nil, nil, listErr
			}
			files, skipped = append(files, fs...), append(skipped, sk...)
		}
		return files, skipped, nil
	}
	return listFiles(dir)
}

// warnSkipped tells about each skipped subdirectory.
func warnSkipped(warn func(string), skipped []string) {
	for _, d := range skipped {
		warn(d + ": subdirectory skipped (directories are read one level deep; name it to read it)")
	}
}

// isMaildir reports whether dir has cur/ and new/ subdirectories.
func isMaildir(dir string) bool {
	for _, sub := range []string{"cur", "new"} {
		st, err := os.Stat(filepath.Join(dir, sub))
		if err != nil || !st.IsDir() {
			return false
		}
	}
	return true
}

// listFiles returns the regular, non-hidden files of dir, sorted, and its
// non-hidden subdirectories, which are not read.
func listFiles(dir string) (files, subdirs []string, err error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range ents {
		switch {
		case len(e.Name()) == 0 || e.Name()[0] == '.':
		case e.IsDir():
			subdirs = append(subdirs, filepath.Join(dir, e.Name()))
		default:
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(files)
	sort.Strings(subdirs)
	return files, subdirs, nil
}

func readFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxInputBytes+1))
	if err == nil && len(raw) > maxInputBytes {
		err = fmt.Errorf("file larger than %d bytes", maxInputBytes)
	}
	return raw, err
}

// emitFile hands one file's messages to fn: one item for an ordinary file,
// one per message (named PATH#N) for an mbox of two or more messages. A
// file named *.eml is always one message, whatever it starts with (the
// .eml convention; QUIRK: such files often keep an mbox "From " line and
// sometimes have a second message appended).
func emitFile(p string, raw []byte, err error, fn func(inputItem) bool) bool {
	if err != nil {
		return fn(inputItem{Name: p, Path: p, Err: err})
	}
	var msgs [][]byte
	if !strings.EqualFold(filepath.Ext(p), ".eml") {
		msgs = splitMbox(raw)
	}
	if len(msgs) < 2 {
		return fn(inputItem{Name: p, Path: p, Raw: raw})
	}
	for i, m := range msgs {
		if !fn(inputItem{Name: fmt.Sprintf("%s#%d", p, i+1), Path: p, Index: i + 1, Raw: m}) {
			return false
		}
	}
	return true
}

// splitMbox splits an mbox (RFC 4155) on its "From " separator lines: a
// "From " at the start of the data or after a blank line. The separator line
// itself is dropped and ">From " quoting (mboxrd) undone. Data that does not
// start with "From " is not an mbox: nil.
func splitMbox(raw []byte) [][]byte {
	if !bytes.HasPrefix(raw, []byte("From ")) {
		return nil
	}
	var msgs [][]byte
	start := 0
	for pos := 0; pos < len(raw); {
		end := bytes.IndexByte(raw[pos:], '\n')
		next := len(raw)
		if end >= 0 {
			next = pos + end + 1
		}
		if bytes.HasPrefix(raw[pos:], []byte("From ")) && (pos == 0 || precededByBlank(raw, pos)) {
			if pos > 0 {
				msgs = append(msgs, unquoteFrom(raw[start:pos]))
			}
			start = next
		}
		pos = next
	}
	return append(msgs, unquoteFrom(raw[start:]))
}

// precededByBlank reports whether the line at pos follows an empty line.
func precededByBlank(raw []byte, pos int) bool {
	before := bytes.TrimRight(raw[:pos], "\r\n")
	gap := raw[len(before):pos]
	return bytes.Count(gap, []byte("\n")) >= 2 || len(before) == 0
}

// unquoteFrom undoes mboxrd ">From " quoting.
func unquoteFrom(m []byte) []byte {
	if !bytes.Contains(m, []byte("\n>")) {
		return m
	}
	lines := bytes.SplitAfter(m, []byte("\n"))
	for i, l := range lines {
		t := bytes.TrimLeft(l, ">")
		if len(t) < len(l) && bytes.HasPrefix(t, []byte("From ")) {
			lines[i] = l[1:]
		}
	}
	return bytes.Join(lines, nil)
}
