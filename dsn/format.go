package dsn

// The format framework.
//
// Parse turns raw bytes into a *Message (NewMessage: line endings
// normalised, header decoded, MIME tree flattened into leaf Parts with UTF-8
// text, delivery-status parts and the returned message's header located,
// limits enforced) and then asks each registered Format in turn, lowest
// order first, to read it. The first Format that returns ok=true wins; Parse
// then calls Finish on its Report (fills status/reply/command from the
// diagnostic text, reason, hard_bounce, kind) and enforces MaxRecipients.
// When none matches, the Report has KindNone.
//
// Where formats live: package dsn holds the standard readers only. Every
// non-standard layout lives in package dsn/formats, one file per family
// (dsn/formats/qmail.go, dsn/formats/exim.go, ...), and each file registers
// its Format from an init function:
//
//	func init() { dsn.Register(dsn.OrderText+10, qmail{}) }
//
// so that adding a family never touches another file. Programs that want
// the text formats import the package for its side effect:
//
//	import _ "github.com/bouncenote/bouncenote/dsn/formats"
//
// (cmd/bouncenote does; library users and tests that need them must too).
//
// The order, documented here and in the Order constants:
//
//	  0  OrderReportGuard   built in: multipart/report of another report-type
//	                        (read receipts, RFC 8098) -> KindNone, stops the search
//	 10  OrderFeedback      built in: RFC 5965 ARF (report-type=feedback-report)
//	 20  OrderRFC3464       built in: RFC 3464/6522/6533 delivery-status parts
//	 30  OrderEarly         non-standard feedback/auto-reply layouts that must
//	                        be tried before the RFC 3834 auto-reply check
//	 50  OrderAutoReply     built in: RFC 3834 auto-replies and out-of-office mail
//	100  OrderText          first slot for text bounce families (dsn/formats);
//	                        specific families should take lower numbers than
//	                        generic catch-alls
//	900  OrderFallback      generic last-resort readers
//	950  OrderEmptyReport   built in: a delivery-status part without recipients;
//	                        recipients from the text or the returned message
//
// Equal orders are tried by Name, so the order never depends on init order.
// A Format must not modify the Message, must not panic, and must be
// conservative: returning ok=true for ordinary mail is the worst error.

import (
	"slices"
	"sort"
	"sync"
)

// Format reads one family of bounce layouts.
type Format interface {
	// Name is a short lower-case identifier reported as Report.Format,
	// e.g. "rfc3464", "qmail".
	Name() string
	// Parse returns the Report for m and true when m is in this format, or
	// nil and false. The Report need not be finished: Parse calls Finish.
	// A Report with KindNone and ok=true stops the search (used for
	// messages known not to be bounces).
	Parse(m *Message) (*Report, bool)
}

// Registry order slots; see the comment at the top of format.go.
const (
	OrderReportGuard = 0
	OrderFeedback    = 10
	OrderRFC3464     = 20
	OrderEarly       = 30
	OrderAutoReply   = 50
	OrderText        = 100
	OrderFallback    = 900
	OrderEmptyReport = 950
)

type registered struct {
	order int
	f     Format
}

var (
	regMu    sync.RWMutex
	registry []registered
	ordered  []Format // the formats of registry, in order; nil after a Register
)

// Register adds f to the formats Parse tries, at the given order (lower is
// tried first; see the Order constants). It is meant to be called from init
// functions. Registering a second Format with the same Name replaces the
// first.
func Register(order int, f Format) {
	regMu.Lock()
	defer regMu.Unlock()
	for i, r := range registry {
		if r.f.Name() == f.Name() {
			registry = append(registry[:i], registry[i+1:]...)
			break
		}
	}
	registry = append(registry, registered{order, f})
	ordered = nil
	sort.SliceStable(registry, func(i, j int) bool {
		if registry[i].order != registry[j].order {
			return registry[i].order < registry[j].order
		}
		return registry[i].f.Name() < registry[j].f.Name()
	})
}

// Formats returns the registered formats in the order Parse tries them.
func Formats() []Format {
	return slices.Clone(formats())
}

// formats is Formats without the copy, which ParseMessage would otherwise
// make for every message: the slice is made once after the last Register
// and must not be changed.
func formats() []Format {
	regMu.RLock()
	out := ordered
	regMu.RUnlock()
	if out != nil {
		return out
	}
	regMu.Lock()
	defer regMu.Unlock()
	if ordered == nil {
		ordered = make([]Format, len(registry))
		for i, r := range registry {
			ordered[i] = r.f
		}
	}
	return ordered
}

func init() {
	Register(OrderReportGuard, reportGuard{})
	Register(OrderFeedback, feedbackFormat{})
	Register(OrderRFC3464, rfc3464Format{})
	Register(OrderAutoReply, autoReplyFormat{})
	Register(OrderEmptyReport, emptyReportFormat{})
}
