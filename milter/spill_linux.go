package milter

import "syscall"

// mapSpill maps size bytes of private anonymous memory, without reserving
// swap for them (MAP_NORESERVE): the pages a body does not reach are
// never touched and never counted.
func mapSpill(size int) ([]byte, error) {
	return syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS|syscall.MAP_NORESERVE)
}

// unmapSpill unmaps what mapSpill mapped.
func unmapSpill(mem []byte) { _ = syscall.Munmap(mem) }
