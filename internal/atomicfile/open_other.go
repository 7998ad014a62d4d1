//go:build !unix

package atomicfile

import (
	"io/fs"
	"os"
)

// Open opens a file for reading (os.Open).
func Open(name string) (*os.File, error) { return os.Open(name) }

// openFile is os.OpenFile.
func openFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag, perm)
}
