package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bouncenote/bouncenote/internal/atomicfile"
)

// maxInputBytes bounds how much of one file is read; dsn's own limit
// (dsn.DefaultMaxBodyBytes) then rejects messages over its size.
const maxInputBytes = 256 << 20

// This file is the one input reader of inspect and annotate: both list the
// PATH arguments with listInputs, read each file with readInput and split it
// into messages with splitMessages, so they always see the same messages.

// inputFile is one file found under the PATH arguments.
type inputFile struct {
	Path    string      // the file to read: the PATH itself, a file under it, or "-" for stdin
	Arg     string      // the PATH argument it was found under
	Rel     string      // Path relative to Arg when Arg is a directory, else ""
	Maildir bool        // Arg is a Maildir (Rel is then cur/NAME or new/NAME)
	Err     error       // Arg could not be listed; Path is Arg
	info    fs.FileInfo // Path's stat when listInputs made one (a file PATH), else nil
}

// listInputs lists the files of the given PATH arguments, in order: a file,
// "-" for stdin, a directory of message files (sorted by name, not
// recursive, hidden files skipped) or a Maildir (its cur/ and new/). A PATH
// that cannot be listed gives one inputFile with Err set. Subdirectories
// are skipped, each with a warning through warn.
func listInputs(paths []string, warn func(string)) []inputFile {
	var out []inputFile
	for _, p := range paths {
		if p == "-" {
			out = append(out, inputFile{Path: p, Arg: p})
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			out = append(out, inputFile{Path: p, Arg: p, Err: fileError("cannot read", p, err)})
			continue
		}
		if !st.IsDir() {
			out = append(out, inputFile{Path: p, Arg: p, info: st})
			continue
		}
		md := isMaildir(p)
		files, skipped, err := dirFiles(p)
		warnSkipped(warn, skipped)
		if err != nil {
			out = append(out, inputFile{Path: p, Arg: p, Maildir: md, Err: fileError("cannot list", p, err)})
			continue
		}
		for _, f := range files {
			rel, relErr := filepath.Rel(p, f)
			if relErr != nil {
				rel = filepath.Base(f)
			}
			out = append(out, inputFile{Path: f, Arg: p, Rel: rel, Maildir: md})
		}
	}
	return out
}

// readInput reads one listed file (stdin for "-"), and returns its
// permission bits, which annotate's output file gets so that a private
// mailbox stays private (0644 for standard input, or when unknown).
func readInput(f inputFile, stdin io.Reader) ([]byte, fs.FileMode, error) {
	if f.Err != nil {
		return nil, 0, f.Err
	}
	if f.Path == "-" {
		raw, err := io.ReadAll(io.LimitReader(stdin, maxInputBytes))
		if err != nil {
			return nil, 0, fmt.Errorf("cannot read standard input: %w", err)
		}
		return raw, 0o644, nil
	}
	return readFile(f.Path, f.info)
}

// inputMessage is one message of an input file.
type inputMessage struct {
	Name   string // PATH, or PATH#N for the N-th message (from 1) of an mbox
	Index  int    // 1-based position in an mbox, 0 for a single-message file
	Sep    []byte // the mbox "From " separator line with its line end, or nil
	Stored []byte // the message as stored in the file (mboxrd ">From " quoting kept)
}

// Unquoted returns the message with mboxrd ">From " quoting undone.
func (m inputMessage) Unquoted() []byte {
	if m.Sep == nil {
		return m.Stored
	}
	return unquoteFrom(m.Stored)
}

// splitMessages splits one file into its messages, the same way for every
// command: an mbox of two or more messages (RFC 4155: "From " separator
// lines at the start or after a blank line) gives one message per
// separator, anything else is one message, the whole file. A file named
// *.eml or in a Maildir's cur/ or new/ is always one message, whatever it
// starts with (QUIRK: .eml files often keep an mbox "From " line and
// sometimes have a second message appended). Writing each Sep followed by
// its Stored bytes gives back the file byte for byte.
func splitMessages(p string, raw []byte) []inputMessage {
	var segs []inputMessage
	if !singleMessageFile(p) {
		segs = splitMbox(raw)
	}
	if len(segs) < 2 {
		return []inputMessage{{Name: p, Stored: raw}}
	}
	for i := range segs {
		segs[i].Name = fmt.Sprintf("%s#%d", p, i+1)
		segs[i].Index = i + 1
	}
	return segs
}

// singleMessageFile reports whether the file at p holds one message
// whatever its content: a *.eml file or a file in a Maildir's cur/ or new/.
func singleMessageFile(p string) bool {
	if strings.EqualFold(filepath.Ext(p), ".eml") {
		return true
	}
	return p != "-" && inMaildir(p)
}

// inMaildir reports whether p is a file in cur/ or new/ of a Maildir.
func inMaildir(p string) bool {
	dir := filepath.Dir(p)
	sub := filepath.Base(dir)
	return (sub == "cur" || sub == "new") && isMaildir(filepath.Dir(dir))
}

// splitMbox splits an mbox (RFC 4155) on its "From " separator lines: a
// "From " at the start of the data or after a blank line. Each message
// keeps its separator line in Sep and its bytes as stored. Data that does
// not start with "From " is not an mbox: nil.
func splitMbox(raw []byte) []inputMessage {
	if !bytes.HasPrefix(raw, []byte("From ")) {
		return nil
	}
	var msgs []inputMessage
	sepStart, msgStart := 0, -1
	for pos := 0; pos < len(raw); {
		next := len(raw)
		if i := bytes.IndexByte(raw[pos:], '\n'); i >= 0 {
			next = pos + i + 1
		}
		if bytes.HasPrefix(raw[pos:], []byte("From ")) && (pos == 0 || precededByBlank(raw, pos)) {
			if msgStart >= 0 {
				msgs = append(msgs, inputMessage{Sep: raw[sepStart:msgStart], Stored: raw[msgStart:pos]})
			}
			sepStart, msgStart = pos, next
		}
		pos = next
	}
	return append(msgs, inputMessage{Sep: raw[sepStart:msgStart], Stored: raw[msgStart:]})
}

// inputItem is one message found by walkInputs.
type inputItem struct {
	Name  string // PATH, or PATH#N for the N-th message (from 1) of an mbox
	Path  string // the file it came from ("-" for stdin)
	Index int    // 1-based position in an mbox, 0 for a single-message file
	Err   error  // the file could not be read
	more  int    // on the first message of a file: how many more it holds
	msg   inputMessage
}

// Raw returns the message bytes (">From " unquoted); nil when Err is set.
func (it inputItem) Raw() []byte { return it.msg.Unquoted() }

// inputItems yields every message of files, in order (readInput,
// splitMessages); a file that cannot be read is one item with Err set.
func inputItems(files []inputFile, stdin io.Reader) iter.Seq[inputItem] {
	return func(yield func(inputItem) bool) {
		for _, f := range files {
			raw, _, err := readInput(f, stdin)
			if err != nil {
				if !yield(inputItem{Name: f.Path, Path: f.Path, Err: err}) {
					return
				}
				continue
			}
			msgs := splitMessages(f.Path, raw)
			for i, m := range msgs {
				it := inputItem{Name: m.Name, Path: f.Path, Index: m.Index, msg: m}
				if i == 0 {
					it.more = len(msgs) - 1
				}
				if !yield(it) {
					return
				}
			}
		}
	}
}

// walkInputs runs work on every message under the given paths on jobs
// workers (runOrdered) and calls emit with the results in input order;
// skipped subdirectories are told through warn first. emit returning
// false stops the walk. prog, if not nil, counts a file as one message
// until it is read, then its messages, and steps after each call of emit.
func walkInputs[R any](paths []string, stdin io.Reader, warn func(string), prog *progress, jobs int,
	work func(inputItem) R, emit func(inputItem, R) bool) {
	files := listInputs(paths, warn)
	prog.add(len(files))
	type done struct {
		it  inputItem
		res R
	}
	runOrdered(jobs, inputItems(files, stdin),
		func(it inputItem) done { return done{it, work(it)} },
		func(d done) bool {
			prog.add(d.it.more)
			ok := emit(d.it, d.res)
			prog.step()
			return ok
		})
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

// readFile reads the file p and returns its permission bits (0644 when
// they cannot be known). st, when not nil, is p's stat, made just before
// (listInputs): it is not made again.
func readFile(p string, st fs.FileInfo) ([]byte, fs.FileMode, error) {
	f, err := atomicfile.Open(p)
	if err != nil {
		return nil, 0, fileError("cannot read", p, err)
	}
	defer f.Close()
	if st == nil {
		st, _ = f.Stat()
	}
	var buf bytes.Buffer
	mode := fs.FileMode(0o644)
	if st != nil {
		mode = st.Mode().Perm()
		if st.Mode().IsRegular() && st.Size() <= maxInputBytes {
			buf.Grow(int(st.Size()) + bytes.MinRead) // one buffer of the file's size, not a doubling one
		}
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, maxInputBytes+1)); err != nil {
		return nil, 0, fileError("cannot read", p, err)
	}
	raw := buf.Bytes()
	if len(raw) > maxInputBytes {
		return nil, 0, fmt.Errorf("cannot read: file larger than %d bytes", maxInputBytes)
	}
	return raw, mode, nil
}

// fileError describes a failed operation on file name as "what: cause"
// (atomicfile.FileError).
var fileError = atomicfile.FileError

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
