//go:build unix

package main

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
	want, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	cur, err := f.Stat()
	if err != nil {
		return fileError("cannot stat", "", err)
	}
	if have, isStat := cur.Sys().(*syscall.Stat_t); isStat && have.Uid == want.Uid && have.Gid == want.Gid {
		return nil
	}
	if err = f.Chown(int(want.Uid), int(want.Gid)); err != nil {
		return fmt.Errorf("cannot keep owner %d and group %d (only root or the owner can): %w", want.Uid, want.Gid, unwrapPath(err))
	}
	return nil
}

// keepLinkOwner gives the new symlink path the user and group of the link
// it replaces (st); only root can change them, so other users keep their own.
func keepLinkOwner(path string, st fs.FileInfo) error {
	want, ok := st.Sys().(*syscall.Stat_t)
	if !ok || os.Geteuid() != 0 {
		return nil
	}
	return os.Lchown(path, int(want.Uid), int(want.Gid))
}
