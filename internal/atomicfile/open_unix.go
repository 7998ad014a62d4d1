//go:build unix

package atomicfile

import (
	"io/fs"
	"os"
	"syscall"
)

// Open opens a file for reading, as os.Open does, without offering it to
// the runtime's poller: os.Open tries every file, which for a regular one
// costs four fcntl calls and a failing epoll_ctl on Linux; a file opened
// here costs one fcntl. A pipe or device named here blocks a thread while
// read instead, which a command reading its inputs one by one does not
// mind.
func Open(name string) (*os.File, error) {
	return openFile(name, os.O_RDONLY, 0)
}

// openFile is os.OpenFile without the poller (see Open), close-on-exec.
func openFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	for {
		fd, err := syscall.Open(name, flag|syscall.O_CLOEXEC, uint32(perm.Perm()))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
		return os.NewFile(uintptr(fd), name), nil
	}
}
