package milter

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/sirupsen/logrus"
	logtest "github.com/sirupsen/logrus/hooks/test"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/dsn"
)

// fakeAnnotate records its calls and answers with res, err, a panic or a delay.
type fakeAnnotate struct {
	res   *annotate.Result
	err   error
	panic bool
	delay time.Duration
	calls atomic.Int32
	raw   []byte
	opts  annotate.Options
}

func (f *fakeAnnotate) annotate(raw []byte, opts annotate.Options) (*annotate.Result, error) {
	f.calls.Add(1)
	f.raw, f.opts = append([]byte{}, raw...), opts
	if f.panic {
		panic("boom")
	}
	time.Sleep(f.delay)
	return f.res, f.err
}

// testServer runs a Server on loopback and returns its address and log hook.
func testServer(t testing.TB, cfg Config) (string, *Server, *logtest.Hook) {
	t.Helper()
	logger, hook := logtest.NewNullLogger()
	logger.SetLevel(logrus.DebugLevel)
	cfg.Logger = logger
	srv := New(cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String(), srv, hook
}

// mtaActions are what an MTA like Postfix offers; go-milter's client only
// agrees to the protocol version 2 the server speaks when it offers no more.
const mtaActions = gomilter.OptAddHeader | gomilter.OptChangeBody | gomilter.OptAddRcpt |
	gomilter.OptRemoveRcpt | gomilter.OptChangeHeader | gomilter.OptQuarantine

func dial(t testing.TB, addr string) *gomilter.ClientSession {
	t.Helper()
	c := gomilter.NewClientWithOptions("tcp", addr, gomilter.ClientOptions{
		ActionMask: mtaActions, ProtocolMask: 0x7f,
		ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second,
	})
	s, err := c.Session()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// transcript is what the MTA saw for one message.
type transcript struct {
	eoh  gomilter.ActionCode // reply to end-of-header
	end  gomilter.ActionCode // final reply, when the body was sent
	mods []gomilter.ModifyAction
}

// sendMessage plays one message through s like an MTA: envelope, header
// fields one by one, end-of-header, body chunks, end-of-body.
func sendMessage(t testing.TB, s *gomilter.ClientSession, from string, raw string) transcript {
	t.Helper()
	tr := startMessage(t, s, from, raw)
	if tr.eoh != gomilter.ActContinue {
		return tr
	}
	return finishMessage(t, s, raw, tr)
}

// startMessage plays a message up to its end of header.
func startMessage(t testing.TB, s *gomilter.ClientSession, from string, raw string) transcript {
	t.Helper()
	if err := s.Macros(gomilter.CodeMail, "i", "4F2A1C0D3E"); err != nil {
		t.Fatal(err)
	}
	mustContinue(t)(s.Mail(from, nil))
	mustContinue(t)(s.Rcpt("alice@example.org", nil))
	hdr, _, _ := strings.Cut(raw, "\r\n\r\n")
	for _, f := range splitFields(hdr) {
		name, value, _ := strings.Cut(f, ":")
		mustContinue(t)(s.HeaderField(name, strings.TrimLeft(value, " \t")))
	}
	act, err := s.HeaderEnd()
	if err != nil {
		t.Fatal(err)
	}
	return transcript{eoh: act.Code}
}

// finishMessage sends the body of a message started with startMessage.
func finishMessage(t testing.TB, s *gomilter.ClientSession, raw string, tr transcript) transcript {
	t.Helper()
	_, body, _ := strings.Cut(raw, "\r\n\r\n")
	mods, act, err := s.BodyReadFrom(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	tr.end, tr.mods = act.Code, mods
	return tr
}

// mustContinue returns a check that an event got the reply "continue".
func mustContinue(t testing.TB) func(*gomilter.Action, error) {
	return func(act *gomilter.Action, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if act.Code != gomilter.ActContinue {
			t.Fatalf("reply %c before end-of-header, want continue", act.Code)
		}
	}
}

// splitFields splits a CRLF header block into fields, folds kept (as LF,
// the way Postfix sends them).
func splitFields(hdr string) []string {
	var out []string
	for _, line := range strings.Split(hdr, "\r\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(out) > 0 {
			out[len(out)-1] += "\n" + line
			continue
		}
		out = append(out, line)
	}
	return out
}

const bounceMsg = "From: MAILER-DAEMON@mx.example.org (Mail Delivery System)\r\n" +
	"X-Bounce-Reason: forged\r\n" +
	"Subject: Undelivered Mail Returned to Sender\r\n" +
	"To: alice@example.org\r\n" +
	"X-Bounce-reason: forged again\r\n" +
	"Content-Type: text/plain;\r\n charset=us-ascii\r\n" +
	"\r\n" +
	"I'm sorry to have to inform you that your message could not\r\n" +
	"be delivered to one or more recipients.\r\n"

// cleanBounceMsg is bounceMsg without X-Bounce-* fields: with none to
// delete, it can be accepted at end of header when it is not annotated.
var cleanBounceMsg = strings.NewReplacer("X-Bounce-Reason: forged\r\n", "", "X-Bounce-reason: forged again\r\n", "").Replace(bounceMsg)

const ordinaryMsg = "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: lunch\r\n\r\nNoon?\r\n"

func annotatedResult(body string) *annotate.Result {
	return &annotate.Result{
		Changed:       true,
		Report:        &dsn.Report{Kind: dsn.KindFailure, Recipients: []dsn.Recipient{{Recipient: "x@example.com", Action: dsn.ActionFailed, Status: "5.1.1", Reason: "userunknown"}}},
		RemoveHeaders: []string{"X-Bounce-Reason"},
		AddHeaders: []annotate.Field{
			{Name: "X-Bounce-Reason", Value: "userunknown"},
			{Name: "X-Bounce-Status", Value: "5.1.1 (550)"},
			{Name: "X-Bounce-Explanation", Value: "The address does not exist:\r\n ask the recipient for a new one."},
		},
		SetHeaders: []annotate.Field{{Name: "Content-Type", Value: "text/plain; charset=utf-8"}},
		Body:       []byte(body),
	}
}

func TestOrdinaryMailAcceptedAtEndOfHeader(t *testing.T) {
	fa := &fakeAnnotate{}
	addr, _, hook := testServer(t, Config{Annotate: fa.annotate})
	tr := sendMessage(t, dial(t, addr), "bob@example.org", ordinaryMsg)
	if tr.eoh != gomilter.ActAccept {
		t.Fatalf("end-of-header reply %c, want accept (a)", tr.eoh)
	}
	if n := fa.calls.Load(); n != 0 {
		t.Errorf("annotate called %d times for ordinary mail", n)
	}
	e := hook.LastEntry()
	if e == nil || e.Data["action"] != string(actAccept) || e.Data["queue_id"] != "4F2A1C0D3E" || e.Data["sender"] != "<bob@example.org>" {
		t.Errorf("log line %v, want action accept with queue id and sender", e)
	}
}

func TestBounceCandidates(t *testing.T) {
	tests := []struct {
		name, from, msg string
		why             pickReason
	}{
		{"null sender", "", ordinaryMsg, pickNullSender},
		{"report type", "bob@example.org", "Content-Type: multipart/report; report-type=delivery-status;\r\n boundary=x\r\n\r\nbody\r\n", pickReportType},
		{"mailer-daemon", "bob@example.org", "From: MAILER-DAEMON <MAILER-DAEMON@example.org>\r\n\r\nbody\r\n", pickDaemonFrom},
		{"postmaster", "bob@example.org", "From: postmaster@example.org\r\n\r\nbody\r\n", pickDaemonFrom},
		{"subject", "bob@example.org", "Subject: =?UTF-8?Q?Undeliverable:_hello?=\r\n\r\nbody\r\n", pickBounceTitle},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fa := &fakeAnnotate{res: &annotate.Result{Report: &dsn.Report{Kind: dsn.KindNone}}}
			addr, _, hook := testServer(t, Config{Annotate: fa.annotate})
			tr := sendMessage(t, dial(t, addr), tc.from, tc.msg)
			if tr.eoh != gomilter.ActContinue || tr.end != gomilter.ActAccept || len(tr.mods) != 0 {
				t.Fatalf("got %+v, want the body read, accept and no change", tr)
			}
			if e := hook.LastEntry(); e == nil || e.Data["picked"] != string(tc.why) || e.Data["action"] != string(actUnchanged) {
				t.Errorf("log %v, want picked %q action %q", e, tc.why, actUnchanged)
			}
		})
	}
}

func TestBounceAnnotated(t *testing.T) {
	body := "Annotation block\r\n\r\nI'm sorry to have to inform you\r\n"
	fa := &fakeAnnotate{res: annotatedResult(body)}
	addr, _, hook := testServer(t, Config{Annotate: fa.annotate, Lang: "zh-CN"})
	tr := sendMessage(t, dial(t, addr), "", bounceMsg)
	if tr.end != gomilter.ActAccept {
		t.Fatalf("final reply %c, want accept", tr.end)
	}
	// The milter rebuilds the message from the events it was sent.
	if string(fa.raw) != bounceMsg {
		t.Errorf("annotate got\n%q\nwant\n%q", fa.raw, bounceMsg)
	}
	if fa.opts.Lang != "zh-CN" || fa.opts.HeadersOnly || fa.opts.Catalog == nil {
		t.Errorf("annotate options %+v", fa.opts)
	}
	want := []gomilter.ModifyAction{
		{Code: gomilter.ActChangeHeader, HeaderIndex: 2, HeaderName: "X-Bounce-Reason"},
		{Code: gomilter.ActChangeHeader, HeaderIndex: 1, HeaderName: "X-Bounce-Reason"},
		{Code: gomilter.ActChangeHeader, HeaderIndex: 1, HeaderName: "Content-Type", HeaderValue: "text/plain; charset=utf-8"},
		{Code: gomilter.ActInsertHeader, HeaderIndex: 0, HeaderName: "X-Bounce-Explanation", HeaderValue: "The address does not exist:\n ask the recipient for a new one."},
		{Code: gomilter.ActInsertHeader, HeaderIndex: 0, HeaderName: "X-Bounce-Status", HeaderValue: "5.1.1 (550)"},
		{Code: gomilter.ActInsertHeader, HeaderIndex: 0, HeaderName: "X-Bounce-Reason", HeaderValue: "userunknown"},
		{Code: gomilter.ActReplBody, Body: []byte(strings.ReplaceAll(body, "\r\n", "\n"))},
	}
	if !equalMods(tr.mods, want) {
		t.Errorf("modifications\n%+v\nwant\n%+v", tr.mods, want)
	}
	e := hook.LastEntry()
	if e == nil || e.Data["action"] != string(actAnnotated) || e.Data["status"] != "5.1.1" || e.Data["reason"] != "userunknown" ||
		e.Data["recipients"] != "alice@example.org" || e.Data["sender"] != "<>" {
		t.Errorf("log line %v", e)
	}
}

func equalMods(got, want []gomilter.ModifyAction) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Code != w.Code || g.HeaderIndex != w.HeaderIndex || g.HeaderName != w.HeaderName ||
			g.HeaderValue != w.HeaderValue || !bytes.Equal(g.Body, w.Body) {
			return false
		}
	}
	return true
}

func TestLargeBodyReplacedInConsecutiveChunks(t *testing.T) {
	var body strings.Builder
	for body.Len() < 300<<10 {
		body.WriteString("a line of the annotated body, long enough to need several chunks\r\n")
	}
	fa := &fakeAnnotate{res: annotatedResult(body.String())}
	addr, _, _ := testServer(t, Config{Annotate: fa.annotate})
	tr := sendMessage(t, dial(t, addr), "", bounceMsg)
	var got []byte
	chunks, seenBody := 0, false
	for _, m := range tr.mods {
		if m.Code == gomilter.ActReplBody {
			seenBody = true
			chunks++
			got = append(got, m.Body...)
			if len(m.Body) > gomilter.MaxBodyChunk {
				t.Errorf("chunk of %d bytes, more than %d", len(m.Body), gomilter.MaxBodyChunk)
			}
		} else if seenBody {
			t.Fatalf("%c request after a body chunk: Postfix refuses that", m.Code)
		}
	}
	if chunks < 2 || string(got) != strings.ReplaceAll(body.String(), "\r\n", "\n") {
		t.Errorf("%d chunks, %d bytes; want the whole body in several chunks", chunks, len(got))
	}
}

func TestHeadersOnly(t *testing.T) {
	fa := &fakeAnnotate{res: annotatedResult("new body\r\n")}
	addr, _, hook := testServer(t, Config{Annotate: fa.annotate, HeadersOnly: true})
	tr := sendMessage(t, dial(t, addr), "", bounceMsg)
	if !fa.opts.HeadersOnly {
		t.Error("annotate not told HeadersOnly")
	}
	for _, m := range tr.mods {
		if m.Code == gomilter.ActReplBody {
			t.Fatal("body replaced in --headers-only mode")
		}
	}
	if len(tr.mods) != 6 {
		t.Errorf("%d modifications, want 6 header changes", len(tr.mods))
	}
	if e := hook.LastEntry(); e == nil || e.Data["action"] != string(actHeadersOnly) {
		t.Errorf("log %v, want action %s", e, actHeadersOnly)
	}
}

func TestMaxBodyGivesHeadersOnly(t *testing.T) {
	fa := &fakeAnnotate{res: annotatedResult("new body\r\n")}
	addr, _, hook := testServer(t, Config{Annotate: fa.annotate, MaxBody: 400})
	tr := sendMessage(t, dial(t, addr), "", bounceMsg+strings.Repeat("more text of the bounce\r\n", 100))
	if !fa.opts.HeadersOnly {
		t.Error("annotate not told HeadersOnly for an oversized message")
	}
	if len(fa.raw) != 400+2 || !bytes.HasPrefix(fa.raw, []byte(bounceMsg)) {
		t.Errorf("annotate got %d bytes; want the first 400 of the message (and the blank line)", len(fa.raw))
	}
	for _, m := range tr.mods {
		if m.Code == gomilter.ActReplBody {
			t.Fatal("body replaced although the message is over max-body")
		}
	}
	if e := hook.LastEntry(); e == nil || e.Level != logrus.WarnLevel || !strings.Contains(e.Data["reason"].(string), "max-body") {
		t.Errorf("log %v, want a warning naming max-body", e)
	}
}

func TestFailOpen(t *testing.T) {
	tests := []struct {
		name  string
		fa    *fakeAnnotate
		cause error
	}{
		{"error", &fakeAnnotate{err: dsn.ErrLimit}, dsn.ErrLimit},
		{"panic", &fakeAnnotate{panic: true}, ErrPanic},
		{"timeout", &fakeAnnotate{res: annotatedResult("x"), delay: 2 * time.Second}, ErrTimeout},
		{"no result", &fakeAnnotate{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr, _, hook := testServer(t, Config{Annotate: tc.fa.annotate, Timeout: 100 * time.Millisecond})
			tr := sendMessage(t, dial(t, addr), "", cleanBounceMsg)
			if tr.end != gomilter.ActAccept || len(tr.mods) != 0 {
				t.Fatalf("got %+v, want accept without changes", tr)
			}
			e := hook.LastEntry()
			if e == nil || e.Level != logrus.WarnLevel || e.Data["action"] != string(actFailOpen) {
				t.Fatalf("log %v, want a fail-open warning", e)
			}
			if tc.cause != nil && !strings.Contains(e.Data["reason"].(string), tc.cause.Error()) {
				t.Errorf("reason %q does not name %v", e.Data["reason"], tc.cause)
			}
		})
	}
}

// Past max-sessions, only the messages over the limit pass unannotated:
// the ones holding a slot are still annotated, and a slot is given back
// at the end of a message, on abort and when a connection breaks.
func TestMaxSessions(t *testing.T) {
	fa := &fakeAnnotate{res: annotatedResult("x\r\n")}
	addr, srv, hook := testServer(t, Config{Annotate: fa.annotate, MaxSessions: 2})
	first, second, third := dial(t, addr), dial(t, addr), dial(t, addr)
	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"two bounces take the two slots", func(t *testing.T) {
			for _, s := range []*gomilter.ClientSession{first, second} {
				if tr := startMessage(t, s, "", cleanBounceMsg); tr.eoh != gomilter.ActContinue {
					t.Fatalf("end-of-header reply %c, want continue", tr.eoh)
				}
			}
			if n := srv.Buffering(); n != 2 {
				t.Fatalf("%d slots taken, want 2", n)
			}
		}},
		{"the third passes unannotated at end of header", func(t *testing.T) {
			if tr := sendMessage(t, third, "", cleanBounceMsg); tr.eoh != gomilter.ActAccept {
				t.Fatalf("end-of-header reply %c, want accept", tr.eoh)
			}
			if e := hook.LastEntry(); e == nil || e.Level != logrus.WarnLevel || !strings.Contains(e.Data["reason"].(string), "max-sessions") {
				t.Errorf("log %v, want a max-sessions warning", e)
			}
		}},
		{"over the limit, forged fields are still deleted", func(t *testing.T) {
			tr := sendMessage(t, third, "", bounceMsg)
			want := []gomilter.ModifyAction{
				{Code: gomilter.ActChangeHeader, HeaderIndex: 2, HeaderName: "X-Bounce-Reason"},
				{Code: gomilter.ActChangeHeader, HeaderIndex: 1, HeaderName: "X-Bounce-Reason"},
			}
			if tr.eoh != gomilter.ActContinue || !equalMods(tr.mods, want) {
				t.Fatalf("got %+v, want the forged fields deleted and nothing else", tr)
			}
		}},
		{"the first two are annotated", func(t *testing.T) {
			for _, s := range []*gomilter.ClientSession{first, second} {
				if tr := finishMessage(t, s, cleanBounceMsg, transcript{}); !hasBody(tr.mods) {
					t.Errorf("got %+v, want the body replaced", tr)
				}
			}
			if n := fa.calls.Load(); n != 2 {
				t.Errorf("%d annotate calls, want 2", n)
			}
			if n := srv.Buffering(); n != 0 {
				t.Errorf("%d slots still taken after the messages ended", n)
			}
		}},
		{"a freed slot serves the next bounce", func(t *testing.T) {
			if tr := sendMessage(t, third, "", cleanBounceMsg); !hasBody(tr.mods) {
				t.Errorf("got %+v, want annotated", tr)
			}
		}},
		{"abort gives the slot back", func(t *testing.T) {
			startMessage(t, first, "", cleanBounceMsg)
			if err := first.Abort(); err != nil {
				t.Fatal(err)
			}
			// Abort has no reply; the reply to the next command comes after
			// it was handled. A header field outside a message frees nothing.
			mustContinue(t)(first.HeaderField("X-Sync", "1"))
			if n := srv.Buffering(); n != 0 {
				t.Errorf("%d slots taken after abort, want 0", n)
			}
		}},
		{"a broken connection gives the slot back", func(t *testing.T) {
			startMessage(t, third, "", cleanBounceMsg)
			broken := rawBounceToEOH(t, addr)
			if n := srv.Buffering(); n != 2 {
				t.Fatalf("%d slots taken, want 2", n)
			}
			broken.Close() // no abort, no quit: the MTA went away
			waitFor(t, func() bool { return srv.Buffering() == 1 })
			fourth := dial(t, addr)
			if tr := sendMessage(t, fourth, "", cleanBounceMsg); !hasBody(tr.mods) {
				t.Errorf("got %+v, want annotated in the slot the broken connection held", tr)
			}
		}},
	}
	for _, st := range steps {
		if !t.Run(st.name, st.run) {
			return
		}
	}
}

// rawBounceToEOH speaks the milter protocol by hand, so that the
// connection can end without the abort go-milter's client sends on Close:
// negotiation, MAIL FROM:<>, a From field and end of header.
func rawBounceToEOH(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second)) // a hang fails the test instead of blocking it
	packets := []struct {
		code byte
		data string
	}{
		{'O', "\x00\x00\x00\x02" + "\x00\x00\x00\x3f" + "\x00\x00\x00\x7f"},
		{'M', "<>\x00"},
		{'L', "From\x00MAILER-DAEMON@example.org\x00"},
		{'N', ""},
	}
	for _, p := range packets {
		msg := binary.BigEndian.AppendUint32(nil, uint32(len(p.data)+1))
		msg = append(append(msg, p.code), p.data...)
		if _, err := c.Write(msg); err != nil {
			t.Fatal(err)
		}
		var n uint32
		if err := binary.Read(c, binary.BigEndian, &n); err != nil {
			t.Fatalf("reply to %c: %v", p.code, err)
		}
		reply := make([]byte, n)
		if _, err := io.ReadFull(c, reply); err != nil {
			t.Fatal(err)
		}
		if p.code != 'O' && reply[0] != byte(gomilter.ActContinue) {
			t.Fatalf("reply %c to %c, want continue", reply[0], p.code)
		}
	}
	return c
}

func hasBody(mods []gomilter.ModifyAction) bool {
	for _, m := range mods {
		if m.Code == gomilter.ActReplBody {
			return true
		}
	}
	return false
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not reached in 5 s")
}

func TestAbortResets(t *testing.T) {
	fa := &fakeAnnotate{res: annotatedResult("x\r\n")}
	addr, _, _ := testServer(t, Config{Annotate: fa.annotate})
	s := dial(t, addr)
	mustContinue(t)(s.Mail("", nil))
	mustContinue(t)(s.HeaderField("Subject", "Undeliverable: x"))
	if err := s.Abort(); err != nil {
		t.Fatal(err)
	}
	// The next message on the same connection starts clean: not a bounce.
	tr := sendMessage(t, s, "bob@example.org", ordinaryMsg)
	if tr.eoh != gomilter.ActAccept || fa.calls.Load() != 0 {
		t.Errorf("after abort: reply %c, %d annotate calls; want accept, none", tr.eoh, fa.calls.Load())
	}
	// And the one after that is handled from scratch as well.
	if tr := sendMessage(t, s, "", bounceMsg); tr.end != gomilter.ActAccept || len(tr.mods) == 0 {
		t.Errorf("third message: %+v, want annotated", tr)
	}
}

func TestShutdownWaitsForSessions(t *testing.T) {
	srv := New(Config{Logger: logrus.New()})
	srv.log.SetOutput(io.Discard)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	s := dial(t, ln.Addr().String())
	waitFor(t, func() bool { return srv.Sessions() == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("shutdown with a session open: %v, want deadline exceeded", err)
	}
	if err := <-done; err != nil {
		t.Errorf("serve after shutdown: %v", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting connections after shutdown")
	}
	s.Close()
	if err := srv.Shutdown(context.Background()); err != nil {
		t.Errorf("shutdown after the session ended: %v", err)
	}
}

// Over max-body, even a message annotate leaves alone is a warning.
func TestMaxBodyUnchangedWarns(t *testing.T) {
	fa := &fakeAnnotate{res: &annotate.Result{Report: &dsn.Report{Kind: dsn.KindNone}}}
	addr, _, hook := testServer(t, Config{Annotate: fa.annotate, MaxBody: 100})
	tr := sendMessage(t, dial(t, addr), "", cleanBounceMsg)
	if tr.end != gomilter.ActAccept || len(tr.mods) != 0 {
		t.Fatalf("got %+v, want accept without changes", tr)
	}
	e := hook.LastEntry()
	if e == nil || e.Level != logrus.WarnLevel || e.Data["action"] != string(actUnchanged) ||
		!strings.Contains(e.Data["reason"].(string), "max-body") {
		t.Errorf("log %v, want an unchanged warning naming max-body", e)
	}
}

// forgedMsg is ordinary mail carrying X-Bounce-* fields someone wrote to be
// trusted, in two spellings of one name.
const forgedMsg = "From: Bob <bob@example.org>\r\n" +
	"X-Bounce-Remedy: Call +1-555-0100\r\n" +
	"To: alice@example.org\r\n" +
	"x-bounce-remedy: Call +1-555-0100 now\r\n" +
	"X-Bounce-Reason: mailboxfull\r\n" +
	"Subject: lunch\r\n\r\nNoon?\r\n"

// Every incoming X-Bounce-* field is deleted, whatever the message; a
// message without one and not a bounce is still accepted at end of header.
func TestForgedBounceFields(t *testing.T) {
	delForged := []gomilter.ModifyAction{
		{Code: gomilter.ActChangeHeader, HeaderIndex: 2, HeaderName: "X-Bounce-Remedy"},
		{Code: gomilter.ActChangeHeader, HeaderIndex: 1, HeaderName: "X-Bounce-Remedy"},
		{Code: gomilter.ActChangeHeader, HeaderIndex: 1, HeaderName: "X-Bounce-Reason"},
	}
	forgedBounce := strings.Replace(bounceMsg, "To:", "X-Bounce-Remedy: Call +1-555-0100\r\nTo:", 1)
	tests := []struct {
		name     string
		from     string
		msg      string
		fa       *fakeAnnotate
		eoh      gomilter.ActionCode
		mods     []gomilter.ModifyAction
		annotate int32 // calls to annotate: 0 means the body was never read
		action   logAction
	}{
		{
			name: "ordinary mail with forged fields", from: "bob@example.org", msg: forgedMsg,
			fa: &fakeAnnotate{}, eoh: gomilter.ActContinue, mods: delForged, action: actStripped,
		},
		{
			name: "ordinary mail without", from: "bob@example.org", msg: ordinaryMsg,
			fa: &fakeAnnotate{}, eoh: gomilter.ActAccept, action: actAccept,
		},
		{
			name: "auto-reply left unchanged", from: "", msg: forgedMsg,
			fa:  &fakeAnnotate{res: &annotate.Result{Report: &dsn.Report{Kind: dsn.KindAutoReply}}},
			eoh: gomilter.ActContinue, mods: delForged, annotate: 1, action: actStripped,
		},
		{
			name: "annotate fails", from: "", msg: forgedMsg,
			fa:  &fakeAnnotate{err: dsn.ErrLimit},
			eoh: gomilter.ActContinue, mods: delForged, annotate: 1, action: actFailOpen,
		},
		{
			name: "bounce: old fields replaced", from: "", msg: forgedBounce,
			fa:  &fakeAnnotate{res: annotatedResult("Annotation block\r\n")},
			eoh: gomilter.ActContinue, annotate: 1, action: actAnnotated,
			mods: []gomilter.ModifyAction{
				{Code: gomilter.ActChangeHeader, HeaderIndex: 2, HeaderName: "X-Bounce-Reason"},
				{Code: gomilter.ActChangeHeader, HeaderIndex: 1, HeaderName: "X-Bounce-Reason"},
				{Code: gomilter.ActChangeHeader, HeaderIndex: 1, HeaderName: "X-Bounce-Remedy"},
				{Code: gomilter.ActChangeHeader, HeaderIndex: 1, HeaderName: "Content-Type", HeaderValue: "text/plain; charset=utf-8"},
				{Code: gomilter.ActInsertHeader, HeaderIndex: 0, HeaderName: "X-Bounce-Explanation", HeaderValue: "The address does not exist:\n ask the recipient for a new one."},
				{Code: gomilter.ActInsertHeader, HeaderIndex: 0, HeaderName: "X-Bounce-Status", HeaderValue: "5.1.1 (550)"},
				{Code: gomilter.ActInsertHeader, HeaderIndex: 0, HeaderName: "X-Bounce-Reason", HeaderValue: "userunknown"},
				{Code: gomilter.ActReplBody, Body: []byte("Annotation block\n")},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr, _, hook := testServer(t, Config{Annotate: tc.fa.annotate})
			tr := sendMessage(t, dial(t, addr), tc.from, tc.msg)
			if tr.eoh != tc.eoh {
				t.Fatalf("end-of-header reply %c, want %c", tr.eoh, tc.eoh)
			}
			if tc.eoh == gomilter.ActContinue && tr.end != gomilter.ActAccept {
				t.Errorf("final reply %c, want accept", tr.end)
			}
			if !equalMods(tr.mods, tc.mods) {
				t.Errorf("modifications\n%+v\nwant\n%+v", tr.mods, tc.mods)
			}
			if n := tc.fa.calls.Load(); n != tc.annotate {
				t.Errorf("annotate called %d times, want %d", n, tc.annotate)
			}
			if e := hook.LastEntry(); e == nil || e.Data["action"] != string(tc.action) {
				t.Errorf("log %v, want action %s", e, tc.action)
			}
		})
	}
}

// A message that is not a bounce keeps nothing once its header has ended,
// even when it continues so that its forged fields can be deleted.
func TestForgedFieldsNotBuffered(t *testing.T) {
	srv := New(Config{Logger: logrus.New()})
	srv.log.SetOutput(io.Discard)
	s := newSession(srv, nil)
	mustContinue(t)(wrap(s.MailFrom("bob@example.org", nil)))
	hdr, body, _ := strings.Cut(forgedMsg, "\r\n\r\n")
	for _, f := range splitFields(hdr) {
		name, value, _ := strings.Cut(f, ":")
		mustContinue(t)(wrap(s.Header(name, strings.TrimLeft(value, " \t"), nil)))
	}
	mustContinue(t)(wrap(s.Headers(nil, nil)))
	mustContinue(t)(wrap(s.BodyChunk([]byte(strings.Repeat(body, 1000)), nil)))
	if len(s.head) != 0 || len(s.chunks) != 0 || s.noBody == "" {
		t.Errorf("after the body: %d header bytes and %d body chunks kept (skip reason %q); want none",
			len(s.head), len(s.chunks), s.noBody)
	}
}

// wrap turns a backend's reply into what mustContinue checks.
func wrap(resp gomilter.Response, err error) (*gomilter.Action, error) {
	if err != nil {
		return nil, err
	}
	return &gomilter.Action{Code: gomilter.ActionCode(resp.Response().Code)}, nil
}

// loggedWarning reports whether a warning containing s was logged.
func loggedWarning(hook *logtest.Hook, s string) bool {
	for _, e := range hook.AllEntries() {
		if e.Level == logrus.WarnLevel && strings.Contains(e.Message, s) {
			return true
		}
	}
	return false
}

// A connection is closed at its session deadline however busy it is, and
// when idle for the idle timeout; either way its slot is given back and
// the next bounce is annotated. The durations are short, but nothing is
// asserted about when the close comes, only that it comes.
func TestSessionTimeout(t *testing.T) {
	tests := []struct {
		name    string
		idle    time.Duration
		session time.Duration
		trickle bool // keep sending a body byte at a time, well inside the idle timeout
		warning string
	}{
		{"trickling client hits the session deadline", time.Hour, 500 * time.Millisecond, true, "session-timeout"},
		{"silent client hits the idle timeout", 300 * time.Millisecond, time.Hour, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fa := &fakeAnnotate{res: annotatedResult("x\r\n")}
			addr, srv, hook := testServer(t, Config{Annotate: fa.annotate, MaxSessions: 1, IdleTimeout: tc.idle, SessionTimeout: tc.session})
			slow := dial(t, addr)
			if tr := startMessage(t, slow, "", cleanBounceMsg); tr.eoh != gomilter.ActContinue {
				t.Fatalf("end-of-header reply %c, want continue", tr.eoh)
			}
			if tc.trickle {
				closed := false
				for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
					if _, err := slow.BodyChunk([]byte("x")); err != nil {
						closed = true
						break
					}
				}
				if !closed {
					t.Fatal("a client sending a byte every 10 ms kept its connection for 10 s")
				}
			}
			waitFor(t, func() bool { return srv.Sessions() == 0 && srv.Buffering() == 0 })
			if tc.warning != "" && !loggedWarning(hook, tc.warning) {
				t.Errorf("no warning naming %s", tc.warning)
			}
			if tr := sendMessage(t, dial(t, addr), "", cleanBounceMsg); !hasBody(tr.mods) {
				t.Errorf("next bounce: %+v, want annotated", tr)
			}
		})
	}
}

// Past max-connections a new connection is closed before the negotiation
// (the MTA applies its milter_default_action); once one closes, the next
// is served again.
func TestMaxConnections(t *testing.T) {
	fa := &fakeAnnotate{res: annotatedResult("x\r\n")}
	addr, srv, hook := testServer(t, Config{Annotate: fa.annotate, MaxConnections: 2})
	first := dial(t, addr)
	dial(t, addr)
	steps := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"the third connection is closed at once", func(t *testing.T) {
			c := gomilter.NewClientWithOptions("tcp", addr, gomilter.ClientOptions{
				ActionMask: mtaActions, ProtocolMask: 0x7f, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second,
			})
			if s, err := c.Session(); err == nil {
				s.Close()
				t.Fatal("negotiation succeeded past max-connections")
			}
			if n := srv.Sessions(); n != 2 {
				t.Errorf("%d connections counted, want 2", n)
			}
			if !loggedWarning(hook, "max-connections") {
				t.Error("no warning naming max-connections")
			}
		}},
		{"the open ones still annotate", func(t *testing.T) {
			if tr := sendMessage(t, first, "", cleanBounceMsg); !hasBody(tr.mods) {
				t.Errorf("got %+v, want annotated", tr)
			}
		}},
		{"a closed connection makes room", func(t *testing.T) {
			first.Close()
			waitFor(t, func() bool { return srv.Sessions() == 1 })
			if tr := sendMessage(t, dial(t, addr), "", cleanBounceMsg); !hasBody(tr.mods) {
				t.Errorf("got %+v, want annotated", tr)
			}
		}},
	}
	for _, st := range steps {
		if !t.Run(st.name, st.run) {
			return
		}
	}
}

// gateAnnotate is an annotate that counts the annotations under way, keeps
// the highest count and, when gate is not nil, makes its first call tell
// entered and wait for gate to close.
type gateAnnotate struct {
	now, most atomic.Int32
	calls     atomic.Int32
	entered   chan struct{}
	gate      chan struct{}
}

func (g *gateAnnotate) annotate(raw []byte, opts annotate.Options) (*annotate.Result, error) {
	call := g.calls.Add(1)
	n := g.now.Add(1)
	defer g.now.Add(-1)
	for m := g.most.Load(); n > m && !g.most.CompareAndSwap(m, n); m = g.most.Load() {
	}
	if g.gate != nil && call == 1 {
		g.entered <- struct{}{}
		<-g.gate
	} else {
		time.Sleep(20 * time.Millisecond) // long enough for the others to pile up
	}
	return annotatedResult("x\r\n"), nil
}

// MaxAnnotating bounds the annotations under way: many bounces ending at
// once are all annotated, never more than MaxAnnotating at a time, and a
// bounce that cannot get a turn within Timeout continues unannotated
// without ever being handed to annotate.
func TestMaxAnnotating(t *testing.T) {
	t.Run("a burst takes turns", func(t *testing.T) {
		g := &gateAnnotate{}
		addr, _, _ := testServer(t, Config{Annotate: g.annotate, MaxAnnotating: 2})
		var wg sync.WaitGroup
		trs := make([]transcript, 6)
		for i := range trs {
			s := dial(t, addr)
			wg.Go(func() { trs[i] = sendMessage(t, s, "", cleanBounceMsg) })
		}
		wg.Wait()
		for i, tr := range trs {
			if tr.end != gomilter.ActAccept || len(tr.mods) == 0 {
				t.Errorf("message %d: %+v, want annotated", i, tr)
			}
		}
		if most := g.most.Load(); most > 2 || g.calls.Load() != 6 {
			t.Errorf("%d annotate calls, at most %d at once; want 6, at most 2", g.calls.Load(), most)
		}
	})
	t.Run("no turn within the timeout", func(t *testing.T) {
		g := &gateAnnotate{entered: make(chan struct{}, 1), gate: make(chan struct{})}
		addr, _, hook := testServer(t, Config{Annotate: g.annotate, MaxAnnotating: 1, Timeout: 300 * time.Millisecond})
		first, second := dial(t, addr), dial(t, addr)
		done := make(chan transcript, 1)
		go func() { done <- sendMessage(t, first, "", cleanBounceMsg) }()
		<-g.entered // the first holds the one turn
		tr := sendMessage(t, second, "", cleanBounceMsg)
		if tr.end != gomilter.ActAccept || len(tr.mods) != 0 || g.calls.Load() != 1 {
			t.Fatalf("second message: %+v after %d annotate calls; want accepted unchanged, annotate not called", tr, g.calls.Load())
		}
		waited := 0 // the first message may time out too, logged before or after
		for _, e := range hook.AllEntries() {
			if strings.Contains(fmt.Sprint(e.Data["reason"]), "waiting for one of 1 annotations") && e.Data["cause"] == string(CauseTimeout) {
				waited++
			}
		}
		if waited != 1 {
			t.Errorf("%d messages logged as timed out waiting for a turn, want 1", waited)
		}
		close(g.gate)
		<-done
		if tr := sendMessage(t, second, "", cleanBounceMsg); tr.end != gomilter.ActAccept || len(tr.mods) == 0 {
			t.Errorf("after the turn is back: %+v, want annotated", tr)
		}
	})
}

// A bounce's body is held once while it is read: the chunks go-milter hands
// over are kept, not copied, and joining them into the message annotate
// reads lets go of them.
func TestBodyHeldOnce(t *testing.T) {
	srv := New(Config{Logger: logrus.New()})
	s := newSession(srv, nil)
	mustContinue(t)(wrap(s.MailFrom("", nil)))
	mustContinue(t)(wrap(s.Header("Subject", "Undelivered Mail", nil)))
	chunks := [][]byte{[]byte("first part\r\n"), []byte("second part\r\n")}
	for _, c := range chunks {
		mustContinue(t)(wrap(s.BodyChunk(c, nil)))
	}
	if len(s.chunks) != 2 || &s.chunks[0][0] != &chunks[0][0] || &s.chunks[1][0] != &chunks[1][0] {
		t.Fatalf("%d chunks kept, not the ones handed over", len(s.chunks))
	}
	raw := s.message()
	if want := "Subject: Undelivered Mail\r\n\r\nfirst part\r\nsecond part\r\n"; string(raw) != want || cap(raw) != len(want) {
		t.Errorf("message %q (capacity %d), want %q in a slice of its size", raw, cap(raw), want)
	}
	if s.chunks != nil || s.head != nil {
		t.Errorf("after joining, %d chunks and %d header bytes still held", len(s.chunks), len(s.head))
	}
}

// A large bounce's body past spillAt waits outside the heap (in a spill),
// and comes back in order when the message is joined, which frees the
// spill; an aborted message frees its spill too.
func TestBodySpilled(t *testing.T) {
	if _, err := mapSpill(4096); err != nil {
		t.Skipf("no spill on this platform: %v", err)
	}
	srv := New(Config{Logger: logrus.New()})
	s := newSession(srv, nil)
	read := func() [][]byte {
		mustContinue(t)(wrap(s.MailFrom("", nil)))
		mustContinue(t)(wrap(s.Header("Subject", "Undelivered Mail", nil)))
		var chunks [][]byte
		for i := range 5 {
			c := bytes.Repeat([]byte{byte('a' + i)}, gomilter.MaxBodyChunk)
			chunks = append(chunks, c)
			mustContinue(t)(wrap(s.BodyChunk(c, nil)))
		}
		return chunks
	}
	chunks := read()
	// Chunks are kept while the body fits in spillAt, copied past it.
	onHeap := 0
	for n := len("Subject: Undelivered Mail\r\n"); n+gomilter.MaxBodyChunk <= spillAt; n += gomilter.MaxBodyChunk {
		onHeap++
	}
	if len(s.chunks) != onHeap || s.spill.len() != (len(chunks)-onHeap)*gomilter.MaxBodyChunk {
		t.Fatalf("%d chunks on the heap and %d bytes spilled, want %d chunks and the rest", len(s.chunks), s.spill.len(), onHeap)
	}
	sp := s.spill
	raw := s.message()
	want := "Subject: Undelivered Mail\r\n\r\n" + string(bytes.Join(chunks, nil))
	if string(raw) != want || cap(raw) != len(want) {
		t.Errorf("joined message of %d bytes (capacity %d) differs from the %d bytes read", len(raw), cap(raw), len(want))
	}
	if s.spill != nil || sp.mem != nil {
		t.Errorf("spill kept after joining")
	}
	read()
	sp = s.spill
	if sp == nil {
		t.Fatal("second message not spilled")
	}
	if err := s.Abort(nil); err != nil || sp.mem != nil || s.spill != nil {
		t.Errorf("after Abort (%v): spill not freed", err)
	}
}

// TestSpillTruncated: a large body over MaxBody fills its spill to the
// limit and is cut there, never past it.
func TestSpillTruncated(t *testing.T) {
	if _, err := mapSpill(4096); err != nil {
		t.Skipf("no spill on this platform: %v", err)
	}
	const maxBody = spillAt + 100000
	srv := New(Config{Logger: logrus.New(), MaxBody: maxBody})
	s := newSession(srv, nil)
	mustContinue(t)(wrap(s.MailFrom("", nil)))
	mustContinue(t)(wrap(s.Header("Subject", "Undelivered Mail", nil)))
	for range 8 {
		mustContinue(t)(wrap(s.BodyChunk(bytes.Repeat([]byte("x"), gomilter.MaxBodyChunk), nil)))
	}
	if !s.truncated || s.spill == nil {
		t.Fatalf("truncated %v, spill %v: want a cut, spilled body", s.truncated, s.spill != nil)
	}
	if raw := s.message(); len(raw) != maxBody+len("\r\n") {
		t.Errorf("message of %d bytes, want MaxBody %d and the header's end", len(raw), maxBody)
	}
}
