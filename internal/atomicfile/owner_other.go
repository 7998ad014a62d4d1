//go:build !unix

package atomicfile

import (
	"io/fs"
	"os"
)

// keepOwner is a no-op where files have no Unix owner.
func keepOwner(*os.File, fs.FileInfo) error { return nil }

// Owner reports no owner where files have no Unix owner.
func Owner(fs.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }
