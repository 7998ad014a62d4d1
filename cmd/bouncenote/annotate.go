package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"path/filepath"
	"strings"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/internal/atomicfile"
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
	count    tally
	catalogs catalog.Paths
	prog     *progress                  // the bar on stderr for runs over progressThreshold messages
	jobs     int                        // --jobs: files annotated at once; 0 means GOMAXPROCS
	dirs     *atomicfile.Dirs           // directories created, and fsynced when the run ends
	batch    atomicfile.Batch[fileDone] // files written, committed in groups
}

const annotateSynopsis = `usage: bouncenote annotate [--lang en|zh-CN|auto] [--catalog FILE]... [--headers-only]
                           [-o OUT | --in-place | --outdir DIR] [--force] [--dry-run] [--jobs N] [PATH|-]...`

const annotateDetails = `Adds X-Bounce-* header fields and an explanation block to each failure or
delay bounce; every other message is copied through byte for byte.
PATH is a message file, an mbox, a directory of message files (not its
subdirectories) or a Maildir; - or no PATH reads standard input. Options may
come before or after the PATHs.

Output: standard output by default (several messages are written one after
another, each mbox keeping its "From " lines). -o writes one file, which must
not exist unless --force. --in-place rewrites each changed file atomically (a
temporary file in the same directory, fsync, rename), keeping its owner,
group and mode; a symlink is written through to its target, and a Maildir
message's ,S= and ,W= size tags are updated in its name.
--outdir writes every input below DIR with the same layout (files, mbox,
directories, Maildir cur/new/tmp), each at its path relative to the deepest
directory holding all the PATHs (ca/x.eml cb/x.eml give DIR/ca/x.eml and
DIR/cb/x.eml; standard input gives DIR/stdin.eml); inputs that would share an
output file are refused before anything is written, and existing files there
are an error unless --force. A message that cannot be parsed is copied
unchanged, with a warning. With -o, --in-place, --outdir or --dry-run a last
line counts the messages annotated, unchanged and failed (not parsed, or
their file not read or not written); the exit status is 1 when any failed.
On a terminal, a run over 200 messages draws a progress bar on standard
error, and then always prints that last line. Files are annotated on every
CPU (--jobs); the output and messages come in input order all the same.
`

func runAnnotate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &annotateCmd{stdout: stdout, stderr: stderr, prog: newProgress(stderr, "annotate")}
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
	addJobsFlag(fs, &c.jobs, "files")
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
	if err := c.runAll(paths, stdin); err != nil {
		fmt.Fprintf(stderr, "bouncenote annotate: %v\n", err)
		return 2
	}
	c.prog.finish()
	if c.inPlace || c.outdir != "" || c.out != "" || c.dryRun || c.prog.shown() {
		fmt.Fprintf(stderr, "bouncenote annotate: %s\n", c.summary())
	}
	if c.count.failed > 0 {
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

// runAll processes each input file in order. An --outdir or -o run that
// would write two inputs to one file is refused before anything is
// written.
//
// Files are written with a group commit. Workers (c.file) write each
// output to a temporary file in its destination's directory, with its
// mode (and for --in-place its owner), without fsync; the emitter, in
// input order, queues them in c.batch, which starts each file's fsync as
// it is queued (up to a batch's worth at once, while the workers go on)
// and, when the batch is full, waits for them and then, in input order,
// renames each (commit: the Maildir size rename and link repointing of
// --in-place included) and prints its notes and counts (emit). What this
// keeps:
//   - A name that survives a crash holds a complete file, old or new,
//     never a partial one: each file's data is fsynced before its rename.
//   - The directories are fsynced once per run, before the summary line:
//     once it is printed, every rename is durable. A crash before that
//     may lose renames only: an --outdir output not there yet (the run
//     had not finished, and said nothing of success), or an --in-place
//     input still holding its original bytes, intact (annotating it again
//     gives the same result).
//   - Nothing is overwritten unless asked: without --force an output is
//     renamed into place only where no file is (renameat2 NOREPLACE, or a
//     hard link), and a Maildir size rename never takes an existing name.
//   - Every temporary file is removed on every error path (atomicfile).
//   - Standard output, standard error, the exit status and the files are
//     those of a run with one worker: the emitter prints each file's
//     notes and counts only after its commit, in input order.
//   - When the same file is given twice to --in-place (sharedFiles, one
//     worker), each file is committed before the next is read: batches of
//     one.
//
// The batch limits are atomicfile.DefaultMaxFiles and DefaultMaxBytes.
func (c *annotateCmd) runAll(paths []string, stdin io.Reader) error {
	files := listInputs(paths, func(msg string) { fmt.Fprintf(c.stderr, "bouncenote annotate: %s\n", msg) })
	c.prog.add(len(files)) // one per file until its messages are known
	var outs []string
	switch {
	case c.outdir != "":
		var err error
		if outs, err = outdirPaths(c.outdir, files); err != nil {
			return err
		}
	case c.out != "" && len(files) > 1:
		return fmt.Errorf("-o writes one file, but %s holds %d files (use --outdir); nothing written", paths[0], len(files))
	}
	jobs := workers(c.jobs)
	c.dirs = &atomicfile.Dirs{}
	c.batch = atomicfile.Batch[fileDone]{Commit: c.emit}
	if c.inPlace && sharedFiles(files) {
		// each rewrite must read what the one before wrote
		jobs, c.batch.MaxFiles = 1, 1
	}
	runOrdered(jobs, c.fileJobs(files, outs, stdin), c.file, func(d fileDone) bool {
		c.batch.Add(d, d.write.tempFile())
		return true
	})
	c.batch.Flush()
	c.dirs.Sync() // before the counts are reported
	return nil
}

// sharedFiles reports whether two listed inputs are the same file (the
// same PATH twice, or a symlink and its target).
func sharedFiles(files []inputFile) bool {
	seen := map[string]bool{}
	var wd workDir
	for _, f := range files {
		p, err := filepath.EvalSymlinks(f.Path)
		if err != nil {
			p = f.Path
		}
		if p, err = wd.abs(p); err != nil {
			p = f.Path
		}
		if seen[p] {
			return true
		}
		seen[p] = true
	}
	return false
}

// fileJob is one input file of a run and where its output goes.
type fileJob struct {
	f       inputFile
	outPath string // -o or --outdir; "" for standard output or --in-place
	raw     []byte // standard input, read in input order
	readErr error
	read    bool // raw and readErr are set
}

// fileJobs yields the jobs of files in order. Standard input is read here,
// on the one goroutine that iterates, so that a second "-" finds it empty
// as in a run with one worker.
func (c *annotateCmd) fileJobs(files []inputFile, outs []string, stdin io.Reader) iter.Seq[fileJob] {
	return func(yield func(fileJob) bool) {
		for i, f := range files {
			j := fileJob{f: f, outPath: c.out}
			if outs != nil {
				j.outPath = outs[i]
			}
			if f.Path == "-" {
				j.raw, _, j.readErr = readInput(f, stdin)
				j.read = true
			}
			if !yield(j) {
				return
			}
		}
	}
}

// fileDone is what became of one input file, to be printed in input order
// by emit.
type fileDone struct {
	f      inputFile
	msgs   int    // messages in it (1 when it could not be read)
	out    []byte // the output for standard output; nil when written elsewhere
	notes  []note // what it prints, in order
	t      tally
	stdout bool          // out goes to standard output
	write  *pendingWrite // the output file, written, to commit; nil when none
}

// note is one line or block a file's annotation prints.
type note struct {
	stdout bool // --dry-run's report; otherwise a warning for standard error
	text   string
}

// warn adds a warning about message or file name.
func (d *fileDone) warn(name, format string, a ...any) {
	d.notes = append(d.notes, note{text: warnText(name, format, a...)})
}

// warnText is a warning line about message or file name; errors among a
// are shortened by errText.
func warnText(name, format string, a ...any) string {
	for i, v := range a {
		if err, ok := v.(error); ok {
			a[i] = errText(name, err)
		}
	}
	return fmt.Sprintf("bouncenote annotate: %s: %s\n", name, fmt.Sprintf(format, a...))
}

// emit commits one file's write, if it has one, then prints what the file
// gave, in input order: its warnings and reports, its output on standard
// output, and counts its messages.
func (c *annotateCmd) emit(d fileDone) {
	if d.write != nil {
		if err := d.write.commit(c.dirs); err != nil {
			d.warn(d.f.Path, "not written: %v", err)
			d.t = d.t.unwritten(c.inPlace)
		}
	}
	c.prog.add(d.msgs - 1)
	for _, n := range d.notes {
		if n.stdout {
			io.WriteString(c.stdout, n.text)
			continue
		}
		c.prog.clear()
		io.WriteString(c.stderr, n.text)
	}
	if d.stdout {
		if _, err := c.stdout.Write(d.out); err != nil {
			c.prog.clear()
			io.WriteString(c.stderr, warnText(d.f.Path, "not written: %v", fmt.Errorf("cannot write to standard output: %w", err)))
			d.t = d.t.unwritten(false)
		}
	}
	c.count.add(d.t)
	for range d.msgs {
		c.prog.step()
	}
}

// tally counts the messages of a run by what became of them.
type tally struct {
	annotated int // annotated and written (with --dry-run: would be)
	unchanged int // copied through or left alone
	failed    int // not parsed, or their file not read or not written
}

// count adds one message that c.one annotated (changed), copied through or
// failed (not ok).
func (t *tally) count(changed, ok bool) {
	switch {
	case !ok:
		t.failed++
	case changed:
		t.annotated++
	default:
		t.unchanged++
	}
}

func (t *tally) add(o tally) {
	t.annotated += o.annotated
	t.unchanged += o.unchanged
	t.failed += o.failed
}

// file annotates every message of one input file and writes the result to
// outPath (--outdir, -o) or over the file (--in-place), or keeps it for
// standard output. It runs on a worker: everything it prints is kept in
// the fileDone. Messages count as annotated or unchanged only once their
// bytes are written.
func (c *annotateCmd) file(j fileJob) fileDone {
	d := fileDone{f: j.f, msgs: 1}
	raw, mode, err := j.raw, fs.FileMode(0o644), j.readErr
	if !j.read {
		raw, mode, err = readInput(j.f, nil)
	}
	if err != nil {
		d.warn(j.f.Path, "%v", err)
		d.t.failed++ // one, whatever the file held
		return d
	}
	out := c.messages(&d, j.f.Path, raw)
	var werr error
	switch {
	case c.dryRun:
	case c.inPlace:
		if d.t.annotated > 0 {
			d.write, werr = writeInPlace(j.f.Path, out)
		}
	case j.outPath != "":
		maildirRoot := ""
		if j.f.Maildir {
			maildirRoot = filepath.Dir(filepath.Dir(j.outPath)) // outPath is ROOT/cur/NAME or ROOT/new/NAME
		}
		d.write, werr = writeNew(j.outPath, out, mode, c.force, maildirRoot, c.dirs)
	default:
		d.out, d.stdout = out, true
	}
	if werr != nil {
		d.warn(j.f.Path, "not written: %v", werr)
		d.t = d.t.unwritten(c.inPlace)
	}
	return d
}

// unwritten is t for messages whose file could not be written: the
// annotated ones failed, and so did the unchanged copies unless inPlace
// (where they stay as they were).
func (t tally) unwritten(inPlace bool) tally {
	t.failed += t.annotated
	t.annotated = 0
	if !inPlace {
		t.failed += t.unchanged
		t.unchanged = 0
	}
	return t
}

// messages annotates the messages of one file (splitMessages: one message,
// or each message of an mbox with its "From " line kept), counting them in
// d.
func (c *annotateCmd) messages(d *fileDone, name string, raw []byte) []byte {
	msgs := splitMessages(name, raw)
	d.msgs = len(msgs)
	if len(msgs) == 1 && len(msgs[0].Sep) == 0 {
		// one message: its output is written as it is, not copied again
		b, changed, ok := c.one(d, msgs[0].Name, msgs[0].Stored)
		d.t.count(changed, ok)
		return b
	}
	var out bytes.Buffer
	for _, m := range msgs {
		out.Write(m.Sep)
		b, changed, ok := c.one(d, m.Name, m.Stored)
		out.Write(b)
		d.t.count(changed, ok)
	}
	return out.Bytes()
}

// one annotates one message; a message that cannot be parsed comes back
// unchanged, with ok false.
func (c *annotateCmd) one(d *fileDone, name string, raw []byte) (out []byte, changed, ok bool) {
	res, err := annotate.Annotate(raw, c.opts)
	if err != nil {
		d.warn(name, "cannot parse, copied unchanged: %v", err)
		return raw, false, false
	}
	if c.dryRun {
		d.notes = append(d.notes, note{stdout: true, text: dryRunReport(name, res)})
	}
	return res.Output, res.Changed, true
}

// summary is the line printed after a run that writes files: what became
// of the messages.
func (c *annotateCmd) summary() string {
	n := c.count.annotated + c.count.unchanged + c.count.failed
	verb := "annotated"
	if c.dryRun {
		verb = "to annotate"
	}
	return fmt.Sprintf("%d message(s): %d %s, %d unchanged, %d failed", n, c.count.annotated, verb, c.count.unchanged, c.count.failed)
}

// dryRunReport is the line --dry-run prints for one message.
func dryRunReport(name string, res *annotate.Result) string {
	if !res.Changed {
		return fmt.Sprintf("%s: unchanged (%s)\n", name, res.Report.Kind)
	}
	var hs []string
	for _, f := range res.AddHeaders {
		hs = append(hs, f.Name)
	}
	body := fmt.Sprintf("block in %d part(s)", res.BodyParts)
	if res.BodyParts == 0 {
		body = "body unchanged: " + res.BodyNote
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: would annotate %s (%d recipient(s), lang %s): add %s; remove %d incoming X-Bounce-* name(s); %s",
		name, res.Report.Kind, len(res.Report.Recipients), res.Lang, strings.Join(hs, ", "), len(res.RemoveHeaders), body)
	for _, f := range res.SetHeaders {
		fmt.Fprintf(&b, "; set %s", f.Name)
	}
	b.WriteString("\n")
	return b.String()
}

// errBadCatalog: the custom catalog is invalid (its problems are printed).
var errBadCatalog = errors.New("invalid custom catalog")
