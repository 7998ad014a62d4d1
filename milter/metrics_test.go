package milter

import (
	"errors"
	"strings"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/dsn"
)

// TestMetricsByOutcome sends one message per case and checks what each
// counter says, and that the log line's cause is the metric's label.
func TestMetricsByOutcome(t *testing.T) {
	big := bounceMsg + strings.Repeat("more text of the bounce\r\n", 100)
	tests := []struct {
		name      string
		cfg       Config
		fa        *fakeAnnotate
		from, msg string
		hold      bool   // another bounce holds the only max-sessions slot
		cause     string // the log line's cause field
		annotated string // body label of messages_annotated_total, "" for none
		stripped  float64
		latency   uint64 // observations of the histogram
		limit     string // limit label hit, "" for none
		stage     string // errors_total stage, "" for none
		reason    string // recipients_total{kind="failure"} reason, "" for none
	}{
		{name: "ordinary mail", fa: &fakeAnnotate{}, from: "bob@example.org", msg: ordinaryMsg, cause: "not_bounce"},
		{name: "ordinary mail with forged fields", fa: &fakeAnnotate{}, from: "bob@example.org",
			msg: "X-Bounce-Reason: forged\r\n" + ordinaryMsg, cause: "not_bounce", stripped: 1},
		{name: "annotated", fa: &fakeAnnotate{res: annotatedResult("x\r\n")}, msg: bounceMsg,
			cause: "-", annotated: "replaced", stripped: 1, latency: 1, reason: "userunknown"},
		{name: "over max-body: headers only", cfg: Config{MaxBody: 400}, fa: &fakeAnnotate{res: annotatedResult("x\r\n")}, msg: big,
			cause: "-", annotated: "headers_only", stripped: 1, latency: 1, limit: "max_body", reason: "userunknown"},
		{name: "over max-body: nothing read", cfg: Config{MaxBody: 400}, fa: &fakeAnnotate{res: &annotate.Result{Report: &dsn.Report{Kind: dsn.KindNone}}},
			msg: "X-Pad: " + strings.Repeat("x", 500) + "\r\n" + cleanBounceMsg, cause: "max_body", latency: 1, limit: "max_body"},
		{name: "ordinary mail over max-body", cfg: Config{MaxBody: 400}, fa: &fakeAnnotate{}, from: "bob@example.org",
			msg: "X-Pad: " + strings.Repeat("x", 500) + "\r\n" + ordinaryMsg, cause: "not_bounce"},
		{name: "unchanged", fa: &fakeAnnotate{res: &annotate.Result{Report: &dsn.Report{Kind: dsn.KindSuccess}}}, msg: cleanBounceMsg,
			cause: "not_bounce", latency: 1},
		{name: "parse limit", fa: &fakeAnnotate{err: dsn.ErrLimit}, msg: cleanBounceMsg, cause: "parse_limit", latency: 1, limit: "parse_limit"},
		{name: "error", fa: &fakeAnnotate{err: errors.New("broken")}, msg: cleanBounceMsg, cause: "error", latency: 1, stage: "annotate"},
		{name: "panic", fa: &fakeAnnotate{panic: true}, msg: cleanBounceMsg, cause: "error", latency: 1, stage: "annotate"},
		{name: "timeout", cfg: Config{Timeout: 50 * time.Millisecond}, fa: &fakeAnnotate{res: annotatedResult("x"), delay: time.Second},
			msg: cleanBounceMsg, cause: "timeout", latency: 1, limit: "timeout"},
		{name: "max-sessions", cfg: Config{MaxSessions: 1}, fa: &fakeAnnotate{}, msg: cleanBounceMsg, hold: true,
			cause: "max_sessions", limit: "max_sessions"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			met := NewMetrics(reg)
			cfg := tc.cfg
			cfg.Annotate, cfg.Metrics = tc.fa.annotate, met
			addr, _, hook := testServer(t, cfg)
			if tc.hold {
				if tr := startMessage(t, dial(t, addr), "", cleanBounceMsg); tr.eoh != gomilter.ActContinue {
					t.Fatalf("holding bounce: end-of-header reply %c", tr.eoh)
				}
			}
			sendMessage(t, dial(t, addr), tc.from, tc.msg)
			e := hook.LastEntry()
			if e == nil || e.Data["cause"] != tc.cause {
				t.Fatalf("log %v, want cause %q", e, tc.cause)
			}
			if got := testutil.ToFloat64(met.seen); got != 1 {
				t.Errorf("seen %v, want 1", got)
			}
			for _, c := range Causes {
				want := 0.0
				if string(c) == tc.cause {
					want = 1
				}
				if got := testutil.ToFloat64(met.skipped.WithLabelValues(string(c))); got != want {
					t.Errorf("skipped{cause=%q} %v, want %v", c, got, want)
				}
			}
			for _, b := range []string{"replaced", "headers_only"} {
				want := 0.0
				if b == tc.annotated {
					want = 1
				}
				if got := testutil.ToFloat64(met.annotated.WithLabelValues(b)); got != want {
					t.Errorf("annotated{body=%q} %v, want %v", b, got, want)
				}
			}
			if got := testutil.ToFloat64(met.stripped); got != tc.stripped {
				t.Errorf("stripped %v, want %v", got, tc.stripped)
			}
			if got := histogramCount(t, reg, "bouncenote_processing_duration_seconds"); got != tc.latency {
				t.Errorf("latency observations %d, want %d", got, tc.latency)
			}
			checkOneHot(t, "limit_hits", met.limits, Limits, tc.limit)
			checkOneHot(t, "errors", met.errors, Stages, tc.stage)
			if tc.reason != "" {
				if got := testutil.ToFloat64(met.recipients.WithLabelValues("failure", tc.reason)); got != 1 {
					t.Errorf("recipients{failure,%s} %v, want 1", tc.reason, got)
				}
			} else if n := testutil.CollectAndCount(met.recipients); n != 0 {
				t.Errorf("%d recipient series, want none", n)
			}
		})
	}
}

// checkOneHot checks that vec is 1 for the label value want and 0 for the
// others of all ("" for none).
func checkOneHot(t *testing.T, name string, vec *prometheus.CounterVec, all []string, want string) {
	t.Helper()
	for _, v := range all {
		w := 0.0
		if v == want {
			w = 1
		}
		if got := testutil.ToFloat64(vec.WithLabelValues(v)); got != w {
			t.Errorf("%s{%s} %v, want %v", name, v, got, w)
		}
	}
}

// histogramCount is the sample count of the named histogram in reg.
func histogramCount(t *testing.T, reg *prometheus.Registry, name string) uint64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetHistogram().GetSampleCount()
		}
	}
	t.Fatalf("no %s", name)
	return 0
}

// TestMetricsRecipientReasons checks the kind and reason labels: an
// unknown reason name counts as "other", delivered recipients not at all.
func TestMetricsRecipientReasons(t *testing.T) {
	reg := prometheus.NewRegistry()
	met := NewMetrics(reg)
	met.message(actAnnotated, "", false, &dsn.Report{Kind: dsn.KindFailure, Recipients: []dsn.Recipient{
		{Action: dsn.ActionFailed, Reason: "userunknown"},
		{Action: dsn.ActionFailed, Reason: "userunknown"},
		{Action: dsn.ActionDelayed, Reason: "mailboxfull"},
		{Action: dsn.ActionFailed, Reason: "bob@example.org"},
		{Action: dsn.ActionDelivered, Reason: "delivered"},
	}})
	tests := []struct {
		kind, reason string
		want         float64
	}{
		{"failure", "userunknown", 2},
		{"delay", "mailboxfull", 1},
		{"failure", "other", 1},
	}
	for _, tc := range tests {
		if got := testutil.ToFloat64(met.recipients.WithLabelValues(tc.kind, tc.reason)); got != tc.want {
			t.Errorf("recipients{%s,%s} %v, want %v", tc.kind, tc.reason, got, tc.want)
		}
	}
	if n := testutil.CollectAndCount(met.recipients); n != len(tests) {
		t.Errorf("%d recipient series, want %d", n, len(tests))
	}
	met.CatalogReloaded(ReloadFailed)
	if got := testutil.ToFloat64(met.reloads.WithLabelValues(ReloadFailed)); got != 1 {
		t.Errorf("reloads{failed} %v", got)
	}
	var nilMetrics *Metrics // records nothing, does not panic
	nilMetrics.message(actAccept, CauseNotBounce, false, nil)
	nilMetrics.CatalogReloaded(ReloadOK)
}
