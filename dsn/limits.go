package dsn

import "github.com/bouncenote/bouncenote/entity"

// Limits bound the work and memory Parse spends on one message. A zero field
// means its default. Going over a limit in what Parse reads (the bounce's
// header and its own parts) makes Parse return an error wrapping ErrLimit.
// Inside a returned message, which a bounce only carries, going over a
// limit ends the reading of that message instead (see NewMessage); only
// MaxBodyBytes bounds it as a whole.
type Limits struct {
	MaxHeaderBytes int   // bytes in one header block; default 256 KiB
	MaxParts       int   // MIME parts of the bounce (and, apart, of returned messages); default 500
	MaxDepth       int   // multipart nesting depth; default 20
	MaxLineLength  int   // bytes in one line of a header or decoded text part; default 1 MiB (longer lines are an error)
	MaxRecipients  int   // recipients in one report; default 1000
	MaxBodyBytes   int64 // bytes in the whole message; default 64 MiB
}

// Default limits.
const (
	DefaultMaxHeaderBytes       = 256 << 10
	DefaultMaxParts             = 500
	DefaultMaxDepth             = 20
	DefaultMaxLineLength        = 1 << 20
	DefaultMaxRecipients        = 1000
	DefaultMaxBodyBytes   int64 = 64 << 20
)

// withDefaults returns l with every zero field set to its default.
func (l Limits) withDefaults() Limits {
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultMaxParts
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxLineLength <= 0 {
		l.MaxLineLength = DefaultMaxLineLength
	}
	if l.MaxRecipients <= 0 {
		l.MaxRecipients = DefaultMaxRecipients
	}
	if l.MaxBodyBytes <= 0 {
		l.MaxBodyBytes = DefaultMaxBodyBytes
	}
	return l
}

// Options configure Parse. The zero value (or a nil *Options) means the defaults.
type Options struct {
	Limits Limits
}

// limits returns the effective limits of opts (nil means the defaults).
func (o *Options) limits() Limits {
	if o == nil {
		return Limits{}.withDefaults()
	}
	return o.Limits.withDefaults()
}

// entity returns the limits the MIME tree is read within.
func (l Limits) entity() entity.Limits {
	return entity.Limits{MaxHeaderBytes: l.MaxHeaderBytes, MaxParts: l.MaxParts,
		MaxDepth: l.MaxDepth, MaxLineLength: l.MaxLineLength}
}
