package milter

import (
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"runtime/debug"
	"strings"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/sirupsen/logrus"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/dsn"
)

// maxLoggedRecipients bounds the recipients listed in one log line.
const maxLoggedRecipients = 20

// Errors that make a message continue unchanged; logged at warn level.
var (
	ErrTimeout = errors.New("milter: annotation timed out")
	ErrPanic   = errors.New("milter: panic while handling a message")
)

// logAction is the action written to the log for each message.
type logAction string

// Actions written to the log.
const (
	actAccept      logAction = "accept"                 // passed on unchanged, body never buffered
	actStripped    logAction = "stripped"               // forged X-Bounce-* fields deleted, nothing added
	actUnchanged   logAction = "unchanged"              // read, but nothing to add
	actAnnotated   logAction = "annotated"              // headers added, body replaced
	actHeadersOnly logAction = "annotated-headers-only" // headers added, body left alone
	actFailOpen    logAction = "fail-open"              // something went wrong: unchanged
)

// session is the go-milter backend for one message. go-milter makes a new
// one for each connection and after every final reply; Abort resets it.
type session struct {
	srv       *Server
	conn      *trackedConn // holds the MaxSessions slot while the body is read
	qid       string       // macro i
	from      string       // envelope sender, "" for MAIL FROM:<>
	rcpts     []string
	nrcpt     int
	pick      pickReason // why this message is a bounce candidate; "" when it is not
	hdrs      []field    // every field received, in order
	forged    int        // X-Bounce-* fields among hdrs: deleted at end of message
	noBody    string     // why the body is not read (only forged fields to delete); "" when it is
	noBodyLvl logrus.Level
	head      []byte      // the header as annotate reads it: CRLF lines
	chunks    [][]byte    // the body's first spillAt bytes as go-milter handed them over, not copied
	spill     *spill      // the rest of a large body, copied outside the heap; nil when none
	size      int64       // bytes buffered in head and chunks
	truncated bool        // more than MaxBody bytes: headers only
	cause     Cause       // why the message is not annotated; "" while it may be
	report    *dsn.Report // what annotate read, for the recipient metrics
	raw       []byte      // the joined message; reused after the message (recycle) unless an annotation that timed out still reads it
	logged    bool        // the message's line is written (and counted)
}

func newSession(s *Server, c *trackedConn) *session { return &session{srv: s, conn: c} }

// reset starts a new message on the same connection.
func (s *session) reset() {
	s.conn.release()
	s.spill.free()
	*s = session{srv: s.srv, conn: s.conn}
}

// remember keeps the queue id from the macros sent with the current event.
func (s *session) remember(m *gomilter.Modifier) {
	if m == nil {
		return
	}
	if v := m.Macros["i"]; v != "" {
		s.qid = v
	}
}

// guard turns a panic in a callback into "accept unchanged".
func (s *session) guard(stage string, resp *gomilter.Response, err *error) {
	if v := recover(); v != nil {
		s.srv.met.errorAt(stage)
		s.cause = CauseError
		s.logMessage(logrus.WarnLevel, "-", fmt.Sprintf("%v in %s: %v", ErrPanic, stage, v), actFailOpen,
			"stack", string(debug.Stack()))
		*resp, *err = gomilter.RespAccept, nil
	}
}

func (s *session) Connect(host string, family string, port uint16, addr net.IP, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	return gomilter.RespContinue, nil
}

func (s *session) Helo(name string, m *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (s *session) MailFrom(from string, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard("mail", &resp, &err)
	s.reset()
	s.remember(m)
	s.from = from
	if from == "" {
		s.pick = pickNullSender
	}
	return gomilter.RespContinue, nil
}

func (s *session) RcptTo(rcpt string, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard("rcpt", &resp, &err)
	s.remember(m)
	s.nrcpt++
	if len(s.rcpts) < maxLoggedRecipients {
		s.rcpts = append(s.rcpts, rcpt)
	}
	return gomilter.RespContinue, nil
}

func (s *session) Header(name, value string, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard("header", &resp, &err)
	s.hdrs = append(s.hdrs, field{name: name})
	if isBounceField(name) {
		s.forged++
	}
	if s.pick == "" {
		s.pick = pickHeader(name, value)
	}
	value = crlf(value)
	n := int64(len(name) + len(": ") + len(value) + len("\r\n"))
	if s.truncated || s.size+n > s.srv.cfg.MaxBody {
		s.truncated = true
		return gomilter.RespContinue, nil
	}
	s.head = append(append(append(append(s.head, name...), ": "...), value...), "\r\n"...)
	s.size += n
	return gomilter.RespContinue, nil
}

// Headers decides at end of header whether the body is needed. A bounce
// candidate's is (to annotate it). Any other message is accepted here,
// unbuffered, unless it carries X-Bounce-* fields: those can only be
// deleted at end of message, so it continues, and its body is skipped.
func (s *session) Headers(h textproto.MIMEHeader, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard("eoh", &resp, &err)
	s.remember(m)
	switch {
	case s.pick == "":
		s.skipBody(logrus.InfoLevel, CauseNotBounce, "not a bounce")
	case !s.conn.acquire():
		s.srv.met.limitHit("max_sessions")
		s.skipBody(logrus.WarnLevel, CauseMaxSessions, fmt.Sprintf("%d other messages being read (max-sessions): not annotated", s.srv.cfg.MaxSessions))
	default:
		return gomilter.RespContinue, nil
	}
	if s.forged == 0 {
		s.logMessage(s.noBodyLvl, "-", s.noBody, actAccept)
		return gomilter.RespAccept, nil
	}
	return gomilter.RespContinue, nil
}

// skipBody notes that the body will not be read, and why, and drops the
// header kept for annotate.
func (s *session) skipBody(level logrus.Level, cause Cause, why string) {
	s.noBody, s.noBodyLvl, s.cause = why, level, cause
	s.head = nil
}

func (s *session) BodyChunk(chunk []byte, m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard("body", &resp, &err)
	if s.noBody != "" {
		// QUIRK: go-milter v0.5.0 speaks protocol version 2, which has no
		// SMFIR_SKIP: the MTA sends the whole body, and we drop it.
		return gomilter.RespContinue, nil
	}
	room := s.srv.cfg.MaxBody - s.size
	if room < int64(len(chunk)) {
		s.truncated = true
		chunk = chunk[:max(room, 0)]
	}
	if len(chunk) > 0 {
		s.keep(chunk)
		s.size += int64(len(chunk))
	}
	return gomilter.RespContinue, nil
}

// keep holds a body chunk until end of message: the first spillAt bytes
// on the heap, as they are, the rest copied into a spill (see spillAt).
//
// QUIRK: go-milter v0.5.0 reads every packet into a slice of its own
// (readPacket) and never reuses it, so a chunk can be kept as it is.
func (s *session) keep(chunk []byte) {
	if s.spill == nil && s.size+int64(len(chunk)) > spillAt {
		s.spill = newSpill(int(s.srv.cfg.MaxBody - s.size))
	}
	if s.spill == nil {
		s.chunks = append(s.chunks, chunk)
		return
	}
	if !s.spill.write(chunk) {
		// Cannot happen: the spill has the room left under MaxBody, and
		// BodyChunk cuts chunks to it. Were it to, the message is cut.
		s.truncated = true
	}
}

func (s *session) Body(m *gomilter.Modifier) (resp gomilter.Response, err error) {
	defer s.guard("eom", &resp, &err)
	defer s.conn.release() // before the reply goes out
	s.remember(m)
	if s.noBody != "" {
		return s.finish(m, s.noBodyLvl, "-", s.noBody, actAccept)
	}
	start := time.Now()
	defer func() { s.srv.met.observe(time.Since(start)) }()
	defer s.recycle()
	res, err := s.annotate()
	if err != nil {
		s.cause = s.failCause(err)
		return s.finish(m, logrus.WarnLevel, "-", err.Error(), actFailOpen)
	}
	s.report = res.Report
	status, reason := describe(res.Report)
	level := logrus.InfoLevel
	if !res.Changed {
		s.cause = CauseNotBounce
	}
	if s.truncated {
		// A limit was hit: say so at warn level, whatever the outcome.
		level, reason = logrus.WarnLevel, fmt.Sprintf("%s; message larger than max-body %d bytes: headers only", reason, s.srv.cfg.MaxBody)
	}
	if !res.Changed {
		return s.finish(m, level, status, reason, actUnchanged)
	}
	headersOnly := s.srv.cfg.HeadersOnly || s.truncated
	edits := planEdits(res, s.hdrs, headersOnly)
	if err := s.send(m, edits); err != nil {
		// The connection to the MTA is broken: it applies its default action.
		s.srv.met.errorAt("reply")
		s.cause = CauseError
		s.logMessage(logrus.WarnLevel, status, err.Error(), actFailOpen)
		return nil, err
	}
	act := actAnnotated
	if headersOnly {
		act = actHeadersOnly
	}
	s.logMessage(level, status, reason, act, "edits", summary(edits))
	return gomilter.RespAccept, nil
}

// finish ends a message that gets no annotation: it deletes the forged
// X-Bounce-* fields, if any, and writes the log line.
func (s *session) finish(m modifier, level logrus.Level, status, reason string, act logAction) (gomilter.Response, error) {
	edits := deleteEdits(s.hdrs, nil)
	if len(edits) == 0 {
		s.logMessage(level, status, reason, act)
		return gomilter.RespAccept, nil
	}
	if err := s.send(m, edits); err != nil {
		// The connection to the MTA is broken: it applies its default action.
		s.srv.met.errorAt("reply")
		s.cause = CauseError
		s.logMessage(logrus.WarnLevel, status, err.Error(), actFailOpen)
		return nil, err
	}
	if act == actAccept || act == actUnchanged {
		act = actStripped
	}
	s.logMessage(level, status, reason, act, "edits", summary(edits))
	return gomilter.RespAccept, nil
}

// send sends edits to the MTA: encoded into one batch written on the
// connection (see batch), or through m when the session has none (tests).
func (s *session) send(m modifier, edits []edit) error {
	if s.conn == nil {
		return applyEdits(m, edits)
	}
	b := newBatch(s.conn, edits)
	defer b.release()
	if err := applyEdits(b, edits); err != nil {
		return err
	}
	if err := b.Flush(); err != nil {
		return fmt.Errorf("milter: sending %d requests: %w", len(edits), err)
	}
	return nil
}

func (s *session) Abort(m *gomilter.Modifier) (err error) {
	defer func() {
		if v := recover(); v != nil {
			s.logger().WithField("panic", fmt.Sprint(v)).Warn("panic recovered in abort")
			err = nil
		}
	}()
	s.reset()
	return nil
}

// annotate runs annotate.Annotate on the buffered message, bounded by
// Config.Timeout and shielded from panics. It first waits for a turn
// (Config.MaxAnnotating), within the same timeout, and only then joins the
// message into the one piece annotate reads. Go cannot stop a goroutine:
// a timed-out annotation finishes in the background, still holding its
// turn, bounded by annotate's own limits (dsn.Limits), and its result is
// dropped.
func (s *session) annotate() (*annotate.Result, error) {
	timer := time.NewTimer(s.srv.cfg.Timeout)
	defer timer.Stop()
	select {
	case s.srv.turns <- struct{}{}:
	case <-timer.C:
		return nil, fmt.Errorf("%w after %s (waiting for one of %d annotations under way)", ErrTimeout, s.srv.cfg.Timeout, s.srv.cfg.MaxAnnotating)
	}
	raw := s.message()
	s.raw = raw
	opts := annotate.Options{
		Lang:        s.srv.cfg.Lang,
		Catalog:     s.srv.cat.Load(),
		HeadersOnly: s.srv.cfg.HeadersOnly || s.truncated,
	}
	type outcome struct {
		res *annotate.Result
		err error
	}
	ch := make(chan outcome, 1)
	go func() {
		defer func() { <-s.srv.turns }()
		defer func() {
			if v := recover(); v != nil {
				ch <- outcome{err: fmt.Errorf("%w: annotate: %v", ErrPanic, v)}
			}
		}()
		res, err := s.srv.cfg.Annotate(raw, opts)
		if err == nil && res == nil {
			err = errors.New("milter: annotate returned no result")
		}
		ch <- outcome{res, err}
	}()
	select {
	case o := <-ch:
		if o.err != nil {
			return nil, fmt.Errorf("annotate: %w", o.err)
		}
		return o.res, nil
	case <-timer.C:
		s.raw = nil // still read by the annotation: not reused
		return nil, fmt.Errorf("%w after %s", ErrTimeout, s.srv.cfg.Timeout)
	}
}

// recycle gives the joined message back for reuse (putBuffer), once the
// reply is sent and the report counted: nothing reads it any more. (Of
// annotate's Result the milter reads the Report, the fields and Body,
// which are strings and a new buffer; Output, which is raw itself when
// nothing changed, is not read.)
func (s *session) recycle() {
	putBuffer(s.raw)
	s.raw, s.report = nil, nil
}

// message joins the buffered header and body into the one copy of the
// message that annotate reads (a reused buffer for most bounces, see
// getBuffer), and lets go of the pieces, so that a session holds its
// message once (twice only while joining it).
func (s *session) message() []byte {
	n := len(s.head) + len("\r\n") + s.spill.len()
	for _, c := range s.chunks {
		n += len(c)
	}
	raw := append(append(getBuffer(n), s.head...), "\r\n"...)
	for _, c := range s.chunks {
		raw = append(raw, c...)
	}
	if s.spill != nil {
		raw = append(raw, s.spill.bytes()...)
		s.spill.free()
		s.spill = nil
	}
	s.head, s.chunks = nil, nil
	return raw
}

// failCause is the cause of an annotation that failed with err.
func (s *session) failCause(err error) Cause {
	switch {
	case errors.Is(err, ErrTimeout):
		s.srv.met.limitHit("timeout")
		return CauseTimeout
	case errors.Is(err, dsn.ErrLimit) && !errors.Is(err, ErrPanic):
		s.srv.met.limitHit("parse_limit")
		if s.truncated {
			return CauseMaxBody
		}
		return CauseParseLimit
	}
	s.srv.met.errorAt("annotate")
	if s.truncated {
		return CauseMaxBody
	}
	return CauseError
}

// describe gives the status and reason of the recipient the headers
// describe: the first failed one, else the first delayed one.
func describe(r *dsn.Report) (status, reason string) {
	if r == nil {
		return "-", "no report"
	}
	var pick *dsn.Recipient
	for _, want := range []dsn.Action{dsn.ActionFailed, dsn.ActionDelayed} {
		for i := range r.Recipients {
			if r.Recipients[i].Action == want && pick == nil {
				pick = &r.Recipients[i]
			}
		}
	}
	if pick == nil {
		return "-", "kind " + string(r.Kind)
	}
	status, reason = pick.Status, pick.Reason
	if status == "" {
		status = "-"
	}
	if reason == "" {
		reason = "kind " + string(r.Kind)
	}
	return status, reason
}

func (s *session) logger() *logrus.Entry {
	return s.srv.log.WithField("queue_id", orDash(s.qid))
}

// logMessage writes the one line each message gets, and counts the
// message in the metrics. extra holds more key, value pairs. The fields
// are the same in every line, and in the text and JSON formats alike.
func (s *session) logMessage(level logrus.Level, status, reason string, action logAction, extra ...string) {
	cause := s.cause
	annotated := action == actAnnotated || action == actHeadersOnly
	// Over max-body counts only for a message read for annotation: an
	// ordinary message with a huge header is just not a bounce.
	overBody := s.truncated && s.pick != "" && s.noBody == ""
	if annotated {
		cause = ""
	} else if cause == "" || (overBody && cause == CauseNotBounce) {
		cause = CauseError
		if overBody {
			cause = CauseMaxBody
		}
	}
	if !s.logged {
		s.logged = true
		if overBody {
			s.srv.met.limitHit("max_body")
		}
		stripped := s.forged > 0 && (action == actStripped || annotated)
		s.srv.met.message(action, cause, stripped, s.report)
	}
	if !s.srv.log.IsLevelEnabled(level) {
		return // the line's fields are not even built
	}
	rcpts := strings.Join(s.rcpts, ",")
	if s.nrcpt > len(s.rcpts) {
		rcpts += fmt.Sprintf(",(+%d more)", s.nrcpt-len(s.rcpts))
	}
	f := logrus.Fields{
		"sender":     "<" + s.from + ">",
		"recipients": orDash(rcpts),
		"picked":     orDash(string(s.pick)),
		"status":     status,
		"reason":     reason,
		"action":     string(action),
		"cause":      orDash(string(cause)),
	}
	for i := 0; i+1 < len(extra); i += 2 {
		f[extra[i]] = extra[i+1]
	}
	s.logger().WithFields(f).Log(level, "message "+string(action))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// crlf gives a header value as it stood in the message: MTAs send folded
// values with LF (or CRLF) before the continuation white space.
func crlf(v string) string {
	if !strings.Contains(v, "\n") {
		return v
	}
	v = strings.ReplaceAll(v, "\r\n", "\n")
	return strings.ReplaceAll(v, "\n", "\r\n")
}
