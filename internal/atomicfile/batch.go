package atomicfile

import "sync"

// The limits of a Batch, when its fields are zero.
const (
	// DefaultMaxFiles is how many written files a batch holds before it
	// commits them. Their fsyncs run at once, and a journaling file
	// system (ext4, xfs) commits them in a few journal transactions
	// instead of one each; each file keeps a descriptor open until then.
	DefaultMaxFiles = 64
	// DefaultMaxBytes is how many written bytes a batch holds before it
	// commits them: it bounds the dirty data one commit flushes, and the
	// work a failing disk makes the run lose at once.
	DefaultMaxBytes = 32 << 20
	// DefaultSyncers is how many fsyncs of a batch run at once, each
	// blocking a thread: all of a default batch's, so that they can share
	// journal commits (BenchmarkCommit).
	DefaultSyncers = DefaultMaxFiles
)

// Batch commits items in their order, grouped so that the fsyncs of their
// files run together: each item comes with the File written for it (or
// none), and when MaxFiles files or MaxBytes bytes are queued, or at
// Flush, every queued file is fsynced (Syncers at once) and then Commit is
// called for each queued item, in order, on the goroutine calling Add or
// Flush. Commit renames the item's file (Rename, RenameNoReplace), whose
// fsync is then done.
//
// MaxFiles 1 commits each file as soon as it is added: the run must do so
// when a later item reads what an earlier one wrote.
type Batch[T any] struct {
	MaxFiles int // 0 means DefaultMaxFiles
	MaxBytes int // 0 means DefaultMaxBytes
	Syncers  int // 0 means DefaultSyncers
	Commit   func(T)

	items []T
	files []*File
	bytes int
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
		b.files = append(b.files, f)
		b.bytes += f.Size()
	}
	if len(b.files) >= or(b.MaxFiles, DefaultMaxFiles) || b.bytes >= or(b.MaxBytes, DefaultMaxBytes) {
		b.Flush()
	}
}

// Flush fsyncs the queued files and commits every queued item.
func (b *Batch[T]) Flush() {
	syncAll(b.files, or(b.Syncers, DefaultSyncers))
	items := b.items
	b.items, b.files, b.bytes = nil, nil, 0
	for _, it := range items {
		b.Commit(it)
	}
}

// syncAll fsyncs files, n at once; each File keeps its result.
func syncAll(files []*File, n int) {
	if len(files) <= 1 || n <= 1 {
		for _, f := range files {
			f.Sync()
		}
		return
	}
	next := make(chan *File)
	var wg sync.WaitGroup
	for range min(n, len(files)) {
		wg.Go(func() {
			for f := range next {
				f.Sync()
			}
		})
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
}

func or(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}
