package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
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

const catalogSynopsis = `usage: bouncenote catalog check [--standalone] FILE|DIR...
       bouncenote catalog list [--json] [--lang en|zh-CN] [--catalog FILE]...`

const catalogDetails = `check validates catalog files: exit 0 when they load, 2 with every problem
as file:line: cause. list lists the entries in tie-break order, custom ones
first. Run 'bouncenote catalog check -h' or 'bouncenote catalog list -h' for
their options.`

func runCatalog(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	cl := newCmdLine("bouncenote catalog", catalogSynopsis, catalogDetails)
	if len(args) == 0 {
		return cl.usageError(stderr, "no subcommand given (check or list)")
	}
	switch args[0] {
	case "check":
		return runCatalogCheck(args[1:], stdout, stderr)
	case "list":
		return runCatalogList(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		cl.help(stdout)
		return 0
	}
	return cl.usageError(stderr, "unknown subcommand %q (want check or list)", args[0])
}

// runCatalogCheck validates files: exit 0 when they load, 2 with every
// problem as file:line: cause otherwise.
func runCatalogCheck(args []string, stdout, stderr io.Writer) int {
	cl := newCmdLine("bouncenote catalog check", "usage: bouncenote catalog check [--standalone] FILE|DIR...",
		"Validates catalog files, and directories of *.yaml and *.yml files: exit 0\nwhen they load, 2 with every problem as file:line: cause. On a terminal,\nover 200 files are checked one by one with a progress bar and a summary line.")
	standalone := cl.fs.Bool("standalone", false, "check the files on their own, not against the built-in ids (for catalog/data/*.yaml themselves)")
	files, code, ok := cl.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(files) == 0 {
		return cl.usageError(stderr, "no FILE given")
	}
	prog := newProgress(stderr, "catalog check")
	if list := catalogFiles(files); isTerminal(stderr) && len(list) > progressThreshold {
		// Many files: each is checked on its own first, with the bar;
		// then, if all load, together as below.
		if !checkEach(list, prog, stderr) {
			return 2
		}
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

// checkEach loads each catalog file on its own, with a progress bar, and
// prints the problems of each file that does not load, then the summary
// line. It reports whether every file loaded.
func checkEach(files []string, prog *progress, stderr io.Writer) bool {
	prog.add(len(files))
	failed := 0
	for _, f := range files {
		if _, err := catalog.LoadFiles(catalog.LoadOptions{NoBuiltin: true}, f); err != nil {
			prog.clear()
			printCatalogError(stderr, err)
			failed++
		}
		prog.step()
	}
	prog.finish()
	prog.summaryf("bouncenote catalog check", "%d file(s): %d loaded, %d failed", len(files), len(files)-failed, failed)
	return failed == 0
}

// catalogFiles lists the files catalog.Load reads for the given
// arguments: a file as it is, a directory as its *.yaml and *.yml files.
// A path that cannot be read is listed as it is; the load reports it.
func catalogFiles(args []string) []string {
	var out []string
	for _, a := range args {
		ents, err := os.ReadDir(a)
		if err != nil {
			out = append(out, a)
			continue
		}
		for _, e := range ents {
			ext := strings.ToLower(filepath.Ext(e.Name()))
			if !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
				out = append(out, filepath.Join(a, e.Name()))
			}
		}
	}
	return out
}

// runCatalogList prints the entries in tie-break order.
func runCatalogList(args []string, stdout, stderr io.Writer) int {
	cl := newCmdLine("bouncenote catalog list", "usage: bouncenote catalog list [--json] [--lang en|zh-CN] [--catalog FILE]...",
		"Lists the entries in tie-break order (custom first): id, reason, who must\nact, permanent, file:line and title in the chosen language.")
	cf := addCatalogFlags(cl.fs)
	asJSON := cl.fs.Bool("json", false, "print the entries as JSON")
	rest, code, ok := cl.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return cl.usageError(stderr, "unexpected argument %q", rest[0])
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
			fmt.Fprintln(stderr, "bouncenote catalog list: writing output:", err)
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
