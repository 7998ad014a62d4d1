package atomicfile

import "sync"

// The limits of a Batch, when its fields are zero.
const (
	// DefaultMaxFiles is how many written files a batch holds before it
	// renames them. Their fsyncs run at once (a journaling file system,
	// ext4 or xfs, then commits them in a few journal transactions
	// instead of one each), and the renames wait for all of them, so a
	// larger batch waits less often; each file keeps a descriptor open
	// until its rename.
	DefaultMaxFiles = 64
	// DefaultMaxBytes is how many written bytes a batch holds before it
	// commits them: it bounds the dirty data one commit flushes, and the
	// work a failing disk makes the run lose at once.
	DefaultMaxBytes = 32 << 20
	// DefaultSyncers is how many fsyncs run at once, each blocking a
	// thread: all of a default batch's, so that they can share journal
	// commits (BenchmarkCommit).
	DefaultSyncers = DefaultMaxFiles
)

// Batch commits items in their order, grouped so that the fsyncs of their
// files run together: each item comes with the File written for it (or
// none), whose fsync starts at once on a goroutine of its own (at most
// Syncers at a time: Add waits for one to end), so that it runs while the
// caller makes the next files. When MaxFiles files or MaxBytes bytes are
// queued, or at Flush, the batch waits for every queued file's fsync and
// then calls Commit for each queued item, in order, on the goroutine
// calling Add or Flush. Commit renames the item's file (Rename,
// RenameNoReplace), whose fsync is then done.
//
// MaxFiles 1 commits each file as soon as it is added: the run must do so
// when a later item reads what an earlier one wrote.
type Batch[T any] struct {
	MaxFiles int // 0 means DefaultMaxFiles
	MaxBytes int // 0 means DefaultMaxBytes
	Syncers  int // 0 means DefaultSyncers
	Commit   func(T)

	items   []T
	files   int            // queued items with a file
	bytes   int            // the sizes of their files
	syncing sync.WaitGroup // their fsyncs
	slots   chan struct{}  // one per fsync under way
}

// Add queues item with its file f (nil for none) and commits the batch
// when it is full. An item without a file, with nothing queued before it,
// is committed at once.
func (b *Batch[T]) Add(item T, f *File) {
	if f == nil && len(b.items) == 0 {
		b.Commit(item)
		return
	}
	b.items = append(b.items, item)
	if f != nil {
		b.files++
		b.bytes += f.Size()
		b.sync(f)
	}
	if b.files >= or(b.MaxFiles, DefaultMaxFiles) || b.bytes >= or(b.MaxBytes, DefaultMaxBytes) {
		b.Flush()
	}
}

// sync starts the fsync of f (File.Sync, which keeps its result) on a
// goroutine, when fewer than Syncers are under way; with MaxFiles 1 it
// runs on the caller's goroutine, which commits next.
func (b *Batch[T]) sync(f *File) {
	if b.MaxFiles == 1 {
		f.Sync()
		return
	}
	if b.slots == nil {
		b.slots = make(chan struct{}, or(b.Syncers, DefaultSyncers))
	}
	b.slots <- struct{}{}
	b.syncing.Go(func() {
		f.Sync()
		<-b.slots
	})
}

// Flush waits for the fsyncs of the queued files and commits every queued
// item.
func (b *Batch[T]) Flush() {
	b.syncing.Wait()
	items := b.items
	b.items, b.files, b.bytes = nil, 0, 0
	for _, it := range items {
		b.Commit(it)
	}
}

func or(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}
