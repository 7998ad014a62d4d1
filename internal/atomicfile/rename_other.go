//go:build !linux

package atomicfile

// renameat2NoReplace: no renameat2 here; the caller links instead.
func renameat2NoReplace(from, to string) (done bool, err error) { return false, nil }
