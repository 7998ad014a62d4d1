package milter

import (
	"sync"

	gomilter "github.com/emersion/go-milter"
)

// Buffers of pooledSize bytes are reused from message to message for the
// joined message (session.message) and the reply (batch) of the usual
// bounce, so that it does not leave two copies of itself as garbage: in a
// milter whose live heap is mostly the catalog, scanned at every cycle,
// garbage collection was a third of the cost of a 100 KB bounce beyond
// annotate's own.
const (
	pooledSize = batchFlush + gomilter.MaxBodyChunk + 16 // a batch's most, and a message that fits
	pooledMin  = 16 << 10                                // smaller needs get a buffer of their size
)

var buffers = sync.Pool{New: func() any {
	b := make([]byte, 0, pooledSize)
	return &b
}}

// getBuffer returns an empty buffer of capacity at least n: a reused one
// when n is between pooledMin and pooledSize, else a new one of capacity n.
func getBuffer(n int) []byte {
	if n < pooledMin || n > pooledSize {
		return make([]byte, 0, n)
	}
	return (*buffers.Get().(*[]byte))[:0]
}

// putBuffer gives b back for reuse if it came from getBuffer's pool.
// Nothing may use b afterwards.
func putBuffer(b []byte) {
	if cap(b) != pooledSize {
		return
	}
	b = b[:0]
	buffers.Put(&b)
}
