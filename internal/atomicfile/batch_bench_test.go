package atomicfile

import (
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkCommit writes 64 files of 8 KB into one directory as annotate
// --outdir does, three ways: "each" fsyncs every file and then its
// directory before the next (no Dirs, batches of one), "dirs-once" fsyncs
// every file before the next but the directory once at the end (batches
// of one), "batched" is the group commit of a run (one Batch of 64: the
// fsyncs at once, then the renames, the directory once). ns/op is per 64
// files.
//
//	go test -run '^$' -bench Commit -count 6 ./internal/atomicfile
func BenchmarkCommit(b *testing.B) {
	data := make([]byte, 8<<10)
	for _, mode := range []string{"each", "dirs-once", "batched"} {
		b.Run(mode, func(b *testing.B) {
			dir := b.TempDir()
			for round := 0; b.Loop(); round++ {
				var dirs *Dirs
				if mode != "each" {
					dirs = &Dirs{}
				}
				type item struct {
					dst string
					f   *File
				}
				batch := Batch[item]{MaxFiles: 1}
				if mode == "batched" {
					batch.MaxFiles = 64
				}
				var failed error
				batch.Commit = func(it item) {
					if err := it.f.RenameNoReplace(it.dst, dirs); err != nil {
						failed = err
					}
				}
				for i := range 64 {
					dst := filepath.Join(dir, fmt.Sprintf("%d-%d.eml", round, i))
					f, err := Write(dst, data, 0o644, nil)
					if err != nil {
						b.Fatal(err)
					}
					batch.Add(item{dst, f}, f)
				}
				batch.Flush()
				dirs.Sync()
				if failed != nil {
					b.Fatal(failed)
				}
			}
		})
	}
}
