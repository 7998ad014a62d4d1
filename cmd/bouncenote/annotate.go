package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/catalog"
)

func init() {
	register(command{
		name:    "annotate",
		summary: "add plain-language explanations to bounces (headers and a body block)",
		run:     runAnnotate,
	})
}

// annotateCmd holds the options of one `bouncenote annotate` run.
type annotateCmd struct {
	opts     annotate.Options
	out      string // -o
	inPlace  bool
	outdir   string
	force    bool
	dryRun   bool
	stdout   io.Writer
	stderr   io.Writer
	failed   bool // a message could not be parsed or a file not written
	seen     int
	changed  int
	catalogs catalog.Paths
}

const annotateSynopsis = `usage: bouncenote annotate [--lang en|zh-CN|auto] [--catalog FILE]... [--headers-only]
                           [-o OUT | --in-place | --outdir DIR] [--force] [--dry-run] [PATH|-]...`

const annotateDetails = `Adds X-Bounce-* header fields and an explanation block to each failure or
delay bounce; every other message is copied through byte for byte.
PATH is a message file, an mbox, a directory of message files (not its
subdirectories) or a Maildir; - or no PATH reads standard input. Options may
come before or after the PATHs.

Output: standard output by default (several messages are written one after
another, each mbox keeping its "From " lines). -o writes one file, which must
not exist unless --force. --in-place rewrites each changed file atomically (a
temporary file in the same directory, fsync, rename; permissions kept).
--outdir writes every input below DIR with the same layout (files, mbox,
directories, Maildir cur/new/tmp); existing files there are an error unless
--force. A message that cannot be parsed is copied unchanged, with a warning,
and the exit status is 1.`

func runAnnotate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &annotateCmd{stdout: stdout, stderr: stderr}
	cl := newCmdLine("bouncenote annotate", annotateSynopsis, annotateDetails)
	fs := cl.fs
	addLangFlag(fs, &c.opts.Lang, true, "language of the explanation: en, zh-CN or auto (Chinese for Chinese bounces)")
	fs.Var(&c.catalogs, "catalog", "extra catalog YAML `FILE` or directory (repeatable; takes precedence)")
	fs.BoolVar(&c.opts.HeadersOnly, "headers-only", false, "add the headers, leave the body alone")
	fs.StringVar(&c.out, "o", "", "write the output to the file `OUT` (one input only)")
	fs.BoolVar(&c.inPlace, "in-place", false, "rewrite the input files")
	fs.StringVar(&c.outdir, "outdir", "", "write outputs below the directory `DIR`, keeping the layout")
	fs.BoolVar(&c.force, "force", false, "overwrite existing output files (-o, --outdir)")
	fs.BoolVar(&c.dryRun, "dry-run", false, "only report what would change")
	paths, code, ok := cl.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	if err := c.setup(paths); err != nil {
		if errors.Is(err, errBadCatalog) {
			return 2 // the catalog's problems are printed
		}
		return cl.usageError(stderr, "%s", errText("", err))
	}
	c.runAll(paths, stdin)
	if c.inPlace || c.outdir != "" || c.dryRun {
		fmt.Fprintf(stderr, "bouncenote annotate: %d of %d messages annotated\n", c.changed, c.seen)
	}
	if c.failed {
		return 1
	}
	return 0
}

// setup checks the flag combination and loads the catalogs.
func (c *annotateCmd) setup(paths []string) error {
	modes := 0
	for _, on := range []bool{c.out != "", c.inPlace, c.outdir != ""} {
		if on {
			modes++
		}
	}
	if modes > 1 {
		return errors.New("-o, --in-place and --outdir exclude each other")
	}
	if c.out != "" && len(paths) != 1 {
		return errors.New("-o takes exactly one input")
	}
	if c.inPlace {
		for _, p := range paths {
			if p == "-" {
				return errors.New("--in-place needs files, not standard input")
			}
		}
	}
	if _, err := annotate.ParseLang(c.opts.Lang); err != nil {
		return err
	}
	if len(c.catalogs) > 0 {
		cat, err := c.catalogs.Load()
		if err != nil {
			printCatalogError(c.stderr, err)
			return errBadCatalog
		}
		c.opts.Catalog = cat
	}
	return nil
}

// runAll processes each PATH in order.
func (c *annotateCmd) runAll(paths []string, stdin io.Reader) {
	for _, p := range paths {
		if p == "-" {
			raw, err := io.ReadAll(io.LimitReader(stdin, maxInputBytes))
			if err != nil {
				c.warn("-", "reading standard input: %v", err)
				continue
			}
			c.file("-", raw, filepath.Join(c.outdir, "stdin.eml"))
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			c.warn(p, "%v", err)
			continue
		}
		if !st.IsDir() {
			c.readAndDo(p, filepath.Join(c.outdir, filepath.Base(p)))
			continue
		}
		c.dir(p)
	}
}

// dir processes a directory of messages or a Maildir, keeping its layout
// below --outdir.
func (c *annotateCmd) dir(p string) {
	files, skipped, err := dirFiles(p)
	if err != nil {
		c.warn(p, "%v", err)
		return
	}
	warnSkipped(func(msg string) { fmt.Fprintf(c.stderr, "bouncenote annotate: %s\n", msg) }, skipped)
	base := filepath.Join(c.outdir, filepath.Base(filepath.Clean(p)))
	if c.outdir != "" && !c.dryRun && isMaildir(p) {
		for _, sub := range []string{"cur", "new", "tmp"} {
			if err := os.MkdirAll(filepath.Join(base, sub), 0o700); err != nil {
				c.warn(p, "%v", err)
				return
			}
		}
	}
	for _, f := range files {
		rel, err := filepath.Rel(p, f)
		if err != nil {
			rel = filepath.Base(f)
		}
		c.readAndDo(f, filepath.Join(base, rel))
	}
}

func (c *annotateCmd) readAndDo(path, outPath string) {
	raw, err := readFile(path)
	if err != nil {
		c.warn(path, "%v", err)
		return
	}
	c.file(path, raw, outPath)
}

// file annotates every message of one input file and writes the result.
func (c *annotateCmd) file(name string, raw []byte, outPath string) {
	out, changed := c.messages(name, raw)
	switch {
	case c.dryRun:
	case c.inPlace:
		if changed {
			if err := writeAtomic(name, out); err != nil {
				c.warn(name, "%v", err)
			}
		}
	case c.outdir != "":
		c.writeNew(name, outPath, out)
	case c.out != "":
		c.writeNew(name, c.out, out)
	default:
		if _, err := c.stdout.Write(out); err != nil {
			c.warn(name, "writing output: %v", err)
		}
	}
}

// writeNew writes a file that must not exist unless --force.
func (c *annotateCmd) writeNew(name, path string, data []byte) {
	if _, err := os.Lstat(path); err == nil && !c.force {
		c.warn(name, "%s exists (use --force to overwrite)", path)
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		c.warn(name, "%v", err)
		return
	}
	if err := writeAtomic(path, data); err != nil {
		c.warn(name, "%v", err)
	}
}

// messages annotates the messages of one file: one message, or each
// message of an mbox with its "From " line kept.
func (c *annotateCmd) messages(name string, raw []byte) ([]byte, bool) {
	segs := mboxSegments(raw)
	if len(segs) < 2 {
		return c.one(name, raw)
	}
	var out bytes.Buffer
	any := false
	for i, s := range segs {
		out.Write(s.sep)
		b, ch := c.one(fmt.Sprintf("%s#%d", name, i+1), s.msg)
		out.Write(b)
		any = any || ch
	}
	return out.Bytes(), any
}

// one annotates one message; a message that cannot be parsed comes back
// unchanged.
func (c *annotateCmd) one(name string, raw []byte) ([]byte, bool) {
	c.seen++
	res, err := annotate.Annotate(raw, c.opts)
	if err != nil {
		c.warn(name, "cannot parse, copied unchanged: %v", err)
		return raw, false
	}
	if res.Changed {
		c.changed++
	}
	if c.dryRun {
		c.report(name, res)
	}
	return res.Output, res.Changed
}

// report prints what --dry-run would change.
func (c *annotateCmd) report(name string, res *annotate.Result) {
	if !res.Changed {
		fmt.Fprintf(c.stdout, "%s: unchanged (%s)\n", name, res.Report.Kind)
		return
	}
	var hs []string
	for _, f := range res.AddHeaders {
		hs = append(hs, f.Name)
	}
	body := fmt.Sprintf("block in %d part(s)", res.BodyParts)
	if res.BodyParts == 0 {
		body = "body unchanged: " + res.BodyNote
	}
	fmt.Fprintf(c.stdout, "%s: would annotate %s (%d recipient(s), lang %s): add %s; remove %d incoming X-Bounce-* name(s); %s",
		name, res.Report.Kind, len(res.Report.Recipients), res.Lang, strings.Join(hs, ", "), len(res.RemoveHeaders), body)
	for _, f := range res.SetHeaders {
		fmt.Fprintf(c.stdout, "; set %s", f.Name)
	}
	fmt.Fprintln(c.stdout)
}

// errBadCatalog: the custom catalog is invalid (its problems are printed).
var errBadCatalog = errors.New("invalid custom catalog")

func (c *annotateCmd) warn(name, format string, a ...any) {
	for i, v := range a {
		if err, ok := v.(error); ok {
			a[i] = errText(name, err)
		}
	}
	c.failed = true
	fmt.Fprintf(c.stderr, "bouncenote annotate: %s: %s\n", name, fmt.Sprintf(format, a...))
}

// mboxSegment is one message of an mbox with its separator line.
type mboxSegment struct{ sep, msg []byte }

// mboxSegments splits an mbox (RFC 4155) keeping each "From " line and the
// message bytes as stored (no >From unquoting), so that unchanged messages
// are written back byte for byte. Data not starting with "From " gives nil.
func mboxSegments(raw []byte) []mboxSegment {
	if !bytes.HasPrefix(raw, []byte("From ")) {
		return nil
	}
	var segs []mboxSegment
	sepStart, msgStart := 0, -1
	for pos := 0; pos < len(raw); {
		next := len(raw)
		if i := bytes.IndexByte(raw[pos:], '\n'); i >= 0 {
			next = pos + i + 1
		}
		if bytes.HasPrefix(raw[pos:], []byte("From ")) && (pos == 0 || precededByBlank(raw, pos)) {
			if msgStart >= 0 {
				segs = append(segs, mboxSegment{raw[sepStart:msgStart], raw[msgStart:pos]})
			}
			sepStart, msgStart = pos, next
		}
		pos = next
	}
	return append(segs, mboxSegment{raw[sepStart:msgStart], raw[msgStart:]})
}

// writeAtomic replaces path with data: a temporary file in the same
// directory, fsync, the old file's permissions, rename, then a directory
// fsync. A failure leaves the old file as it was.
func writeAtomic(path string, data []byte) (err error) {
	mode := os.FileMode(0o644)
	if st, statErr := os.Stat(path); statErr == nil {
		mode = st.Mode().Perm()
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".bouncenote-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, dirErr := os.Open(dir); dirErr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
