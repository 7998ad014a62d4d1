package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/bouncenote/bouncenote/catalog"
)

func init() {
	register(command{
		name:    "catalog",
		summary: "check catalog files (catalog check FILE...) or list the entries (catalog list)",
		run:     runCatalog,
	})
}

func runCatalog(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		catalogUsage(stderr)
		return 2
	}
	switch args[0] {
	case "check":
		return runCatalogCheck(args[1:], stdout, stderr)
	case "list":
		return runCatalogList(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		catalogUsage(stderr)
		return 0
	}
	fmt.Fprintf(stderr, "bouncenote catalog: unknown subcommand %q\n", args[0])
	catalogUsage(stderr)
	return 2
}

func catalogUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: bouncenote catalog check [--standalone] FILE|DIR...")
	fmt.Fprintln(w, "       bouncenote catalog list [--json] [--lang en|zh-CN] [--catalog FILE]...")
}

// runCatalogCheck validates files: exit 0 when they load, 2 with every
// problem as file:line: cause otherwise.
func runCatalogCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("catalog check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	standalone := fs.Bool("standalone", false, "check the files on their own, not against the built-in ids (for catalog/data/*.yaml themselves)")
	files, err := parseInterleaved(fs, args)
	if err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if len(files) == 0 {
		catalogUsage(stderr)
		return 2
	}
	only, err := catalog.LoadFiles(catalog.LoadOptions{NoBuiltin: true}, files...)
	if err == nil && !*standalone {
		_, err = catalog.Load(files...)
	}
	if err != nil {
		printCatalogError(stderr, err)
		return 2
	}
	fmt.Fprintf(stdout, "ok: %d entries\n", only.Len())
	return 0
}

// runCatalogList prints the entries in tie-break order.
func runCatalogList(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("catalog list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf := addCatalogFlags(fs)
	asJSON := fs.Bool("json", false, "print the entries as JSON")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	cat, ok := cf.load(stderr)
	if !ok {
		return 2
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(cat.Entries()); err != nil {
			fmt.Fprintln(stderr, "bouncenote catalog list:", err)
			return 1
		}
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tREASON\tWHO\tPERMANENT\tFILE\tTITLE")
	for _, e := range cat.Entries() {
		t, _ := e.Text(cf.lang)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%t\t%s:%d\t%s\n", e.ID, e.Reason, e.Who, e.Permanent, e.File, e.Line, t.Title)
	}
	if err := tw.Flush(); err != nil {
		return 1
	}
	return 0
}
