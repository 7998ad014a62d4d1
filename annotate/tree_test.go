package annotate

import (
	"bytes"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/entity"
)

// scan reads raw's MIME tree as Annotate does, with the default limits.
func scan(raw []byte) (*entity.Entity, error) {
	t, err := dsn.ReadTree(raw, nil)
	if t == nil {
		return nil, err
	}
	return t.Root, err
}

// mboxLineEnd returns the offset after a leading mbox "From " line, or 0.
func mboxLineEnd(raw []byte) int {
	if !bytes.HasPrefix(raw, []byte("From ")) {
		return 0
	}
	if i := bytes.IndexByte(raw, '\n'); i >= 0 {
		return i + 1
	}
	return 0
}
