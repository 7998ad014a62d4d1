// Package milter is the mail-filter face of bouncenote: it speaks the
// Sendmail milter protocol (through github.com/emersion/go-milter) to Postfix
// or Sendmail and adds plain-language explanations to delivery status
// notifications (RFC 3464, RFC 6522) as they pass, using package annotate.
//
// Every incoming X-Bounce-* header field is deleted from every message, so
// that the ones a reader sees come from bouncenote.
//
// It fails open: whatever goes wrong inside bouncenote (an error, a panic, a
// timeout, a limit), the message continues unannotated. It never rejects,
// discards, quarantines or tempfails a message.
package milter

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/sirupsen/logrus"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/catalog"
)

// Defaults for Config fields left at their zero value.
const (
	DefaultMaxBody     int64 = 10 << 20         // MaxBody: 10 MiB
	DefaultMaxSessions       = 100              // MaxSessions: Postfix's default_process_limit
	DefaultTimeout           = 10 * time.Second // Timeout
	DefaultIdleTimeout       = 15 * time.Minute // IdleTimeout
)

// Config configures a Server. The zero value means the defaults.
type Config struct {
	Lang        string           // annotation language: "en" (default), "zh-CN" or "auto"
	Catalog     *catalog.Catalog // nil means catalog.Builtin(); replace later with SetCatalog
	HeadersOnly bool             // add the headers but never replace the body

	// MaxBody bounds the bytes (header and body) buffered for one message;
	// default 10 MiB. A larger message gets the headers only, computed from
	// what was read.
	MaxBody int64
	// MaxSessions bounds the milter connections that may buffer a message;
	// default 100, Postfix's default_process_limit (one milter connection
	// per smtpd or cleanup process). While more connections than this are
	// open, messages continue unchanged without being buffered, so at most
	// MaxSessions × MaxBody bytes are ever held.
	MaxSessions int
	// Timeout bounds the time spent annotating one message; default 10 s
	// (below Postfix's milter_command_timeout of 30 s). Past it the message
	// continues unchanged.
	Timeout time.Duration
	// IdleTimeout closes a milter connection on which the MTA has sent
	// nothing for this long; default 15 min.
	IdleTimeout time.Duration

	Logger *logrus.Logger // nil means logrus.StandardLogger()

	// Annotate is the transformation applied; nil means annotate.Annotate.
	// Tests replace it to provoke errors, panics and delays.
	Annotate func(raw []byte, opts annotate.Options) (*annotate.Result, error)
}

func (c Config) withDefaults() Config {
	if c.Lang == "" {
		c.Lang = "en"
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = DefaultMaxSessions
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.Logger == nil {
		c.Logger = logrus.StandardLogger()
	}
	if c.Annotate == nil {
		c.Annotate = annotate.Annotate
	}
	return c
}

// Actions bouncenote asks the MTA for: add (insert) headers, change or
// delete headers, replace the body. Never recipients, never quarantine.
const actions = gomilter.OptAddHeader | gomilter.OptChangeHeader | gomilter.OptChangeBody |
	gomilter.OptSetSymList

// Events bouncenote does not need: the client's connection and HELO, and
// unknown SMTP commands (go-milter v0.5.0 would end the session on one).
//
// QUIRK: go-milter v0.5.0 answers the negotiation with protocol version 2
// and a fixed mask, whatever the MTA offered, so the v6 extensions that the
// MTA must have offered (SMFIP_SKIP, the SMFIP_NR_* no-reply flags,
// SMFIP_HDR_LEADSPC) cannot be requested safely. Skip is not needed: every
// message that is not a bounce is accepted at end-of-header, so its body is
// never sent to us.
const protocol = gomilter.OptNoConnect | gomilter.OptNoHelo | gomilter.OptNoUnknown

// macros are the macro lists requested from the MTA (SMFIF_SETSYMLIST);
// "i" is the queue id. Postfix's defaults include these too.
var macros = map[gomilter.Stage][]string{
	gomilter.StageMailFrom: {"i"},
	gomilter.StageRcptTo:   {"i"},
	gomilter.StageEOH:      {"i"},
	gomilter.StageEOM:      {"i"},
}

// Server is a running bouncenote milter.
type Server struct {
	cfg     Config
	cat     atomic.Pointer[catalog.Catalog]
	ms      *gomilter.Server
	log     *logrus.Logger
	open    atomic.Int64 // milter connections open now
	mu      sync.Mutex
	lns     []net.Listener
	closing atomic.Bool
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, log: cfg.Logger}
	if cfg.Catalog != nil {
		s.cat.Store(cfg.Catalog)
	} else {
		s.cat.Store(catalog.Builtin())
	}
	s.ms = &gomilter.Server{
		NewMilter: func() gomilter.Milter { return newSession(s) },
		Actions:   actions,
		Protocol:  protocol,
		SymList:   macros,
	}
	return s
}

// SetCatalog replaces the catalog used for messages that start after the call.
func (s *Server) SetCatalog(c *catalog.Catalog) {
	if c != nil {
		s.cat.Store(c)
	}
}

// Catalog returns the catalog in use.
func (s *Server) Catalog() *catalog.Catalog { return s.cat.Load() }

// Sessions returns the number of milter connections open now.
func (s *Server) Sessions() int { return int(s.open.Load()) }

// Serve accepts milter connections on ln until Shutdown. It returns nil
// after Shutdown, otherwise the listener's error.
func (s *Server) Serve(ln net.Listener) error {
	tl := &trackingListener{Listener: ln, srv: s}
	s.mu.Lock()
	s.lns = append(s.lns, tl)
	s.mu.Unlock()
	err := s.ms.Serve(tl)
	if s.closing.Load() || errors.Is(err, gomilter.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections and waits until the open ones end
// or ctx is done. It returns ctx.Err() when sessions were still open.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closing.Store(true)
	s.mu.Lock()
	for _, ln := range s.lns {
		ln.Close()
	}
	s.mu.Unlock()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for s.open.Load() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// overloaded reports whether more connections are open than MaxSessions.
// A message decides whether to buffer while its own connection is open, so
// at most MaxSessions messages are ever buffered at once.
func (s *Server) overloaded() bool { return s.open.Load() > int64(s.cfg.MaxSessions) }

// trackingListener counts open connections and gives them an idle deadline.
type trackingListener struct {
	net.Listener
	srv *Server
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.srv.open.Add(1)
	return &trackedConn{Conn: c, srv: l.srv}, nil
}

type trackedConn struct {
	net.Conn
	srv  *Server
	once sync.Once
}

// Read gives every read the idle deadline: an MTA that went silent does not
// hold a session forever.
func (c *trackedConn) Read(p []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.srv.cfg.IdleTimeout)); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *trackedConn) Close() error {
	c.once.Do(func() { c.srv.open.Add(-1) })
	return c.Conn.Close()
}
