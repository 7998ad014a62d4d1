package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	stdlog "log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/milter"
)

func init() {
	register(command{
		name:    "milter",
		summary: "run as a mail filter (milter) for Postfix or Sendmail",
		run:     runMilter,
	})
}

// envPrefix prefixes the environment variable of every milter option:
// --max-body is BOUNCENOTE_MAX_BODY.
const envPrefix = "BOUNCENOTE_"

// DefaultShutdownWait bounds how long SIGTERM waits for open sessions.
const DefaultShutdownWait = 30 * time.Second

type milterOptions struct {
	listen       string
	lang         string
	catalogs     catalogFlag
	headersOnly  bool
	maxBody      sizeFlag
	maxSessions  int
	maxConns     int
	timeout      time.Duration
	idleTimeout  time.Duration
	sessTimeout  time.Duration
	shutdownWait time.Duration
	socketMode   string
	socketOwner  string
	logFormat    string
	logLevel     string
	metrics      string // --metrics-listen; "" is off
	checkConfig  bool
}

func milterFlags(o *milterOptions, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("bouncenote milter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o.maxBody = sizeFlag(milter.DefaultMaxBody)
	fs.StringVar(&o.listen, "listen", "", "socket to listen on: unix:/path/to.sock or inet:HOST:PORT (required)")
	addLangFlag(fs, &o.lang, true, "language of the explanations: en, zh-CN or auto")
	fs.Var(&o.catalogs, "catalog", "custom catalog YAML file or directory (repeatable; env: list separated by "+string(os.PathListSeparator)+")")
	fs.BoolVar(&o.headersOnly, "headers-only", false, "add the X-Bounce-* headers but never replace the body")
	fs.Var(&o.maxBody, "max-body", "largest message buffered whole (bytes, or with K/M/G or KiB/MiB/GiB); larger ones get the headers only")
	fs.IntVar(&o.maxSessions, "max-sessions", milter.DefaultMaxSessions, "bounces read for annotation at once; a bounce past it continues unannotated")
	fs.IntVar(&o.maxConns, "max-connections", milter.DefaultMaxConnections, "milter connections open at once; one past it is closed at once and the MTA applies milter_default_action")
	fs.DurationVar(&o.timeout, "timeout", milter.DefaultTimeout, "longest time spent annotating one message; past it the message continues unchanged")
	fs.DurationVar(&o.idleTimeout, "idle-timeout", milter.DefaultIdleTimeout, "close a milter connection idle this long")
	fs.DurationVar(&o.sessTimeout, "session-timeout", milter.DefaultSessionTimeout, "close a milter connection open this long, however busy; the MTA applies milter_default_action")
	fs.DurationVar(&o.shutdownWait, "shutdown-wait", DefaultShutdownWait, "on SIGTERM/SIGINT, how long to wait for open sessions")
	fs.StringVar(&o.socketMode, "socket-mode", "0660", "permissions of a unix socket (octal)")
	fs.StringVar(&o.socketOwner, "socket-owner", "", "owner of a unix socket: user, user:group or :group")
	fs.StringVar(&o.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&o.metrics, "metrics-listen", "", "serve Prometheus /metrics, /healthz and /readyz over HTTP on HOST:PORT (off when empty)")
	fs.BoolVar(&o.checkConfig, "check-config", false, "validate the options and catalogs and check that the socket can be created, then exit (status 2 if not)")
	return fs
}

const milterSynopsis = "usage: bouncenote milter --listen unix:/path|inet:HOST:PORT [options]"

const milterDetails = `Runs as a mail filter for Postfix or Sendmail: bounces get the X-Bounce-*
headers and the explanation block, other mail passes unchanged.
Every option can also be set as ` + envPrefix + `NAME (e.g. ` + envPrefix + `MAX_BODY); the command line wins.
Signals: SIGTERM/SIGINT stop gracefully, SIGHUP reloads the custom catalogs.
A bad option or catalog exits with status 2.`

// applyEnv sets every flag (but --check-config) from its BOUNCENOTE_*
// variable; flags given on the command line are parsed later and win.
func applyEnv(fs *flag.FlagSet, getenv func(string) string) error {
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "check-config" {
			return
		}
		name := envPrefix + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		v := getenv(name)
		if v == "" {
			return
		}
		if l, ok := f.Value.(*catalogFlag); ok {
			l.setEnv(filepath.SplitList(v))
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q: %v", name, v, err))
		}
	})
	return errors.Join(errs...)
}

func runMilter(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	defer signal.Stop(sigs)
	return milterMain(args, os.Getenv, stdout, stderr, sigs, nil)
}

// serving is what milterMain announces once it serves: the addresses of
// the milter listener and of the metrics listener (nil when off).
type serving struct {
	milter, metrics net.Addr
}

// milterMain runs the daemon until a stop signal arrives on sigs. ready, if
// not nil, receives the listening addresses once serving.
func milterMain(args []string, getenv func(string) string, stdout, stderr io.Writer, sigs <-chan os.Signal, ready chan<- serving) int {
	var o milterOptions
	fl := milterFlags(&o, stderr)
	cl := cmdLineFor(fl, "bouncenote milter", milterSynopsis, milterDetails)
	if err := applyEnv(fl, getenv); err != nil {
		fmt.Fprintf(stderr, "bouncenote milter: %v\n", err)
		return 2
	}
	rest, code, ok := cl.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return cl.usageError(stderr, "unexpected argument %q", rest[0])
	}
	cfg, err := o.validate(stderr)
	if err != nil {
		// Bad configuration, like a bad catalog in any command: status 2.
		fmt.Fprintf(stderr, "bouncenote milter: %s\n", errText("", err))
		return 2
	}
	if o.checkConfig {
		// The socket must be creatable too: its directory exists and is
		// writable, nothing else is in the way, the port is free.
		if err = milter.CheckListen(cfg.addr, cfg.sock); err != nil {
			fmt.Fprintf(stderr, "bouncenote milter: %v\n", err)
			return 2
		}
		if o.metrics != "" {
			if err = checkMetricsListen(o.metrics); err != nil {
				fmt.Fprintf(stderr, "bouncenote milter: %v\n", err)
				return 2
			}
		}
		fmt.Fprintf(stdout, "bouncenote milter: configuration OK (listen %s, lang %s, %d custom catalog path(s))\n",
			cfg.addr, cfg.srv.Lang, len(o.catalogs.Paths))
		return 0
	}
	return serveMilter(&o, cfg, sigs, ready)
}

// checkedConfig is what validate produces.
type checkedConfig struct {
	addr   milter.Address
	sock   milter.SocketOptions
	srv    milter.Config
	logger *logrus.Logger
}

func (o *milterOptions) validate(logOut io.Writer) (*checkedConfig, error) {
	c := &checkedConfig{}
	var err error
	if o.listen == "" {
		return nil, errors.New("--listen is required (unix:/path/to.sock or inet:HOST:PORT)")
	}
	if c.addr, err = milter.ParseAddress(o.listen); err != nil {
		return nil, err
	}
	if c.logger, err = newLogger(o.logFormat, o.logLevel, logOut); err != nil {
		return nil, err
	}
	mode, err := strconv.ParseUint(o.socketMode, 8, 32)
	if err != nil || mode > 0o777 {
		return nil, fmt.Errorf("--socket-mode %q: want octal permissions such as 0660", o.socketMode)
	}
	c.sock = milter.SocketOptions{Mode: fs.FileMode(mode), Owner: o.socketOwner}
	if o.metrics != "" {
		if err = checkMetricsAddr(o.metrics); err != nil {
			return nil, err
		}
	}
	if o.socketOwner != "" {
		if _, _, err := milter.LookupOwner(o.socketOwner); err != nil {
			return nil, err
		}
	}
	lang, err := parseLang(o.lang, true)
	if err != nil {
		return nil, err
	}
	if o.maxSessions < 1 || o.maxConns < 1 || o.timeout <= 0 || o.idleTimeout <= 0 || o.sessTimeout <= 0 || o.shutdownWait <= 0 || o.maxBody < 1 {
		return nil, errors.New("--max-body, --max-sessions, --max-connections, --timeout, --idle-timeout, --session-timeout and --shutdown-wait must be positive")
	}
	if o.sessTimeout <= o.timeout {
		return nil, fmt.Errorf("--session-timeout %s must be longer than --timeout %s", o.sessTimeout, o.timeout)
	}
	cat, err := loadCatalog(o.catalogs.Paths)
	if err != nil {
		return nil, err
	}
	c.srv = milter.Config{
		Lang: lang, Catalog: cat, HeadersOnly: o.headersOnly,
		MaxBody: int64(o.maxBody), MaxSessions: o.maxSessions, MaxConnections: o.maxConns,
		Timeout: o.timeout, IdleTimeout: o.idleTimeout, SessionTimeout: o.sessTimeout, Logger: c.logger,
	}
	return c, nil
}

func loadCatalog(paths catalog.Paths) (*catalog.Catalog, error) {
	if len(paths) == 0 {
		return catalog.Builtin(), nil
	}
	c, err := paths.Load()
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	return c, nil
}

func newLogger(format, level string, out io.Writer) (*logrus.Logger, error) {
	l := logrus.New()
	l.SetOutput(out)
	switch format {
	case "text":
		l.SetFormatter(&logrus.TextFormatter{FullTimestamp: true, DisableColors: true})
	case "json":
		l.SetFormatter(&logrus.JSONFormatter{})
	default:
		return nil, fmt.Errorf("--log-format %q: want text or json", format)
	}
	lv, err := logrus.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	l.SetLevel(lv)
	return l, nil
}

// serveMilter listens and serves until SIGTERM or SIGINT; SIGHUP reloads
// the custom catalogs.
func serveMilter(o *milterOptions, c *checkedConfig, sigs <-chan os.Signal, ready chan<- serving) int {
	log := c.logger
	// go-milter reports connection errors through the standard logger:
	// route them into ours so that every line has the same format.
	stdlog.SetFlags(0)
	stdlog.SetOutput(log.WriterLevel(logrus.WarnLevel))
	defer stdlog.SetOutput(os.Stderr)
	var (
		op  *ops
		up  serving
		ln  net.Listener
		err error
	)
	if o.metrics != "" {
		// Up before the milter listener, so that /readyz says 503 until
		// the milter can take mail.
		op = newOps()
		c.srv.Metrics = op.metrics
		if up.metrics, err = op.start(o.metrics, log); err != nil {
			log.WithError(err).Error("cannot listen")
			return 1
		}
		defer op.stop()
	}
	if ln, err = milter.Listen(c.addr, c.sock); err != nil {
		log.WithError(err).Error("cannot listen")
		return 1
	}
	up.milter = ln.Addr()
	srv := milter.New(c.srv)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	if op != nil {
		op.setReady(srv)
	}
	log.WithFields(logrus.Fields{"listen": c.addr.String(), "lang": c.srv.Lang, "headers_only": c.srv.HeadersOnly,
		"max_body": c.srv.MaxBody, "max_sessions": c.srv.MaxSessions, "max_connections": c.srv.MaxConnections,
		"session_timeout": c.srv.SessionTimeout.String(), "metrics_listen": orDash(addrString(up.metrics))}).Info("bouncenote milter started")
	if ready != nil {
		ready <- up
	}
	defer func() {
		if c.addr.Network == "unix" {
			os.Remove(c.addr.Address)
		}
	}()
	for {
		select {
		case serveErr := <-done:
			log.WithError(serveErr).Error("milter server stopped")
			return 1
		case sig := <-sigs:
			if sig == syscall.SIGHUP {
				reloadCatalog(srv, o.catalogs.Paths, log, c.srv.Metrics)
				continue
			}
			if op != nil {
				op.setReady(nil) // draining: /readyz says 503
			}
			return shutdown(srv, o.shutdownWait, sig, log)
		}
	}
}

func reloadCatalog(srv *milter.Server, paths catalog.Paths, log *logrus.Logger, met *milter.Metrics) {
	if len(paths) == 0 {
		met.CatalogReloaded(milter.ReloadNoCatalog)
		log.Info("SIGHUP: no custom catalog to reload")
		return
	}
	cat, err := loadCatalog(paths)
	if err != nil {
		met.CatalogReloaded(milter.ReloadFailed)
		log.WithError(err).Error("SIGHUP: catalog reload failed; keeping the old catalog")
		return
	}
	srv.SetCatalog(cat)
	met.CatalogReloaded(milter.ReloadOK)
	log.WithField("paths", paths.String()).Info("SIGHUP: catalog reloaded")
}

func shutdown(srv *milter.Server, wait time.Duration, sig os.Signal, log *logrus.Logger) int {
	log.WithFields(logrus.Fields{"signal": sig.String(), "sessions": srv.Sessions()}).Info("stopping: no new connections")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.WithFields(logrus.Fields{"sessions": srv.Sessions(), "waited": wait.String()}).
			Warn("stopping with sessions still open; the MTA applies milter_default_action to them")
	}
	log.Info("bouncenote milter stopped")
	return 0
}

// catalogFlag is catalog.Paths (repeatable --catalog) whose values from
// the environment are replaced, not extended, by the command line.
type catalogFlag struct {
	catalog.Paths
	fromEnv bool
}

func (c *catalogFlag) Set(v string) error {
	if c.fromEnv {
		c.Paths, c.fromEnv = nil, false
	}
	return c.Paths.Set(v)
}

func (c *catalogFlag) setEnv(vs []string) {
	c.Paths, c.fromEnv = nil, true
	for _, v := range vs {
		if v != "" {
			c.Paths = append(c.Paths, v)
		}
	}
}

// sizeFlag is a byte count written as 1048576, 1024K, 1M, 1MiB or 1G.
type sizeFlag int64

func (s *sizeFlag) String() string { return strconv.FormatInt(int64(*s), 10) }

func (s *sizeFlag) Set(v string) error {
	n, err := parseSize(v)
	if err != nil {
		return err
	}
	*s = sizeFlag(n)
	return nil
}

func parseSize(v string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(v))
	if strings.HasSuffix(t, "IB") {
		t = t[:len(t)-2]
	} else {
		t = strings.TrimSuffix(t, "B")
	}
	mult := int64(1)
	if t != "" {
		switch t[len(t)-1] {
		case 'K':
			mult = 1 << 10
		case 'M':
			mult = 1 << 20
		case 'G':
			mult = 1 << 30
		}
		if mult > 1 {
			t = t[:len(t)-1]
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q: want bytes, or a number with K, M or G", v)
	}
	return n * mult, nil
}

// addrString is a.String(), "" for nil.
func addrString(a net.Addr) string {
	if a == nil {
		return ""
	}
	return a.String()
}

// checkMetricsListen reports whether the metrics address can be bound now.
func checkMetricsListen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot listen on --metrics-listen %s: %w", addr, syscallErr(err))
	}
	return ln.Close()
}

// syscallErr strips what repeats the address from a network error.
func syscallErr(err error) error {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Err
	}
	return err
}
