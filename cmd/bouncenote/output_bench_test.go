package main

import (
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkWriteNew writes 50 files into one directory as annotate
// --outdir does, with the directory fsynced after each file ("each", a nil
// *dirSyncs) and once after all of them ("batched", as a run does): ns/op
// is per 50 files, both with the file fsync before its rename.
//
//	go test -run '^$' -bench WriteNew -count 6 ./cmd/bouncenote
func BenchmarkWriteNew(b *testing.B) {
	data := make([]byte, 8<<10)
	for _, mode := range []string{"each", "batched"} {
		b.Run(mode, func(b *testing.B) {
			dir := b.TempDir()
			for round := 0; b.Loop(); round++ {
				var syncs *dirSyncs
				if mode == "batched" {
					syncs = &dirSyncs{}
				}
				for i := range 50 {
					path := filepath.Join(dir, fmt.Sprintf("%d-%d.eml", round, i))
					if err := writeNew(path, data, 0o644, false, "", syncs); err != nil {
						b.Fatal(err)
					}
				}
				syncs.flush()
			}
		})
	}
}
