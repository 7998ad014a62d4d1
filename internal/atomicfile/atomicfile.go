// Package atomicfile writes files so that a crash never leaves a partial
// one: the data goes to a temporary file in the destination's directory,
// is fsynced, and only then renamed to the destination (POSIX rename(2)
// replaces a name atomically); the directories are fsynced afterwards so
// that the renames themselves last. A Batch commits written files in
// groups, their fsyncs at once.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// TempInfix is in the name of every temporary file: ".NAME" + TempInfix +
// a random number, next to NAME.
const TempInfix = ".bouncenote-"

// ErrExist: RenameNoReplace found its destination taken.
var ErrExist = errors.New("a file of that name exists")

// File is data written to a temporary file, not yet fsynced nor renamed:
// Rename or RenameNoReplace commits it, Discard drops it. The temporary
// file stays open until then (one descriptor per File), so that its fsync
// needs no second open.
type File struct {
	f      *os.File
	size   int
	synced bool  // Sync ran (err is its result)
	err    error // from Sync
}

// Write writes data to a new temporary file in the directory of path,
// named after it, with the permission bits mode and, when owner is not
// nil, owner's user and group (only root can give a file away; for anyone
// else a different owner is an error). Nothing is fsynced yet.
func Write(path string, data []byte, mode fs.FileMode, owner fs.FileInfo) (_ *File, err error) {
	dir := filepath.Dir(path)
	f, err := createTemp(path)
	if err != nil {
		return nil, fmt.Errorf("cannot create a temporary file in %s: %w", dir, unwrapPath(err))
	}
	w := &File{f: f, size: len(data)}
	defer func() {
		if err != nil {
			w.Discard()
		}
	}()
	if _, err = f.Write(data); err != nil {
		return nil, FileError("cannot write", "", err)
	}
	if owner != nil {
		if err = keepOwner(f, owner); err != nil {
			return nil, err
		}
	}
	// After the chown, which clears set-id bits.
	if err = f.Chmod(mode); err != nil {
		return nil, FileError("cannot set the mode of", "", err)
	}
	return w, nil
}

// TempName returns a new name for a temporary file beside path:
// ".NAME" + TempInfix + a random number, in path's directory.
func TempName(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+TempInfix+strconv.FormatUint(uint64(rand.Uint32()), 10))
}

// createTemp creates a new file named by TempName(path), for reading and
// writing, mode 0600, as os.CreateTemp does but opened by openFile.
func createTemp(path string) (*os.File, error) {
	for range 10000 {
		f, err := openFile(TempName(path), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, &fs.PathError{Op: "createtemp", Path: TempName(path), Err: fs.ErrExist}
}

// Name is the temporary file's path.
func (w *File) Name() string { return w.f.Name() }

// Size is the number of bytes written.
func (w *File) Size() int { return w.size }

// Sync fsyncs the temporary file, once: a second call returns the first
// one's result.
func (w *File) Sync() error {
	if !w.synced {
		w.synced = true
		if err := w.f.Sync(); err != nil {
			w.err = FileError("cannot fsync", "", err)
		}
	}
	return w.err
}

// Discard closes and removes the temporary file.
func (w *File) Discard() {
	w.f.Close()
	os.Remove(w.f.Name())
}

// Rename commits the file: fsync (unless done), close, rename to dst,
// replacing what is there, then has dirs fsync dst's directory. On
// failure the temporary file is removed and dst left as it was.
func (w *File) Rename(dst string, dirs *Dirs) error {
	return w.commit(dst, dirs, func(tmp string) error {
		if err := os.Rename(tmp, dst); err != nil {
			return FileError("cannot rename", "", err)
		}
		return nil
	})
}

// RenameNoReplace is Rename, but fails with an error wrapping ErrExist
// when dst exists (as anything, a dangling symlink too).
func (w *File) RenameNoReplace(dst string, dirs *Dirs) error {
	return w.commit(dst, dirs, func(tmp string) error { return renameNoReplace(tmp, dst) })
}

func (w *File) commit(dst string, dirs *Dirs, rename func(tmp string) error) error {
	tmp := w.f.Name()
	err := w.Sync()
	if err == nil {
		if err = w.f.Close(); err != nil {
			err = FileError("cannot write", "", err)
		}
	}
	if err == nil {
		err = rename(tmp)
	}
	if err != nil {
		w.f.Close()
		os.Remove(tmp)
		return err
	}
	dirs.Add(filepath.Dir(dst))
	return nil
}

// renameNoReplace renames from to to unless to exists: one renameat2
// with RENAME_NOREPLACE where the system has it (renameat2), else a hard
// link, which fails on an existing name, and the temporary name removed;
// a file system without either gets a check and a rename.
func renameNoReplace(from, to string) error {
	done, err := renameat2NoReplace(from, to)
	if done {
		return err
	}
	err = os.Link(from, to)
	switch {
	case err == nil:
		if rmErr := os.Remove(from); rmErr != nil {
			return FileError("cannot remove", "", rmErr)
		}
		return nil
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("cannot rename to %s: %w", to, ErrExist)
	}
	if _, statErr := os.Lstat(to); statErr == nil {
		return fmt.Errorf("cannot rename to %s: %w", to, ErrExist)
	}
	if renErr := os.Rename(from, to); renErr != nil {
		return FileError("cannot rename", "", renErr)
	}
	return nil
}

// FileError describes a failed operation on file name as "what: cause",
// leaving out the path when it is name itself, which the caller prints in
// front ("x.eml: cannot read: permission denied", not "x.eml: open x.eml:
// permission denied"). Another path (a Maildir's cur/, a temporary file)
// is kept, and a rename names both of its paths.
func FileError(what, name string, err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return fmt.Errorf("%s %s to %s: %w", what, le.Old, le.New, le.Err)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if pe.Path == name {
			return fmt.Errorf("%s: %w", what, pe.Err)
		}
		return fmt.Errorf("%s %s: %w", what, pe.Path, pe.Err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// unwrapPath returns the cause of a *fs.PathError, else err.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
