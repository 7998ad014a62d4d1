// Command walk is the baseline of internal/bench/run: a bare go-message
// walk (bench.Walk: message.Read, every part, every body read and
// decoded) of the given message files, read one after another:
//
//	go run ./internal/bench/walk FILE...
//
// It prints one line: files, parts and decoded bytes, so that the work
// cannot be optimised away and a wrong file list shows.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/bouncenote/bouncenote/internal/bench"
)

func main() {
	verbose := flag.Bool("v", false, "name each file that is not parsed, and why")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: walk [-v] FILE...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
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
		}
		if err != nil {
			failed++
			if *verbose {
				fmt.Fprintf(os.Stderr, "walk: %s: %v\n", p, err)
			}
		}
	}
	fmt.Printf("walk: %d file(s), %d part(s), %d decoded byte(s), %d not parsed\n", files, total.Parts, total.Decoded, failed)
}
