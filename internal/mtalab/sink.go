package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Defaults of SinkOptions.
const (
	defaultSinkHostname = "sink.test"
	defaultHang         = 10 * time.Minute
	// MaxMessageBytes is the SIZE the sink advertises (RFC 1870).
	MaxMessageBytes = 10 << 20
)

// SinkOptions configures a Sink; the zero value means the defaults.
type SinkOptions struct {
	Dir      string        // accepted messages are stored here; "" discards them
	Hostname string        // greeting name; default sink.test
	Hang     time.Duration // how long slow@ hangs at RCPT; default 10m
}

// Script is the sink's answer to one recipient, chosen by its local part.
// Stage is where the answer is given: at RCPT or after the DATA dot.
type Script struct {
	Stage    Stage
	Code     int
	Enhanced smtp.EnhancedCode
	Text     string
}

// Stage is the SMTP command a Script answers.
type Stage int

// Stages of Script.
const (
	StageAccept Stage = iota // 250 at RCPT and after DATA
	StageRcpt                // the reply is given to RCPT TO (RFC 5321 §3.3)
	StageData                // the reply is given after the end of DATA
	StageHang                // RCPT does not answer until the client gives up
)

// Scripts maps a recipient's local part to the sink's answer; every other
// local part is accepted. The texts imitate what large receivers say.
var Scripts = map[string]Script{
	"nouser": {StageRcpt, 550, smtp.EnhancedCode{5, 1, 1}, "<%s>: Recipient address rejected: User unknown in virtual mailbox table"},
	"full":   {StageRcpt, 552, smtp.EnhancedCode{5, 2, 2}, "<%s>: Recipient address rejected: Mailbox full, quota exceeded"},
	"spam":   {StageData, 554, smtp.EnhancedCode{5, 7, 1}, "Message rejected as spam by content filter"},
	"big":    {StageData, 552, smtp.EnhancedCode{5, 3, 4}, "Message size exceeds fixed limit"},
	"later":  {StageRcpt, 451, smtp.EnhancedCode{4, 3, 0}, "<%s>: Temporary local problem, please try again later"},
	"slow":   {StageHang, 0, smtp.EnhancedCode{}, ""},
}

// ScriptFor returns the sink's answer to the recipient addr.
func ScriptFor(addr string) Script {
	local, _, _ := strings.Cut(addr, "@")
	local, _, _ = strings.Cut(strings.ToLower(local), "+")
	return Scripts[local]
}

func (s Script) err(addr string) error {
	text := s.Text
	if strings.Contains(text, "%s") {
		text = fmt.Sprintf(text, addr)
	}
	return &smtp.SMTPError{Code: s.Code, EnhancedCode: s.Enhanced, Message: text}
}

// Sink is the scripted SMTP server.
type Sink struct {
	opts   SinkOptions
	server *smtp.Server
	done   chan struct{}
	once   sync.Once

	mu  sync.Mutex
	seq int
}

// NewSink returns a sink; call Serve to run it.
func NewSink(opts SinkOptions) *Sink {
	if opts.Hostname == "" {
		opts.Hostname = defaultSinkHostname
	}
	if opts.Hang == 0 {
		opts.Hang = defaultHang
	}
	k := &Sink{opts: opts, done: make(chan struct{})}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{sink: k}, nil
	}))
	s.Domain = opts.Hostname
	s.MaxMessageBytes = MaxMessageBytes
	s.MaxRecipients = 100
	s.ReadTimeout = 5 * time.Minute
	s.WriteTimeout = time.Minute
	s.EnableDSN = true
	k.server = s
	return k
}

// Serve accepts connections on l until Close.
func (k *Sink) Serve(l net.Listener) error { return k.server.Serve(l) }

// Close stops the sink and wakes hanging sessions.
func (k *Sink) Close() error {
	k.once.Do(func() { close(k.done) })
	return k.server.Close()
}

// store writes one accepted message as NNNN.eml, with its envelope in
// NNNN.env (MAIL FROM and RCPT TO lines); the message bytes are unchanged.
func (k *Sink) store(from string, to []string, msg []byte) error {
	if k.opts.Dir == "" {
		return nil
	}
	k.mu.Lock()
	k.seq++
	n := k.seq
	k.mu.Unlock()
	base := filepath.Join(k.opts.Dir, fmt.Sprintf("%04d", n))
	env := "MAIL FROM:<" + from + ">\n"
	for _, r := range to {
		env += "RCPT TO:<" + r + ">\n"
	}
	if err := os.WriteFile(base+".env", []byte(env), 0o644); err != nil {
		return err
	}
	return os.WriteFile(base+".eml", msg, 0o644)
}

type session struct {
	sink *Sink
	from string
	to   []string
	data *Script // the first after-DATA script among the recipients
}

func (s *session) Reset()        { s.from, s.to, s.data = "", nil, nil }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.Reset()
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	sc := ScriptFor(to)
	switch sc.Stage {
	case StageRcpt:
		return sc.err(to)
	case StageHang:
		select {
		case <-time.After(s.sink.opts.Hang):
		case <-s.sink.done:
		}
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "Timeout, closing connection"}
	case StageData:
		if s.data == nil {
			s.data = &sc
		}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	msg, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.data != nil {
		return s.data.err("")
	}
	return s.sink.store(s.from, s.to, msg)
}
