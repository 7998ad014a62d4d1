// Command milterload is the milter load generator of internal/bench/run:
// it opens N concurrent milter sessions with go-milter's client (Sendmail
// milter protocol v2, as Postfix speaks it) and plays the same message
// through each, MAIL FROM:<> as a bounce arrives, several times per
// session. It prints per-message latency (p50, p99), throughput and
// whether every message came back annotated (X-Bounce-* fields among the
// modifications):
//
//	go run ./internal/bench/milterload -addr inet:127.0.0.1:7357 -msg bounce.eml -sessions 8 -n 50
//
// With -barrier every session sends its whole message, then waits until
// all have before asking for the end-of-message reply, so that all N
// messages are held by the milter at once (for peak memory).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	gomilter "github.com/emersion/go-milter"
)

// config is the command line.
type config struct {
	addr      string
	msg       string
	sessions  int
	perSess   int
	barrier   bool
	annotated bool
	timeout   time.Duration
	label     string
}

// result is what one message got.
type result struct {
	latency   time.Duration
	annotated bool
	err       error
}

// errNotAnnotated: the milter accepted a message without X-Bounce-* fields.
var errNotAnnotated = errors.New("not annotated")

func main() {
	var c config
	flag.StringVar(&c.addr, "addr", "", "milter socket: unix:PATH or inet:HOST:PORT (required)")
	flag.StringVar(&c.msg, "msg", "", "message `FILE` to send (required)")
	flag.IntVar(&c.sessions, "sessions", 1, "concurrent milter sessions")
	flag.IntVar(&c.perSess, "n", 20, "messages per session")
	flag.BoolVar(&c.barrier, "barrier", false, "hold every message until all sessions have sent theirs, then end them together")
	flag.BoolVar(&c.annotated, "want-annotated", true, "count a message without X-Bounce-* modifications as an error")
	flag.DurationVar(&c.timeout, "timeout", 120*time.Second, "read and write timeout of each milter request")
	flag.StringVar(&c.label, "label", "", "name printed in front of the result line")
	flag.Parse()
	if c.addr == "" || c.msg == "" || c.sessions < 1 || c.perSess < 1 {
		flag.Usage()
		os.Exit(2)
	}
	raw, err := os.ReadFile(c.msg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "milterload:", err)
		os.Exit(2)
	}
	m := splitMessage(raw)
	start := time.Now()
	res := run(c, m)
	os.Exit(report(c, res, time.Since(start), len(raw)))
}

// message is the message to play: header fields as the MTA sends them
// (folds as LF plus white space) and the body.
type message struct {
	fields [][2]string
	body   []byte
}

// splitMessage cuts raw (LF or CRLF) into header fields and body.
func splitMessage(raw []byte) message {
	raw = bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n"))
	hdr, body, _ := bytes.Cut(raw, []byte("\n\n"))
	var m message
	for _, line := range strings.Split(string(hdr), "\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(m.fields) > 0 {
			m.fields[len(m.fields)-1][1] += "\n" + line
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		m.fields = append(m.fields, [2]string{name, strings.TrimLeft(value, " \t")})
	}
	m.body = bytes.ReplaceAll(body, []byte("\n"), []byte("\r\n"))
	return m
}

// run plays c.perSess messages through each of c.sessions sessions.
func run(c config, m message) []result {
	network, address, _ := strings.Cut(c.addr, ":")
	if network == "inet" {
		network = "tcp"
	}
	client := gomilter.NewClientWithOptions(network, address, gomilter.ClientOptions{
		ReadTimeout:  c.timeout,
		WriteTimeout: c.timeout,
		ActionMask:   gomilter.OptAddHeader | gomilter.OptChangeHeader | gomilter.OptChangeBody,
	})
	var (
		mu   sync.Mutex
		all  []result
		wg   sync.WaitGroup
		sent sync.WaitGroup // -barrier: every session has sent its body
		gate = make(chan struct{})
	)
	sent.Add(c.sessions)
	go func() { sent.Wait(); close(gate) }()
	for range c.sessions {
		wg.Go(func() {
			rs := session(client, c, m, &sent, gate)
			mu.Lock()
			all = append(all, rs...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return all
}

// session plays the messages of one session; with c.barrier the first one
// waits at the gate before its end of message.
func session(client *gomilter.Client, c config, m message, sent *sync.WaitGroup, gate chan struct{}) []result {
	s, err := client.Session()
	if err != nil {
		sent.Done()
		return []result{{err: err}}
	}
	defer s.Close()
	var out []result
	for i := range c.perSess {
		hold := func() {}
		if i == 0 {
			hold = func() {
				sent.Done()
				if c.barrier {
					<-gate
				}
			}
		}
		r := one(s, m, hold)
		if r.err == nil && c.annotated && !r.annotated {
			r.err = errNotAnnotated
		}
		out = append(out, r)
		if r.err != nil && !errors.Is(r.err, errNotAnnotated) {
			if i == 0 {
				return out
			}
			break
		}
	}
	return out
}

// one plays one message; hold runs after the body, before end of message.
// The latency runs from MAIL FROM to the final reply, less the time held.
func one(s *gomilter.ClientSession, m message, hold func()) result {
	start := time.Now()
	steps := []func() (*gomilter.Action, error){
		func() (*gomilter.Action, error) { return s.Mail("", nil) },
		func() (*gomilter.Action, error) { return s.Rcpt("postmaster@example.org", nil) },
	}
	for _, f := range m.fields {
		steps = append(steps, func() (*gomilter.Action, error) { return s.HeaderField(f[0], f[1]) })
	}
	steps = append(steps, s.HeaderEnd)
	for b := m.body; len(b) > 0; {
		chunk := b[:min(len(b), gomilter.MaxBodyChunk)]
		b = b[len(chunk):]
		steps = append(steps, func() (*gomilter.Action, error) { return s.BodyChunk(chunk) })
	}
	for _, step := range steps {
		act, err := step()
		if err != nil {
			hold()
			return result{err: err}
		}
		if act.Code != gomilter.ActContinue {
			hold()
			return result{latency: time.Since(start), err: fmt.Errorf("reply %c before end of message", act.Code)}
		}
	}
	held := time.Now()
	hold()
	start = start.Add(time.Since(held))
	mods, act, err := s.End()
	if err != nil {
		return result{err: err}
	}
	r := result{latency: time.Since(start)}
	if act.Code != gomilter.ActAccept {
		r.err = fmt.Errorf("final reply %c, want accept", act.Code)
	}
	for _, mod := range mods {
		if (mod.Code == gomilter.ActInsertHeader || mod.Code == gomilter.ActAddHeader) &&
			strings.HasPrefix(strings.ToLower(mod.HeaderName), "x-bounce-") {
			r.annotated = true
		}
	}
	return r
}

// report prints the result line and returns the exit status: 1 when any
// message failed or (with -want-annotated) was not annotated.
func report(c config, res []result, elapsed time.Duration, size int) int {
	var lat []time.Duration
	annotated, failed := 0, 0
	var firstErr error
	for _, r := range res {
		if r.annotated {
			annotated++
		}
		if r.err != nil {
			failed++
			if firstErr == nil {
				firstErr = r.err
			}
			continue
		}
		lat = append(lat, r.latency)
	}
	slices.Sort(lat)
	ok := len(lat)
	label := c.label
	if label != "" {
		label += ": "
	}
	fmt.Printf("%ssessions=%d size=%d messages=%d ok=%d annotated=%d failed=%d p50_ms=%.2f p99_ms=%.2f msg_per_s=%.1f\n",
		label, c.sessions, size, len(res), ok, annotated, failed,
		ms(percentile(lat, 50)), ms(percentile(lat, 99)), float64(ok)/elapsed.Seconds())
	if firstErr != nil {
		fmt.Fprintf(os.Stderr, "milterload: %d message(s) failed; first: %v\n", failed, firstErr)
		return 1
	}
	return 0
}

// percentile returns the p-th percentile (nearest rank) of sorted d.
func percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := (len(d)*p + 99) / 100
	return d[max(i-1, 0)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
