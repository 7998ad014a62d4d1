package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/bouncenote/bouncenote/catalog"
)

// catalogFlags are the --catalog (repeatable) and --lang flags shared by
// the commands that print explanations.
type catalogFlags struct {
	paths catalog.Paths
	lang  string
}

// addCatalogFlags registers --catalog and --lang on fs.
func addCatalogFlags(fs *flag.FlagSet) *catalogFlags {
	f := &catalogFlags{}
	fs.Var(&f.paths, "catalog", "custom catalog `FILE` or directory of YAML files, taking precedence over the built-in entries (repeatable)")
	addLangFlag(fs, &f.lang, false, "language of the explanations: en or zh-CN")
	return f
}

// load returns the catalog. On an invalid custom file it prints every
// problem as file:line: cause to stderr and returns ok false; the caller
// then exits with status 2 without doing anything else.
func (f *catalogFlags) load(stderr io.Writer) (*catalog.Catalog, bool) {
	c, err := f.paths.Load()
	if err != nil {
		printCatalogError(stderr, err)
		return nil, false
	}
	return c, true
}

// printCatalogError prints a (joined) catalog error, one problem a line.
func printCatalogError(w io.Writer, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(w, line)
	}
}
