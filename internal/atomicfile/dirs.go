package atomicfile

import (
	"os"
	"sync"
)

// Dirs are the directories of a run: those it created (MkdirAll, each
// once) and those in which it renamed files, each fsynced once at Sync
// rather than after every file. A nil *Dirs creates every time and
// fsyncs each directory at once. Its methods may be called from several
// goroutines.
type Dirs struct {
	mu      sync.Mutex
	made    map[string]bool // created (or found) by MkdirAll
	pending []string        // to fsync, in the order first seen
	seen    map[string]bool // in pending
}

// MkdirAll is os.MkdirAll, once per directory: a directory made (or found)
// before is not looked at again. A failure is not remembered; the next
// call tries again.
func (d *Dirs) MkdirAll(dir string, perm os.FileMode) error {
	if d == nil {
		return os.MkdirAll(dir, perm)
	}
	d.mu.Lock()
	made := d.made[dir]
	d.mu.Unlock()
	if made {
		return nil
	}
	if err := os.MkdirAll(dir, perm); err != nil {
		return err
	}
	d.mu.Lock()
	if d.made == nil {
		d.made = map[string]bool{}
	}
	d.made[dir] = true
	d.mu.Unlock()
	return nil
}

// Add has dir fsynced: at Sync, or now when d is nil.
func (d *Dirs) Add(dir string) {
	if d == nil {
		syncDir(dir)
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	if !d.seen[dir] {
		d.seen[dir] = true
		d.pending = append(d.pending, dir)
	}
}

// Sync fsyncs every directory added since the last Sync.
func (d *Dirs) Sync() {
	if d == nil {
		return
	}
	d.mu.Lock()
	dirs := d.pending
	d.pending, d.seen = nil, nil
	d.mu.Unlock()
	for _, dir := range dirs {
		syncDir(dir)
	}
}

// syncDir fsyncs a directory so that a rename in it is durable; failures
// are ignored (some file systems cannot fsync directories).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
