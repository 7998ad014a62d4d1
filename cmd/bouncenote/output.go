package main

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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
	base, err := commonParent(files)
	if err != nil {
		return nil, err
	}
	outs := make([]string, len(files))
	from := map[string]string{} // cleaned absolute output -> input
	for i, f := range files {
		out := filepath.Join(outdir, "stdin.eml")
		if f.Path != "-" {
			abs, absErr := filepath.Abs(f.Arg)
			if absErr != nil {
				return nil, fmt.Errorf("%s: %w", f.Arg, absErr)
			}
			rel, relErr := filepath.Rel(base, abs)
			if relErr != nil {
				return nil, fmt.Errorf("%s: %w", f.Arg, relErr)
			}
			out = filepath.Join(outdir, rel, f.Rel)
		}
		key, absErr := filepath.Abs(out)
		if absErr != nil {
			return nil, fmt.Errorf("%s: %w", out, absErr)
		}
		if prev, dup := from[key]; dup {
			if prev == f.Path {
				return nil, fmt.Errorf("%s is given twice (it would be written twice to %s); nothing written", f.Path, out)
			}
			return nil, fmt.Errorf("%s and %s would both be written to %s; nothing written", prev, f.Path, out)
		}
		if in, inErr := filepath.Abs(f.Path); inErr == nil && f.Path != "-" && in == key {
			return nil, fmt.Errorf("%s would be written over itself (use --in-place); nothing written", f.Path)
		}
		from[key] = f.Path
		outs[i] = out
	}
	return outs, nil
}

// commonParent returns the deepest directory holding every PATH argument
// of files (the parent directory of each, as absolute paths).
func commonParent(files []inputFile) (string, error) {
	common := ""
	for _, f := range files {
		if f.Path == "-" {
			continue
		}
		abs, err := filepath.Abs(f.Arg)
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

// within reports whether path is dir or below it (both clean and absolute).
func within(path, dir string) bool {
	if path == dir || dir == string(filepath.Separator) {
		return true
	}
	return strings.HasPrefix(path, dir+string(filepath.Separator))
}

// writeNew writes a new output file with the given permission bits: an
// error when path exists and force is false. Parent directories are
// created (mode 0755; a Maildir's root gets cur/, new/ and tmp/ with mode
// 0700 when maildirRoot is set).
func writeNew(path string, data []byte, mode fs.FileMode, force bool, maildirRoot string, syncs *dirSyncs) error {
	if _, err := os.Lstat(path); err == nil && !force {
		return fmt.Errorf("%s exists (use --force to overwrite)", path)
	}
	if maildirRoot != "" {
		for _, sub := range []string{"cur", "new", "tmp"} {
			if err := os.MkdirAll(filepath.Join(maildirRoot, sub), 0o700); err != nil {
				return fileError("cannot create directory", "", err)
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fileError("cannot create directory", "", err)
	}
	return replaceFile(path, path, data, mode, nil, syncs)
}

// writeInPlace replaces the file at path with data, atomically (a
// temporary file in the same directory, fsync, rename, directory fsync by
// syncs),
// keeping its owner, group and mode; it returns where the data now is.
//   - A symlink is written through: its target is replaced and the link
//     stays a link.
//   - A Maildir message (in cur/ or new/ of a Maildir) whose name carries
//     ",S=<size>" or ",W=<size>" is renamed within its directory to the new
//     sizes (W counts CRLF line ends), keeping the ":2,FLAGS" info; a link
//     to it is pointed at the new name. An existing file of the new name is
//     never overwritten.
//
// The owner and group are set before the rename; when they cannot be kept
// (not running as root), nothing is replaced.
func writeInPlace(path string, data []byte, syncs *dirSyncs) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fileError("cannot resolve", path, err)
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", fileError("cannot stat", path, err)
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s is not a regular file", real)
	}
	dst := real
	if name, ok := maildirSizeName(real, data); ok {
		dst = filepath.Join(filepath.Dir(real), name)
	}
	var link string
	if lst, lstErr := os.Lstat(path); dst != real && lstErr == nil && lst.Mode()&fs.ModeSymlink != 0 {
		if link, err = lastLink(path, real); err != nil {
			return "", err
		}
	}
	mode := st.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	if err = replaceFile(real, dst, data, mode, st, syncs); err != nil {
		return "", err
	}
	if link != "" {
		if err = repointLink(link, real, dst, syncs); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// replaceFile writes data to a temporary file next to old, gives it mode
// and, when owner is not nil, owner's user and group, fsyncs it and renames
// it to dst, then has syncs fsync the directory. When dst is not old (a Maildir size
// rename), dst must not exist and old is removed afterwards. On failure
// the old file is left as it was.
func replaceFile(old, dst string, data []byte, mode fs.FileMode, owner fs.FileInfo, syncs *dirSyncs) (err error) {
	dir := filepath.Dir(old)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(old)+".bouncenote-*")
	if err != nil {
		return fmt.Errorf("cannot create a temporary file in %s: %w", dir, unwrapPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fileError("cannot write", "", err)
	}
	if owner != nil {
		if err = keepOwner(tmp, owner); err != nil {
			return err
		}
	}
	// After the chown, which clears set-id bits.
	if err = tmp.Chmod(mode); err != nil {
		return fileError("cannot set the mode of", "", err)
	}
	if err = tmp.Sync(); err != nil {
		return fileError("cannot fsync", "", err)
	}
	if err = tmp.Close(); err != nil {
		return fileError("cannot write", "", err)
	}
	if dst == old {
		if err = os.Rename(tmp.Name(), dst); err != nil {
			return fileError("cannot rename", "", err)
		}
	} else {
		if err = renameNoReplace(tmp.Name(), dst); err != nil {
			return err
		}
		if rmErr := os.Remove(old); rmErr != nil {
			syncs.add(dir)
			return fmt.Errorf("annotated copy written as %s, but %w", dst, fileError("cannot remove the original", "", rmErr))
		}
	}
	syncs.add(dir)
	return nil
}

// renameNoReplace renames from to to unless to exists: a hard link, which
// fails on an existing name, then the temporary name removed. A file system
// without hard links gets a check and a rename.
func renameNoReplace(from, to string) error {
	err := os.Link(from, to)
	switch {
	case err == nil:
		if rmErr := os.Remove(from); rmErr != nil {
			return fileError("cannot remove", "", rmErr)
		}
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("cannot rename to %s: a file of that name exists", to)
	}
	if _, statErr := os.Lstat(to); statErr == nil {
		return fmt.Errorf("cannot rename to %s: a file of that name exists", to)
	}
	if renErr := os.Rename(from, to); renErr != nil {
		return fileError("cannot rename", "", renErr)
	}
	return nil
}

// syncDir fsyncs a directory so that a rename in it is durable; failures
// are ignored (some file systems cannot fsync directories).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// dirSyncs are the directories in which a run of annotate renamed files,
// each fsynced once when the run ends (flush) rather than after every
// file: 2 fsyncs per file become 1 per file and 1 per directory.
//
// Crash safety is kept: each file's data is fsynced before its rename
// (replaceFile), so a name that survives a crash always holds a complete
// file, old or new, never a partial one. What a crash before flush may
// lose is only the renames themselves: an --outdir output not there yet
// (the run had not finished, and said nothing of success), or an
// --in-place input still holding its original bytes, intact (annotating
// it again gives the same result). flush runs before the run reports its
// counts, so once the last line is printed every rename is durable, as
// before. A nil *dirSyncs fsyncs each directory at once.
type dirSyncs struct {
	mu   sync.Mutex
	dirs []string // in the order first seen
	seen map[string]bool
}

// add has dir fsynced: at flush, or now when s is nil.
func (s *dirSyncs) add(dir string) {
	if s == nil {
		syncDir(dir)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	if !s.seen[dir] {
		s.seen[dir] = true
		s.dirs = append(s.dirs, dir)
	}
}

// flush fsyncs every directory added since the last flush.
func (s *dirSyncs) flush() {
	if s == nil {
		return
	}
	s.mu.Lock()
	dirs := s.dirs
	s.dirs, s.seen = nil, nil
	s.mu.Unlock()
	for _, d := range dirs {
		syncDir(d)
	}
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
func repointLink(link, old, dst string, syncs *dirSyncs) error {
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
		tmp := filepath.Join(filepath.Dir(link), fmt.Sprintf(".%s.bouncenote-%d", filepath.Base(link), rand.Uint32()))
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
		syncs.add(filepath.Dir(link))
		return nil
	}
	return fmt.Errorf("%s now has the name %s, but the link %s could not be updated: %w", old, dst, link, err)
}

// unwrapPath returns the cause of a *fs.PathError, else err.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
