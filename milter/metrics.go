package milter

import (
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/dsn"
)

// Metric label values. Every label takes one of a fixed set of values
// (causes, stages, limits, reason names): never an address, a host or text
// from a message.

// Cause says why a message was not annotated: the "cause" label of
// bouncenote_messages_skipped_total and the "cause" field of the log line.
type Cause string

// Causes of a message passing unannotated.
const (
	CauseNotBounce   Cause = "not_bounce"   // not a bounce candidate, or no failed or delayed recipient in it
	CauseMaxBody     Cause = "max_body"     // over --max-body and not annotated from what was read
	CauseMaxSessions Cause = "max_sessions" // --max-sessions other bounces were being read
	CauseParseLimit  Cause = "parse_limit"  // a parse limit of dsn.Limits (line length, parts, nesting)
	CauseError       Cause = "error"        // an error or a panic in bouncenote, or the MTA connection broke
	CauseTimeout     Cause = "timeout"      // annotating took longer than --timeout
)

// Causes lists every Cause, in the order the README documents them.
var Causes = []Cause{CauseNotBounce, CauseMaxBody, CauseMaxSessions, CauseParseLimit, CauseError, CauseTimeout}

// Stages of bouncenote_errors_total: the milter callbacks whose panics are
// recovered, "annotate" (annotate returned an error other than a parse
// limit, or panicked) and "reply" (the edits could not be sent to the MTA).
var Stages = []string{"mail", "rcpt", "header", "eoh", "body", "eom", "abort", "annotate", "reply"}

// Limits of bouncenote_limit_hits_total.
var Limits = []string{"max_body", "max_sessions", "max_connections", "session_timeout", "timeout", "parse_limit"}

// Reload results of bouncenote_catalog_reloads_total.
const (
	ReloadOK        = "ok"         // the custom catalogs were loaded and are in use
	ReloadFailed    = "failed"     // a catalog was invalid: the old one stays in use
	ReloadNoCatalog = "no_catalog" // SIGHUP without --catalog: nothing to reload
)

// otherReason is the reason label of a recipient whose reason is not one
// of the catalog's reason names (catalog.ValidReason).
const otherReason = "other"

// LatencyBuckets are the buckets of bouncenote_processing_duration_seconds:
// from half a millisecond to past the default --timeout of 10 s.
var LatencyBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// Metrics are the milter's Prometheus metrics. Make them with NewMetrics
// and pass them in Config.Metrics; a nil *Metrics records nothing.
type Metrics struct {
	seen       prometheus.Counter
	annotated  *prometheus.CounterVec
	skipped    *prometheus.CounterVec
	stripped   prometheus.Counter
	recipients *prometheus.CounterVec
	errors     *prometheus.CounterVec
	limits     *prometheus.CounterVec
	latency    prometheus.Histogram
	reloads    *prometheus.CounterVec
	reloadTime prometheus.Gauge

	srv atomic.Pointer[Server] // for the gauges read at scrape time
}

// NewMetrics makes the metrics and registers them with reg (a private
// registry, not the global one). It panics if they are already registered
// there, like prometheus.MustRegister.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	const ns = "bouncenote"
	m := &Metrics{
		seen: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "messages_seen_total",
			Help: "Messages the milter saw to their end (each gets one log line): annotated plus skipped."}),
		annotated: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "messages_annotated_total",
			Help: "Bounces annotated, by what happened to the body: replaced (explanation block added) or headers_only (--headers-only, or over --max-body)."},
			[]string{"body"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "messages_skipped_total",
			Help: "Messages passed on without annotation (fail open), by cause."},
			[]string{"cause"}),
		stripped: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Name: "messages_stripped_total",
			Help: "Messages whose incoming (forged) X-Bounce-* fields were deleted, annotated or not."}),
		recipients: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "recipients_total",
			Help: "Failed and delayed recipients of the bounces read, by kind (failure, delay) and reason name."},
			[]string{"kind", "reason"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "errors_total",
			Help: "Errors and recovered panics, by stage; the message concerned continued unchanged."},
			[]string{"stage"}),
		limits: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "limit_hits_total",
			Help: "Times a limit was reached, by limit (max_body, max_sessions, max_connections, session_timeout, timeout, parse_limit)."},
			[]string{"limit"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: ns, Name: "processing_duration_seconds",
			Help:    "Time from the end of a bounce to the milter's reply (annotating and sending the edits), for each bounce read.",
			Buckets: LatencyBuckets}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Name: "catalog_reloads_total",
			Help: "Catalog reloads on SIGHUP, by result: ok, failed (old catalog kept), no_catalog (no --catalog given)."},
			[]string{"result"}),
		reloadTime: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Name: "catalog_loaded_timestamp_seconds",
			Help: "When the catalog in use was loaded (Unix time)."}),
	}
	sessions := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: ns, Name: "sessions_open",
		Help: "Milter connections open now (at most --max-connections)."},
		func() float64 { return m.read(func(s *Server) int { return s.Sessions() }) })
	buffering := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: ns, Name: "sessions_buffering",
		Help: "Bounces being read for annotation now (at most --max-sessions)."},
		func() float64 { return m.read(func(s *Server) int { return s.Buffering() }) })
	entries := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: ns, Name: "catalog_entries",
		Help: "Entries of the catalog in use, built-in and custom."},
		func() float64 { return m.read(func(s *Server) int { return s.Catalog().Len() }) })
	reg.MustRegister(m.seen, m.annotated, m.skipped, m.stripped, m.recipients, m.errors, m.limits,
		m.latency, m.reloads, m.reloadTime, sessions, buffering, entries)
	// Every label value that can occur is there from the start, at 0, so
	// that rate() and dashboards see a series before its first event.
	for _, b := range []string{"replaced", "headers_only"} {
		m.annotated.WithLabelValues(b)
	}
	for _, c := range Causes {
		m.skipped.WithLabelValues(string(c))
	}
	for _, s := range Stages {
		m.errors.WithLabelValues(s)
	}
	for _, l := range Limits {
		m.limits.WithLabelValues(l)
	}
	for _, r := range []string{ReloadOK, ReloadFailed, ReloadNoCatalog} {
		m.reloads.WithLabelValues(r)
	}
	m.reloadTime.SetToCurrentTime()
	return m
}

// read gives what f says of the attached server, 0 before one is.
func (m *Metrics) read(f func(*Server) int) float64 {
	if s := m.srv.Load(); s != nil {
		return float64(f(s))
	}
	return 0
}

// attach makes the gauges read s.
func (m *Metrics) attach(s *Server) {
	if m != nil {
		m.srv.Store(s)
	}
}

// CatalogReloaded counts a catalog reload with its result (ReloadOK,
// ReloadFailed or ReloadNoCatalog).
func (m *Metrics) CatalogReloaded(result string) {
	if m == nil {
		return
	}
	m.reloads.WithLabelValues(result).Inc()
	if result == ReloadOK {
		m.reloadTime.SetToCurrentTime()
	}
}

func (m *Metrics) limitHit(limit string) {
	if m != nil {
		m.limits.WithLabelValues(limit).Inc()
	}
}

func (m *Metrics) errorAt(stage string) {
	if m != nil {
		m.errors.WithLabelValues(stage).Inc()
	}
}

func (m *Metrics) observe(d time.Duration) {
	if m != nil {
		m.latency.Observe(d.Seconds())
	}
}

// message counts one message at its log line.
func (m *Metrics) message(act logAction, cause Cause, stripped bool, r *dsn.Report) {
	if m == nil {
		return
	}
	m.seen.Inc()
	switch {
	case act == actAnnotated:
		m.annotated.WithLabelValues("replaced").Inc()
	case act == actHeadersOnly:
		m.annotated.WithLabelValues("headers_only").Inc()
	default:
		if cause == "" {
			cause = CauseError
		}
		m.skipped.WithLabelValues(string(cause)).Inc()
	}
	if stripped {
		m.stripped.Inc()
	}
	if r == nil {
		return
	}
	for _, rc := range r.Recipients {
		kind := ""
		switch rc.Action {
		case dsn.ActionFailed:
			kind = "failure"
		case dsn.ActionDelayed:
			kind = "delay"
		default:
			continue
		}
		reason := rc.Reason
		if !catalog.ValidReason(reason) {
			reason = otherReason
		}
		m.recipients.WithLabelValues(kind, reason).Inc()
	}
}
