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
	"bufio"
	"context"
	"net"
	"runtime"
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
	DefaultMaxBody        int64 = 10 << 20         // MaxBody: 10 MiB
	DefaultMaxSessions          = 100              // MaxSessions: Postfix's default_process_limit
	DefaultMaxConnections       = 400              // MaxConnections: Postfix's smtpd and cleanup at their default process limit, twice over
	DefaultTimeout              = 10 * time.Second // Timeout
	DefaultIdleTimeout          = 6 * time.Minute  // IdleTimeout: just above Postfix's smtpd_timeout (300 s)
	DefaultSessionTimeout       = 30 * time.Minute // SessionTimeout
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
	// MaxSessions bounds the messages read for annotation at once (each
	// bounce holds a slot from its end of header to its end); default 100,
	// Postfix's default_process_limit (one milter connection per smtpd or
	// cleanup process). A bounce that arrives while MaxSessions others are
	// being read continues unannotated, without being buffered; the others
	// are annotated as usual. So at most MaxSessions × MaxBody bytes are
	// ever held.
	MaxSessions int
	// MaxConnections bounds the milter connections open at once; default
	// 400, room for Postfix's smtpd and cleanup processes at their default
	// process limit (100 each) twice over. A connection past it is closed
	// at once, before the milter negotiation: the MTA then applies its
	// milter_default_action (accept, in the examples) to that session.
	MaxConnections int
	// Timeout bounds the time spent annotating one message, waiting for
	// its turn (MaxAnnotating) included; default 10 s (below Postfix's
	// milter_command_timeout of 30 s). Past it the message continues
	// unchanged.
	Timeout time.Duration
	// MaxAnnotating bounds the messages annotated at once; default
	// GOMAXPROCS. Annotating is CPU work: more at once is not faster, and
	// each one under way holds about three times its message (the message,
	// the parse, the output), so a burst of large bounces ending together
	// waits its turn holding just its body, once.
	MaxAnnotating int
	// IdleTimeout closes a milter connection on which the MTA has sent
	// nothing for this long; default 6 min, just above Postfix's
	// smtpd_timeout (300 s), so that an SMTP client that pauses between
	// messages keeps its session. It restarts on every read.
	IdleTimeout time.Duration
	// SessionTimeout closes a milter connection that has been open this
	// long, however busy, so that a client sending a byte now and then
	// cannot hold a connection or a MaxSessions slot for ever; default
	// 30 min, room for an SMTP session that carries many messages. The MTA applies its
	// milter_default_action (accept) to the rest of that session; the
	// milter never rejects or tempfails because of it.
	SessionTimeout time.Duration

	Logger *logrus.Logger // nil means logrus.StandardLogger()

	// Metrics, if not nil, count what the milter does (NewMetrics).
	Metrics *Metrics

	// Annotate is the transformation applied; nil means annotate.Annotate.
	// Tests replace it to provoke errors, panics and delays. raw is
	// reused for another message once the reply is sent: neither the
	// function nor its Result may keep it or a part of it.
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
	if c.MaxConnections <= 0 {
		c.MaxConnections = DefaultMaxConnections
	}
	if c.SessionTimeout <= 0 {
		c.SessionTimeout = DefaultSessionTimeout
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxAnnotating <= 0 {
		c.MaxAnnotating = runtime.GOMAXPROCS(0)
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
	log     *logrus.Logger
	met     *Metrics      // nil: none
	open    atomic.Int64  // milter connections open now
	slots   chan struct{} // a token per message being read for annotation; capacity MaxSessions
	turns   chan struct{} // a token per message being annotated; capacity MaxAnnotating
	mu      sync.Mutex
	lns     []net.Listener
	closing atomic.Bool
}

// New returns a Server for cfg.
func New(cfg Config) *Server {
	cfg = cfg.withDefaults()
	s := &Server{cfg: cfg, log: cfg.Logger, met: cfg.Metrics, slots: make(chan struct{}, cfg.MaxSessions),
		turns: make(chan struct{}, cfg.MaxAnnotating)}
	if cfg.Catalog != nil {
		s.cat.Store(cfg.Catalog)
	} else {
		s.cat.Store(catalog.Builtin())
	}
	s.met.attach(s)
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

// Buffering returns the number of messages being read for annotation now,
// each holding one of the MaxSessions slots.
func (s *Server) Buffering() int { return len(s.slots) }

// Serve accepts milter connections on ln until Shutdown. It returns nil
// after Shutdown, otherwise the listener's error.
func (s *Server) Serve(ln net.Listener) error {
	defer ln.Close()
	s.mu.Lock()
	s.lns = append(s.lns, ln)
	s.mu.Unlock()
	for !s.closing.Load() {
		c, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return nil
			}
			return err
		}
		s.serveConn(c)
	}
	return nil
}

// serveConn starts the milter protocol on c, or closes it at once when
// MaxConnections are open.
//
// QUIRK: go-milter v0.5.0 makes a new backend after every final reply and
// tells it nothing about its connection, so a message could not give back
// its MaxSessions slot when its connection breaks. Each connection gets a
// gomilter.Server of its own instead, whose backends know the connection,
// serving a listener that hands out that one connection.
func (s *Server) serveConn(c net.Conn) {
	if !s.admit() {
		s.met.limitHit("max_connections")
		s.log.WithField("remote", remote(c)).Warnf(
			"more than %d milter connections open (max-connections): connection closed; the MTA applies its milter_default_action",
			s.cfg.MaxConnections)
		c.Close()
		return
	}
	tc := newTrackedConn(c, s)
	ms := &gomilter.Server{
		NewMilter: func() gomilter.Milter { return newSession(s, tc) },
		Actions:   actions,
		Protocol:  protocol,
		SymList:   macros,
	}
	// Serve returns net.ErrClosed once the connection has ended.
	go ms.Serve(&connListener{conn: tc})
}

// remote names the peer of c for the log; unix peers are often unnamed.
func remote(c net.Conn) string {
	if a := c.RemoteAddr(); a != nil && a.String() != "" {
		return a.String()
	}
	return "-"
}

// admit counts a new connection unless MaxConnections are open.
func (s *Server) admit() bool {
	for {
		n := s.open.Load()
		if n >= int64(s.cfg.MaxConnections) {
			return false
		}
		if s.open.CompareAndSwap(n, n+1) {
			return true
		}
	}
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

// connListener hands out one connection, then waits until it is closed.
type connListener struct {
	conn   *trackedConn
	handed bool
}

func (l *connListener) Accept() (net.Conn, error) {
	if !l.handed {
		l.handed = true
		return l.conn, nil
	}
	<-l.conn.done
	return nil, net.ErrClosed
}

func (l *connListener) Close() error   { return nil }
func (l *connListener) Addr() net.Addr { return l.conn.LocalAddr() }

// trackedConn is one milter connection: it is counted while open, gets the
// idle deadline on every read, is closed at its session deadline, and
// holds the MaxSessions slot of the message being read on it, if any, so
// that the slot is given back however the connection ends.
type trackedConn struct {
	net.Conn
	srv  *Server
	in   *bufio.Reader // reads of the connection, readBuffer bytes at a time
	done chan struct{} // closed by Close
	once sync.Once

	mu     sync.Mutex
	timer  *time.Timer // the session deadline
	held   bool        // a MaxSessions slot is held
	closed bool
}

func newTrackedConn(c net.Conn, s *Server) *trackedConn {
	tc := &trackedConn{Conn: c, srv: s, done: make(chan struct{})}
	tc.in = bufio.NewReaderSize(connReader{tc}, readBuffer)
	tc.mu.Lock()
	tc.timer = time.AfterFunc(s.cfg.SessionTimeout, tc.expire)
	tc.mu.Unlock()
	return tc
}

// expire closes the connection at its session deadline.
func (c *trackedConn) expire() {
	c.srv.met.limitHit("session_timeout")
	c.srv.log.WithField("remote", remote(c)).Warnf(
		"milter connection open for %s (session-timeout): closed; the MTA applies its milter_default_action",
		c.srv.cfg.SessionTimeout)
	c.Close()
}

// readBuffer is the size of a connection's read buffer.
const readBuffer = 4096

// Read reads through the connection's buffer: a request that has arrived
// whole, and the macros sent with it, come in one read from the socket.
//
// QUIRK: go-milter v0.5.0 reads each request from the connection in two
// reads, its 4-byte length (encoding/binary.Read) and then its data.
func (c *trackedConn) Read(p []byte) (int, error) { return c.in.Read(p) }

// connReader reads the socket under the buffer.
type connReader struct{ c *trackedConn }

// Read gives every read of the socket the idle deadline: an MTA that went
// silent does not hold a session forever.
func (r connReader) Read(p []byte) (int, error) {
	if err := r.c.Conn.SetReadDeadline(time.Now().Add(r.c.srv.cfg.IdleTimeout)); err != nil {
		return 0, err
	}
	return r.c.Conn.Read(p)
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.timer.Stop()
		c.releaseLocked()
		c.mu.Unlock()
		close(c.done)
		c.srv.open.Add(-1)
	})
	return err
}

// acquire takes a MaxSessions slot for the message being read, unless all
// are taken or the connection is closed. A nil connection has none.
func (c *trackedConn) acquire() bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held {
		return true
	}
	if c.closed {
		return false
	}
	select {
	case c.srv.slots <- struct{}{}:
		c.held = true
		return true
	default:
		return false
	}
}

// release gives back the slot, if one is held.
func (c *trackedConn) release() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.releaseLocked()
}

func (c *trackedConn) releaseLocked() {
	if c.held {
		<-c.srv.slots
		c.held = false
	}
}
