package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/sirupsen/logrus"

	"github.com/bouncenote/bouncenote/milter"
)

// opsReadHeaderTimeout bounds how long a client of the metrics listener
// may take to send its request header.
const opsReadHeaderTimeout = 10 * time.Second

// ops serves /metrics, /healthz and /readyz on --metrics-listen. Its
// metrics are in a registry of its own, not Prometheus's global one.
type ops struct {
	reg     *prometheus.Registry
	metrics *milter.Metrics
	srv     atomic.Pointer[milter.Server] // set once the milter listener is up
	http    *http.Server
}

func newOps() *ops {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	o := &ops{reg: reg, metrics: milter.NewMetrics(reg)}
	o.http = &http.Server{Handler: o.handler(), ReadHeaderTimeout: opsReadHeaderTimeout}
	return o
}

// handler routes the three paths.
func (o *ops) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(o.reg, promhttp.HandlerOpts{Registry: o.reg}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		if why := o.notReady(); why != "" {
			http.Error(w, "not ready: "+why, http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	return mux
}

// notReady says why the milter cannot take mail, or "" when it can: its
// listener is up and a catalog is loaded.
func (o *ops) notReady() string {
	s := o.srv.Load()
	switch {
	case s == nil:
		return "the milter listener is not up"
	case s.Catalog() == nil:
		return "no catalog loaded"
	}
	return ""
}

// setReady marks the milter as serving (s) or stopping (nil).
func (o *ops) setReady(s *milter.Server) { o.srv.Store(s) }

// start listens on addr and serves in the background; errors after the
// start are logged.
func (o *ops) start(addr string, log *logrus.Logger) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-listen %s: %w", addr, err)
	}
	go func() {
		if serveErr := o.http.Serve(ln); serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
			log.WithError(serveErr).Error("metrics listener stopped")
		}
	}()
	return ln.Addr(), nil
}

// stop closes the metrics listener, waiting briefly for scrapes under way.
func (o *ops) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := o.http.Shutdown(ctx); err != nil {
		o.http.Close()
	}
}

// checkMetricsAddr validates a --metrics-listen address: HOST:PORT, the
// host possibly empty (all addresses), the port from 0 (any free one) to
// 65535.
func checkMetricsAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--metrics-listen %q: want HOST:PORT (%v)", addr, err)
	}
	if n, convErr := strconv.Atoi(port); convErr != nil || n < 0 || n > 65535 {
		return fmt.Errorf("--metrics-listen %q: port %q is not a number from 0 to 65535", addr, port)
	}
	return nil
}
