// Command walk is the baseline of internal/bench/run: a bare go-message
// walk (bench.Walk: message.Read, every part, every body read and
// decoded) of the given message files, read one after another:
//
//	go run ./internal/bench/walk [-outdir DIR] FILE...
//
// It prints one line: files, parts and decoded bytes, so that the work
// cannot be optimised away and a wrong file list shows.
//
// With -outdir DIR it also writes each file's bytes, unchanged, to
// DIR/FILE through the very code with which annotate writes its outputs
// (internal/atomicfile: a temporary file with the mode 0644, renamed into
// place where no file is, in batches whose fsyncs run at once, each
// directory created once and fsynced once at the end): the floor of
// annotate --outdir, what reading, walking and writing the files safely
// cost before any annotating.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/bouncenote/bouncenote/internal/atomicfile"
	"github.com/bouncenote/bouncenote/internal/bench"
)

func main() {
	verbose := flag.Bool("v", false, "name each file that is not parsed or not written, and why")
	outdir := flag.String("outdir", "", "also write each file unchanged below `DIR`, as annotate --outdir writes")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: walk [-v] [-outdir DIR] FILE...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	w := writer{dir: *outdir, verbose: *verbose}
	w.batch.Commit = w.commit
	var total bench.Counts
	files, failed := 0, 0
	for _, p := range flag.Args() {
		raw, err := os.ReadFile(p)
		if err == nil {
			files++
			var c bench.Counts
			c, err = bench.Walk(raw)
			total.Parts += c.Parts
			total.Decoded += c.Decoded
			w.write(p, raw)
		}
		if err != nil {
			failed++
			if *verbose {
				fmt.Fprintf(os.Stderr, "walk: %s: %v\n", p, err)
			}
		}
	}
	w.batch.Flush()
	w.dirs.Sync()
	fmt.Printf("walk: %d file(s), %d part(s), %d decoded byte(s), %d not parsed", files, total.Parts, total.Decoded, failed)
	if w.dir != "" {
		fmt.Printf(", %d written, %d not written", w.written, w.failed)
	}
	fmt.Println()
}

// writer writes the files below dir (-outdir), when set.
type writer struct {
	dir             string
	verbose         bool
	dirs            atomicfile.Dirs
	batch           atomicfile.Batch[pending]
	written, failed int
}

// pending is a file written to its temporary name.
type pending struct {
	dst string
	f   *atomicfile.File
}

// write writes raw, the contents of the file p, to DIR/p, committed with
// its batch.
func (w *writer) write(p string, raw []byte) {
	if w.dir == "" {
		return
	}
	dst := filepath.Join(w.dir, p)
	err := w.dirs.MkdirAll(filepath.Dir(dst), 0o755)
	var f *atomicfile.File
	if err == nil {
		f, err = atomicfile.Write(dst, raw, 0o644, nil)
	}
	if err != nil {
		w.fail(dst, err)
		return
	}
	w.batch.Add(pending{dst, f}, f)
}

func (w *writer) commit(p pending) {
	if err := p.f.RenameNoReplace(p.dst, &w.dirs); err != nil {
		w.fail(p.dst, err)
		return
	}
	w.written++
}

func (w *writer) fail(dst string, err error) {
	w.failed++
	if w.verbose {
		fmt.Fprintf(os.Stderr, "walk: %s: not written: %v\n", dst, err)
	}
}
