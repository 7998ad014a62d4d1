//go:build !unix

package main

import (
	"io/fs"
	"os"
)

// keepOwner is a no-op where files have no Unix owner.
func keepOwner(*os.File, fs.FileInfo) error { return nil }

// keepLinkOwner is a no-op where files have no Unix owner.
func keepLinkOwner(string, fs.FileInfo) error { return nil }

// fileOwner reports no owner where files have no Unix owner.
func fileOwner(fs.FileInfo) (uid, gid int, ok bool) { return 0, 0, false }
