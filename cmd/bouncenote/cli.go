package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// cmdLine is the argument handling every command shares: flags anywhere
// among the other arguments, help (-h, --help) on standard output with exit
// 0, usage errors on standard error with exit 2, and one flag style (--long)
// in help texts.
type cmdLine struct {
	name     string // "bouncenote annotate"
	synopsis string // the "usage:" lines
	details  string // what the command does, printed after the synopsis by -h
	fs       *flag.FlagSet
	errs     bytes.Buffer // what the flag package writes on a parse error
}

// newCmdLine returns the argument parser of the command name ("bouncenote
// inspect"); synopsis starts with "usage:", details may be empty.
func newCmdLine(name, synopsis, details string) *cmdLine {
	return cmdLineFor(flag.NewFlagSet(name, flag.ContinueOnError), name, synopsis, details)
}

// cmdLineFor is newCmdLine for a flag set made elsewhere.
func cmdLineFor(fs *flag.FlagSet, name, synopsis, details string) *cmdLine {
	c := &cmdLine{name: name, synopsis: strings.TrimRight(synopsis, "\n"), details: strings.Trim(details, "\n"), fs: fs}
	c.fs.SetOutput(&c.errs)
	c.fs.Usage = func() {} // parse prints help and errors itself
	return c
}

// parse parses args with flags before, between or after the other
// arguments ("annotate x.eml -o out.eml"); after "--" everything is an
// argument. It returns the other arguments in order. When ok is false the
// command must exit with code at once: help was asked for (printed to
// stdout, 0) or the flags were wrong (reported on stderr, 2).
func (c *cmdLine) parse(args []string, stdout, stderr io.Writer) (rest []string, code int, ok bool) {
	rest, err := parseInterleaved(c.fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.help(stdout)
		return nil, 0, false
	case err != nil:
		msg := strings.TrimSpace(c.errs.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, c.usageError(stderr, "%s", longFlagNames(msg)), false
	}
	return rest, 0, true
}

// flagNameRE finds a flag name of two letters or more in the flag
// package's messages, which always write it with one dash.
var flagNameRE = lazyre.New(`((?:^|\s)(?:flag|for|defined:|argument:) )-([A-Za-z][\w-]+)`)

// longFlagNames writes the flag names of a flag package message in the
// style of the help texts: --lang, not -lang.
func longFlagNames(msg string) string { return flagNameRE.ReplaceAllString(msg, "$1--$2") }

// usageError reports a mistake in the arguments on stderr with the
// synopsis and returns the exit status 2.
func (c *cmdLine) usageError(stderr io.Writer, format string, a ...any) int {
	fmt.Fprintf(stderr, "%s: %s\n%s\nRun '%s -h' for the options.\n", c.name, fmt.Sprintf(format, a...), c.synopsis, c.name)
	return 2
}

// help prints the synopsis, the details and the options.
func (c *cmdLine) help(w io.Writer) {
	fmt.Fprintln(w, c.synopsis)
	if c.details != "" {
		fmt.Fprintf(w, "\n%s\n", c.details)
	}
	if hasFlags(c.fs) {
		fmt.Fprintln(w, "\nOptions:")
		printFlags(w, c.fs)
	}
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// printFlags is flag.PrintDefaults with --long names (single letters keep
// one dash: -o).
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		arg, usage := flag.UnquoteUsage(f)
		if arg == "value" { // a flag.Value without a `NAME` in its usage
			switch f.Value.(type) {
			case *langValue:
				arg = "LANG"
			case *sizeFlag:
				arg = "SIZE"
			case *catalogFlag, *catalog.Paths:
				arg = "FILE"
			default:
				arg = strings.ToUpper(f.Name)
			}
		}
		line := "  " + dash + f.Name
		if arg != "" {
			line += " " + arg
		}
		usage = strings.ReplaceAll(usage, "\n", "\n    \t")
		if !zeroDefault(f) {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", line, usage)
	})
}

func zeroDefault(f *flag.Flag) bool {
	switch f.DefValue {
	case "", "0", "false", "[]":
		return true
	}
	return false
}

// parseInterleaved parses flags placed anywhere among the arguments
// ("explain 4.4.7 --lang zh-CN") and returns the other arguments in order.
// After "--" everything is an argument.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, nil
		}
		if k := len(args) - len(left) - 1; k >= 0 && args[k] == "--" {
			return append(rest, left...), nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// errText is err as a command prints it after "bouncenote CMD: NAME: ":
// without the file name a path error about NAME repeats ("stat NAME: "),
// and without the package names the libraries put in front (annotate:,
// dsn:, milter:, catalog:), which say nothing to a user and repeat the
// command's own prefix.
func errText(name string, err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Err != nil && pe.Path == name && pe.Error() == err.Error() {
		err = pe.Err
	}
	parts := strings.Split(err.Error(), ": ")
	out := parts[:0]
	for _, p := range parts {
		switch p {
		case "annotate", "dsn", "milter", "catalog", "bouncenote":
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, ": ")
}

// langValue is a --lang flag: en or zh-CN (the spellings
// catalog.NormalizeLang knows, such as zh_CN or zh-Hans), and auto where a
// bounce is at hand to choose from. Any other value is a usage error that
// lists the supported languages, the same in every command.
type langValue struct {
	lang *string
	auto bool
}

// addLangFlag registers --lang on fs, storing the normalised language in
// *lang (default en).
func addLangFlag(fs *flag.FlagSet, lang *string, auto bool, usage string) {
	*lang = catalog.LangEN
	fs.Var(&langValue{lang, auto}, "lang", usage)
}

func (v *langValue) String() string {
	if v.lang == nil {
		return ""
	}
	return *v.lang
}

func (v *langValue) Set(s string) error {
	l, err := parseLang(s, v.auto)
	if err != nil {
		return err
	}
	*v.lang = l
	return nil
}

// parseLang returns the supported language l names.
func parseLang(l string, auto bool) (string, error) {
	low := strings.ToLower(strings.TrimSpace(l))
	switch {
	case auto && low == annotate.LangAuto:
		return annotate.LangAuto, nil
	case low == "en" || strings.HasPrefix(low, "en-") || catalog.NormalizeLang(low) == catalog.LangZHCN:
		return catalog.NormalizeLang(low), nil
	}
	supported := strings.Join(catalog.Languages, ", ")
	if auto {
		supported += ", " + annotate.LangAuto
	}
	return "", fmt.Errorf("unsupported language %q; supported: %s", l, supported)
}
