package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bouncenote/bouncenote/internal/atomicfile"
)

// This file writes annotate's output files: the layout below --outdir,
// files that must not exist unless --force, and --in-place replacement.

// outdirPaths returns, for each listed input file, where --outdir puts it.
// Each input keeps its path relative to the deepest directory that holds
// every PATH argument (relative and absolute PATHs alike, after
// filepath.Abs): one file lands as DIR/NAME, a directory or Maildir as
// DIR/NAME/..., ca/x.eml and cb/x.eml as DIR/ca/x.eml and DIR/cb/x.eml,
// /var/mail/a and /srv/b as DIR/var/mail/a and DIR/srv/b. Standard input
// becomes DIR/stdin.eml. Two inputs that would end up in the same file (the
// same PATH twice, a file and its directory) or an output that would
// replace its own input are an error, before anything is written.
func outdirPaths(outdir string, files []inputFile) ([]string, error) {
	var wd workDir
	base, err := commonParent(&wd, files)
	if err != nil {
		return nil, err
	}
	outs := make([]string, len(files))
	from := map[string]string{} // cleaned absolute output -> input
	for i, f := range files {
		out := filepath.Join(outdir, "stdin.eml")
		if f.Path != "-" {
			abs, absErr := wd.abs(f.Arg)
			if absErr != nil {
				return nil, fmt.Errorf("%s: %w", f.Arg, absErr)
			}
			rel, relErr := filepath.Rel(base, abs)
			if relErr != nil {
				return nil, fmt.Errorf("%s: %w", f.Arg, relErr)
			}
			out = filepath.Join(outdir, rel, f.Rel)
		}
		key, absErr := wd.abs(out)
		if absErr != nil {
			return nil, fmt.Errorf("%s: %w", out, absErr)
		}
		if prev, dup := from[key]; dup {
			if prev == f.Path {
				return nil, fmt.Errorf("%s is given twice (it would be written twice to %s); nothing written", f.Path, out)
			}
			return nil, fmt.Errorf("%s and %s would both be written to %s; nothing written", prev, f.Path, out)
		}
		if in, inErr := wd.abs(f.Path); inErr == nil && f.Path != "-" && in == key {
			return nil, fmt.Errorf("%s would be written over itself (use --in-place); nothing written", f.Path)
		}
		from[key] = f.Path
		outs[i] = out
	}
	return outs, nil
}

// commonParent returns the deepest directory holding every PATH argument
// of files (the parent directory of each, as absolute paths).
func commonParent(wd *workDir, files []inputFile) (string, error) {
	common := ""
	for _, f := range files {
		if f.Path == "-" {
			continue
		}
		abs, err := wd.abs(f.Arg)
		if err != nil {
			return "", fmt.Errorf("%s: %w", f.Arg, err)
		}
		dir := filepath.Dir(abs)
		if common == "" {
			common = dir
			continue
		}
		for !within(dir, common) {
			common = filepath.Dir(common)
		}
	}
	return common, nil
}

// workDir is the working directory of a run, looked up once:
// filepath.Abs asks the system each time (two stats of "." and $PWD).
type workDir struct {
	dir  string
	err  error
	done bool
}

// abs is filepath.Abs on Unix: path when absolute, else joined to the
// working directory; both cleaned.
func (wd *workDir) abs(path string) (string, error) {
	if filepath.IsAbs(path) {
		return filepath.Clean(path), nil
	}
	if !wd.done {
		wd.dir, wd.err = os.Getwd()
		wd.done = true
	}
	if wd.err != nil {
		return "", wd.err
	}
	return filepath.Join(wd.dir, path), nil
}

// within reports whether path is dir or below it (both clean and absolute).
func within(path, dir string) bool {
	if path == dir || dir == string(filepath.Separator) {
		return true
	}
	return strings.HasPrefix(path, dir+string(filepath.Separator))
}

// pendingWrite is an output file written under a temporary name, to be
// renamed into place by commit when its batch commits (see
// annotateCmd.runAll).
type pendingWrite struct {
	file    *atomicfile.File
	dst     string
	replace bool   // rename over dst when it exists (--force, --in-place)
	old     string // --in-place with a Maildir size rename: the original, removed once dst is there
	link    string // a symlink that named old, to point at dst
}

// tempFile is the written file of w, nil when w is.
func (w *pendingWrite) tempFile() *atomicfile.File {
	if w == nil {
		return nil
	}
	return w.file
}

// writeNew writes a new output file with the given permission bits, to be
// committed: an error at commit when path exists and force is false.
// Parent directories are created, each once per run (mode 0755; a
// Maildir's root gets cur/, new/ and tmp/ with mode 0700 when maildirRoot
// is set).
func writeNew(path string, data []byte, mode fs.FileMode, force bool, maildirRoot string, dirs *atomicfile.Dirs) (*pendingWrite, error) {
	if maildirRoot != "" {
		for _, sub := range []string{"cur", "new", "tmp"} {
			if err := dirs.MkdirAll(filepath.Join(maildirRoot, sub), 0o700); err != nil {
				return nil, fileError("cannot create directory", "", err)
			}
		}
	}
	if err := dirs.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fileError("cannot create directory", "", err)
	}
	f, err := atomicfile.Write(path, data, mode, nil)
	if err != nil {
		if _, statErr := os.Lstat(path); statErr == nil && !force {
			return nil, existsError(path) // what stops the write first
		}
		return nil, err
	}
	return &pendingWrite{file: f, dst: path, replace: force}, nil
}

// existsError: an output file exists and --force was not given.
func existsError(path string) error {
	return fmt.Errorf("%s exists (use --force to overwrite)", path)
}

// writeInPlace writes data to replace the file at path, atomically once
// committed (a temporary file in the same directory, renamed over it by
// commit), keeping its owner, group and mode.
//   - A symlink is written through: its target is replaced and the link
//     stays a link.
//   - A Maildir message (in cur/ or new/ of a Maildir) whose name carries
//     ",S=<size>" or ",W=<size>" is renamed within its directory to the new
//     sizes (W counts CRLF line ends), keeping the ":2,FLAGS" info; a link
//     to it is pointed at the new name. An existing file of the new name is
//     never overwritten.
//
// The owner and group are set on the temporary file; when they cannot be
// kept (not running as root), nothing is replaced.
func writeInPlace(path string, data []byte) (*pendingWrite, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, fileError("cannot resolve", path, err)
	}
	st, err := os.Stat(real)
	if err != nil {
		return nil, fileError("cannot stat", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", real)
	}
	w := &pendingWrite{dst: real, replace: true}
	if name, ok := maildirSizeName(real, data); ok {
		w.dst, w.old, w.replace = filepath.Join(filepath.Dir(real), name), real, false
	}
	if lst, lstErr := os.Lstat(path); w.old != "" && lstErr == nil && lst.Mode()&fs.ModeSymlink != 0 {
		if w.link, err = lastLink(path, real); err != nil {
			return nil, err
		}
	}
	mode := st.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	if w.file, err = atomicfile.Write(real, data, mode, st); err != nil {
		return nil, err
	}
	return w, nil
}

// commit renames the written file into place, its data fsynced first
// (by its batch, or here), and has dirs fsync the directory. An output
// that must be new is never written over; a Maildir message renamed to
// its new size loses its old name only once the new one is there. On
// failure the temporary file is removed.
func (w *pendingWrite) commit(dirs *atomicfile.Dirs) error {
	switch {
	case w.replace:
		if err := w.file.Rename(w.dst, dirs); err != nil {
			return err
		}
	case w.old == "":
		if err := w.file.RenameNoReplace(w.dst, dirs); errors.Is(err, atomicfile.ErrExist) {
			return existsError(w.dst)
		} else if err != nil {
			return err
		}
	default:
		if err := w.file.RenameNoReplace(w.dst, dirs); err != nil {
			return err
		}
		if rmErr := os.Remove(w.old); rmErr != nil {
			return fmt.Errorf("annotated copy written as %s, but %w", w.dst, fileError("cannot remove the original", "", rmErr))
		}
	}
	if w.link != "" {
		return repointLink(w.link, w.old, w.dst, dirs)
	}
	return nil
}

// maildirSizeName returns the name a Maildir message at path should have
// for data: its ",S=" (size in bytes) and ",W=" (size with CRLF line ends)
// tags updated, the ":2,FLAGS" info part kept. ok is false when path is
// not in cur/ or new/ of a Maildir, its name has no such tag, or the name
// is already right.
func maildirSizeName(path string, data []byte) (string, bool) {
	if !inMaildir(path) {
		return "", false
	}
	name := filepath.Base(path)
	base, info := name, ""
	if i := strings.IndexByte(name, ':'); i >= 0 {
		base, info = name[:i], name[i:]
	}
	size, wsize := len(data), len(data)
	for i, b := range data {
		if b == '\n' && (i == 0 || data[i-1] != '\r') {
			wsize++
		}
	}
	// The unique name, then ",KEY=VALUE" tags.
	fields := strings.Split(base, ",")
	for i := 1; i < len(fields); i++ {
		key, val, found := strings.Cut(fields[i], "=")
		if !found || (key != "S" && key != "W") || !allDigits(val) {
			continue
		}
		n := size
		if key == "W" {
			n = wsize
		}
		fields[i] = key + "=" + strconv.Itoa(n)
	}
	newName := strings.Join(fields, ",") + info
	if newName == name {
		return "", false
	}
	return newName, true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// lastLink follows the symlink path to the link that names real itself
// (the last one of a chain), which is the one to point at real's new name.
func lastLink(path, real string) (string, error) {
	cur := path
	for range 40 {
		text, err := os.Readlink(cur)
		if err != nil {
			return "", fileError("cannot read link", "", err)
		}
		next := text
		if !filepath.IsAbs(next) {
			next = filepath.Join(filepath.Dir(cur), text)
		}
		st, err := os.Lstat(next)
		if err != nil {
			return "", fileError("cannot follow link", "", err)
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			if filepath.Base(text) != filepath.Base(real) {
				return "", fmt.Errorf("cannot update link %s to the new name of %s", cur, real)
			}
			return cur, nil
		}
		cur = next
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// repointLink replaces the symlink link (which named old) by one naming
// dst, in the same relative or absolute form, keeping its owner.
func repointLink(link, old, dst string, dirs *atomicfile.Dirs) error {
	text, err := os.Readlink(link)
	if err != nil {
		return fileError("cannot read link", "", err)
	}
	text = strings.TrimSuffix(text, filepath.Base(old)) + filepath.Base(dst)
	st, err := os.Lstat(link)
	if err != nil {
		return fileError("cannot stat link", "", err)
	}
	for range 10 {
		tmp := atomicfile.TempName(link)
		if err = os.Symlink(text, tmp); errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			break
		}
		if err = keepLinkOwner(tmp, st); err == nil {
			err = os.Rename(tmp, link)
		}
		if err != nil {
			os.Remove(tmp)
			break
		}
		dirs.Add(filepath.Dir(link))
		return nil
	}
	return fmt.Errorf("%s now has the name %s, but the link %s could not be updated: %w", old, dst, link, err)
}
