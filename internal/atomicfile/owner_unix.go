//go:build unix

package atomicfile

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// keepOwner gives the temporary file f the user and group of the file it
// replaces (st). Only root can give a file away; for anyone else a
// different owner is an error, so that the file is not replaced.
func keepOwner(f *os.File, st fs.FileInfo) error {
	uid, gid, ok := Owner(st)
	if !ok {
		return nil
	}
	cur, err := f.Stat()
	if err != nil {
		return FileError("cannot stat", "", err)
	}
	if haveUID, haveGID, known := Owner(cur); known && haveUID == uid && haveGID == gid {
		return nil
	}
	if err = f.Chown(uid, gid); err != nil {
		return fmt.Errorf("cannot keep owner %d and group %d (only root can give a file away): %w", uid, gid, unwrapPath(err))
	}
	return nil
}

// Owner returns the user and group id of a file.
func Owner(st fs.FileInfo) (uid, gid int, ok bool) {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(s.Uid), int(s.Gid), true
}
