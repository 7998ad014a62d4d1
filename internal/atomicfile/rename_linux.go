package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// renameat2NoReplace renames from to to with renameat2(RENAME_NOREPLACE):
// one system call that fails on an existing name. done is false when the
// kernel or the file system cannot (ENOSYS, EINVAL): the caller falls back.
func renameat2NoReplace(from, to string) (done bool, err error) {
	for {
		err = unix.Renameat2(unix.AT_FDCWD, from, unix.AT_FDCWD, to, unix.RENAME_NOREPLACE)
		if err != unix.EINTR {
			break
		}
	}
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EINVAL):
		return false, nil
	case errors.Is(err, fs.ErrExist):
		return true, fmt.Errorf("cannot rename to %s: %w", to, ErrExist)
	}
	return true, FileError("cannot rename", "", &os.LinkError{Op: "rename", Old: from, New: to, Err: err})
}
