//go:build !linux

package milter

import "errors"

// mapSpill is Linux-only: elsewhere every body stays on the heap.
func mapSpill(int) ([]byte, error) { return nil, errors.ErrUnsupported }

func unmapSpill([]byte) {}
