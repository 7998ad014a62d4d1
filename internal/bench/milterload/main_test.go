package main

import (
	"net"
	"os"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/sirupsen/logrus"

	"github.com/bouncenote/bouncenote/internal/bench"
	"github.com/bouncenote/bouncenote/milter"
)

// serve runs srv on a loopback listener until the test ends; it returns
// the milterload address.
func serve(t *testing.T, srv interface{ Serve(net.Listener) error }) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { ln.Close() })
	return "inet:" + ln.Addr().String()
}

// TestRun plays a real bounce through the bouncenote milter and through
// the no-op milter, with and without -barrier: every message is counted,
// and only the bouncenote milter's come back annotated.
func TestRun(t *testing.T) {
	raw, err := os.ReadFile("../../../testdata/corpus/sisimai/bounces/lhost-postfix-02.eml")
	if err != nil {
		t.Fatal(err)
	}
	m := splitMessage(raw)
	if len(m.fields) < 5 || len(m.body) == 0 {
		t.Fatalf("split into %d fields and %d body bytes", len(m.fields), len(m.body))
	}
	log := logrus.New()
	log.SetLevel(logrus.ErrorLevel)
	bn := serve(t, milter.New(milter.Config{Logger: log}))
	noop := serve(t, &gomilter.Server{
		NewMilter: func() gomilter.Milter { return &bench.Noop{Hold: true} },
		Actions:   gomilter.OptAddHeader | gomilter.OptChangeHeader | gomilter.OptChangeBody,
		Protocol:  gomilter.OptNoConnect | gomilter.OptNoHelo | gomilter.OptNoUnknown,
	})
	tests := []struct {
		name      string
		addr      string
		barrier   bool
		annotated bool
	}{
		{"bouncenote", bn, false, true},
		{"bouncenote, barrier", bn, true, true},
		{"noop", noop, false, false},
		{"noop, barrier", noop, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := config{addr: tt.addr, sessions: 3, perSess: 2, barrier: tt.barrier, annotated: tt.annotated, timeout: 10 * time.Second}
			res := run(c, m)
			if len(res) != 6 {
				t.Fatalf("%d results, want 6", len(res))
			}
			for i, r := range res {
				if r.err != nil || r.annotated != tt.annotated || r.latency <= 0 {
					t.Errorf("message %d: annotated %v, latency %s, error %v; want annotated %v", i, r.annotated, r.latency, r.err, tt.annotated)
				}
			}
		})
	}
}

func TestPercentile(t *testing.T) {
	var d []time.Duration
	for i := 1; i <= 200; i++ {
		d = append(d, time.Duration(i))
	}
	tests := []struct {
		d    []time.Duration
		p    int
		want time.Duration
	}{
		{d, 50, 100}, {d, 99, 198}, {d, 100, 200}, {d[:1], 99, 1}, {nil, 50, 0},
	}
	for _, tt := range tests {
		if got := percentile(tt.d, tt.p); got != tt.want {
			t.Errorf("p%d of %d values = %d, want %d", tt.p, len(tt.d), got, tt.want)
		}
	}
}
