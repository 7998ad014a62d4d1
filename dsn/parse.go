package dsn

// STUB: the foundation issue replaces this file.

// Parse reads one raw message (any line ending) into a Report. A message that
// is not a bounce gives a Report of KindNone and no error.
func Parse(raw []byte, opts *Options) (*Report, error) {
	return &Report{Kind: KindNone}, nil
}
