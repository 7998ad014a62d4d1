package milter

import "runtime"

// spillAt is how much of a bounce's body is held on the Go heap while it
// is read; the rest waits for the end of the message in a spill, outside
// the heap. Bounces up to it (nearly all) cost no system call.
//
// Why: the garbage collector lets the heap grow to twice what was live at
// its last cycle (GOGC=100). Bodies held until their end are live, so 256
// sessions each holding a 1 MB bounce made the heap's goal twice their
// 256 MB, and annotating them, which leaves a few copies of each message
// as garbage, filled it: 500 MB resident for 256 MB of bodies. Outside
// the heap, the bodies no longer count towards the goal, and each is
// given back to the system (munmap) as soon as its message is joined.
const spillAt = 128 << 10

// spill holds the rest of a large body in memory mapped for it alone
// (mapSpill), sized to the room left under MaxBody: the pages the body
// does not reach are never touched and cost nothing. Only the session
// that made it reads or writes it, and it is copied out (message) before
// anything else sees the message, so nothing refers to it once freed.
type spill struct {
	mem     []byte // the mapping
	n       int    // bytes written
	cleanup runtime.Cleanup
}

// newSpill maps size bytes, or returns nil when the system cannot (or
// the platform has no mapSpill): the body then stays on the heap.
func newSpill(size int) *spill {
	mem, err := mapSpill(size)
	if err != nil {
		return nil
	}
	sp := &spill{mem: mem}
	// A session whose connection breaks mid-body is dropped without an
	// Abort: its mapping goes when the session is collected.
	sp.cleanup = runtime.AddCleanup(sp, unmapSpill, mem)
	return sp
}

// write appends p, reporting false (and writing nothing) when it does not
// fit.
func (sp *spill) write(p []byte) bool {
	if len(p) > len(sp.mem)-sp.n {
		return false
	}
	sp.n += copy(sp.mem[sp.n:], p)
	return true
}

// bytes returns what was written; valid until free.
func (sp *spill) bytes() []byte { return sp.mem[:sp.n] }

// len returns the number of bytes written; 0 for a nil spill.
func (sp *spill) len() int {
	if sp == nil {
		return 0
	}
	return sp.n
}

// free gives the mapping back to the system. A nil or freed spill is left
// alone.
func (sp *spill) free() {
	if sp == nil || sp.mem == nil {
		return
	}
	sp.cleanup.Stop()
	unmapSpill(sp.mem)
	sp.mem, sp.n = nil, 0
}
