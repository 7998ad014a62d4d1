//go:build unix

package main

import (
	"io/fs"
	"os"

	"github.com/bouncenote/bouncenote/internal/atomicfile"
)

// keepLinkOwner gives the new symlink path the user and group of the link
// it replaces (st); only root can change them, so other users keep their own.
func keepLinkOwner(path string, st fs.FileInfo) error {
	uid, gid, ok := atomicfile.Owner(st)
	if !ok || os.Geteuid() != 0 {
		return nil
	}
	return os.Lchown(path, uid, gid)
}
