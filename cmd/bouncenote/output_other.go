//go:build !unix

package main

import "io/fs"

// keepLinkOwner is a no-op where files have no Unix owner.
func keepLinkOwner(string, fs.FileInfo) error { return nil }
