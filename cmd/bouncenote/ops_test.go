package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/bouncenote/bouncenote/milter"
)

// TestOpsEndpoints checks the three paths of the metrics listener before
// and after the milter listener is up.
func TestOpsEndpoints(t *testing.T) {
	o := newOps()
	srv := httptest.NewServer(o.handler())
	defer srv.Close()
	tests := []struct {
		name   string
		up     bool // the milter listener is up
		path   string
		status int
		body   string
	}{
		{"healthz before", false, "/healthz", 200, "ok"},
		{"readyz before the listener is up", false, "/readyz", 503, "the milter listener is not up"},
		{"metrics before", false, "/metrics", 200, "bouncenote_messages_seen_total 0"},
		{"go collector", false, "/metrics", 200, "go_goroutines "},
		{"process collector", false, "/metrics", 200, "process_cpu_seconds_total "},
		{"healthz after", true, "/healthz", 200, "ok"},
		{"readyz after", true, "/readyz", 200, "ready"},
		{"unknown path", true, "/nothing", 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.up {
				o.setReady(milter.New(milter.Config{Metrics: o.metrics}))
			} else {
				o.setReady(nil)
			}
			status, body := httpGet(t, srv.URL+tc.path)
			if status != tc.status || !strings.Contains(body, tc.body) {
				t.Errorf("%s: %d %q, want %d and %q", tc.path, status, body, tc.status, tc.body)
			}
		})
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestMetricsListenOption(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "m.sock")
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		status int
		out    string
	}{
		{"ok", []string{"--metrics-listen", "127.0.0.1:0"}, nil, 0, "configuration OK"},
		{"from env", nil, map[string]string{"BOUNCENOTE_METRICS_LISTEN": "127.0.0.1:0"}, 0, "configuration OK"},
		{"no port", []string{"--metrics-listen", "127.0.0.1"}, nil, 2, "want HOST:PORT"},
		{"bad port", []string{"--metrics-listen", "127.0.0.1:http"}, nil, 2, "not a number"},
		{"port in use", []string{"--metrics-listen", busy.Addr().String()}, nil, 2, "address already in use"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			args := append([]string{"--check-config", "--listen", "unix:" + sock}, tc.args...)
			if status := milterMain(args, envOf(tc.env), &out, &out, nil, nil); status != tc.status || !strings.Contains(out.String(), tc.out) {
				t.Errorf("status %d, output %q; want %d and %q", status, out.String(), tc.status, tc.out)
			}
		})
	}
}

// corpusMessage is one message of the test corpus, with its envelope.
type corpusMessage struct {
	qid, from string
	raw       []byte
}

// loadCorpus reads the bounces (null sender) and the ordinary mail.
func loadCorpus(t *testing.T, short bool) (bounces, normal []corpusMessage) {
	t.Helper()
	bfiles, _ := filepath.Glob("../../testdata/corpus/sisimai/bounces/*.eml")
	var nfiles []string
	for _, d := range []string{"enmime", "inbucket"} {
		fs, _ := filepath.Glob("../../testdata/corpus/normal/" + d + "/*.raw")
		nfiles = append(nfiles, fs...)
	}
	if len(bfiles) < 100 || len(nfiles) < 20 {
		t.Fatalf("corpus: %d bounces, %d ordinary messages", len(bfiles), len(nfiles))
	}
	if short {
		bfiles, nfiles = bfiles[:40], nfiles[:20]
	}
	read := func(files []string, prefix, from string) []corpusMessage {
		var out []corpusMessage
		for i, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, corpusMessage{qid: fmt.Sprintf("%s%04d", prefix, i), from: from, raw: raw})
		}
		return out
	}
	return read(bfiles, "B", ""), read(nfiles, "N", "sender@example.org")
}

// playMessage sends one message through s as Postfix does: macro i, the
// envelope, the header fields (folds as LF), end of header and, unless the
// milter accepted there, the body with CRLF line ends.
func playMessage(t *testing.T, s *gomilter.ClientSession, m corpusMessage) {
	t.Helper()
	msg := strings.ReplaceAll(string(m.raw), "\r\n", "\n")
	if strings.HasPrefix(msg, "From ") { // an mbox separator: MTAs drop it
		_, msg, _ = strings.Cut(msg, "\n")
	}
	hdr, body, _ := strings.Cut(msg, "\n\n")
	var fields []string
	for _, line := range strings.Split(hdr, "\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(fields) > 0 {
			fields[len(fields)-1] += "\n" + line
			continue
		}
		fields = append(fields, line)
	}
	if err := s.Macros(gomilter.CodeMail, "i", m.qid); err != nil {
		t.Fatal(err)
	}
	steps := []func() (*gomilter.Action, error){
		func() (*gomilter.Action, error) { return s.Mail(m.from, nil) },
		func() (*gomilter.Action, error) { return s.Rcpt("alice@example.org", nil) },
	}
	for _, f := range fields {
		name, value, _ := strings.Cut(f, ":")
		steps = append(steps, func() (*gomilter.Action, error) { return s.HeaderField(name, strings.TrimLeft(value, " \t")) })
	}
	for _, step := range steps {
		act, err := step()
		if err != nil {
			t.Fatalf("%s: %v", m.qid, err)
		}
		if act.Code != gomilter.ActContinue {
			t.Fatalf("%s: reply %c before end of header", m.qid, act.Code)
		}
	}
	act, err := s.HeaderEnd()
	if err != nil {
		t.Fatalf("%s: %v", m.qid, err)
	}
	if act.Code != gomilter.ActContinue {
		return
	}
	if _, act, err = s.BodyReadFrom(strings.NewReader(strings.ReplaceAll(body, "\n", "\r\n"))); err != nil {
		t.Fatalf("%s: %v", m.qid, err)
	}
	if act.Code != gomilter.ActAccept {
		t.Errorf("%s: final reply %c, want accept", m.qid, act.Code)
	}
}

// scrape reads /metrics into a map from "name{labels}" to value.
func scrape(t *testing.T, url string) map[string]float64 {
	t.Helper()
	status, body := httpGet(t, url)
	if status != 200 {
		t.Fatalf("/metrics: %d", status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// messageLogFields are the fields of every message's log line.
var messageLogFields = []string{"action", "cause", "level", "msg", "picked", "queue_id", "reason", "recipients", "sender", "status", "time"}

// TestMilterMetricsCorpus runs the milter with --metrics-listen, sends the
// corpus bounces and ordinary mail through it with go-milter's client,
// scrapes /metrics and checks that the counters and the histogram moved as
// the JSON log lines (one per message) say they should.
func TestMilterMetricsCorpus(t *testing.T) {
	bounces, normal := loadCorpus(t, testing.Short())
	sock := filepath.Join(t.TempDir(), "m.sock")
	sigs, ready, log := make(chan os.Signal, 1), make(chan serving, 1), &syncBuffer{}
	status := make(chan int, 1)
	go func() {
		status <- milterMain([]string{"--listen", "unix:" + sock, "--metrics-listen", "127.0.0.1:0", "--log-format", "json"},
			envOf(nil), log, log, sigs, ready)
	}()
	var up serving
	select {
	case up = <-ready:
	case s := <-status:
		t.Fatalf("exited with %d before serving: %s", s, log.String())
	}
	base := "http://" + up.metrics.String()
	for _, p := range []string{"/healthz", "/readyz"} {
		if code, body := httpGet(t, base+p); code != 200 {
			t.Fatalf("%s: %d %q", p, code, body)
		}
	}
	before := scrape(t, base+"/metrics")
	if before["bouncenote_messages_seen_total"] != 0 || before["bouncenote_processing_duration_seconds_count"] != 0 {
		t.Fatalf("counters moved before any mail: %v", before)
	}

	s := milterSession(t, sock)
	all := append(append([]corpusMessage{}, bounces...), normal...)
	for _, m := range all {
		playMessage(t, s, m)
	}
	got := scrape(t, base+"/metrics")
	s.Close()

	// The log: one JSON line per message, each with every field.
	lines := map[string]map[string]any{}
	for _, l := range strings.Split(log.String(), "\n") {
		var e map[string]any
		if json.Unmarshal([]byte(l), &e) != nil || e["action"] == nil {
			continue
		}
		qid, _ := e["queue_id"].(string)
		if lines[qid] != nil {
			t.Errorf("%s: two log lines", qid)
		}
		lines[qid] = e
		for _, f := range messageLogFields {
			if _, ok := e[f]; !ok {
				t.Errorf("%s: log line without %q: %s", qid, f, l)
			}
		}
	}
	wantSkipped := map[string]float64{}
	var annotated, read float64
	for _, m := range all {
		e := lines[m.qid]
		if e == nil {
			t.Errorf("%s: no log line", m.qid)
			continue
		}
		if e["picked"] != "-" {
			read++
		}
		switch cause := e["cause"].(string); cause {
		case "-":
			annotated++
		default:
			wantSkipped[cause]++
		}
		if m.from != "" && e["cause"] == "-" {
			t.Errorf("%s: ordinary mail annotated", m.qid)
		}
	}
	if annotated*2 < float64(len(bounces)) {
		t.Errorf("only %v of %d bounces annotated", annotated, len(bounces))
	}
	checks := []struct {
		series string
		want   float64
	}{
		{"bouncenote_messages_seen_total", float64(len(all))},
		{"bouncenote_messages_annotated_total{body=\"replaced\"}", annotated},
		{"bouncenote_messages_annotated_total{body=\"headers_only\"}", 0},
		{"bouncenote_processing_duration_seconds_count", read},
		{"bouncenote_processing_duration_seconds_bucket{le=\"+Inf\"}", read},
		{"bouncenote_sessions_buffering", 0},
		{"bouncenote_catalog_reloads_total{result=\"ok\"}", 0},
	}
	for _, c := range milter.Causes {
		checks = append(checks, struct {
			series string
			want   float64
		}{fmt.Sprintf("bouncenote_messages_skipped_total{cause=%q}", c), wantSkipped[string(c)]})
	}
	for _, c := range checks {
		if v, ok := got[c.series]; !ok || v != c.want {
			t.Errorf("%s = %v (present %v), want %v", c.series, v, ok, c.want)
		}
	}
	if wantSkipped["not_bounce"] < float64(len(normal)) {
		t.Errorf("%v messages skipped as not a bounce, want at least the %d ordinary ones", wantSkipped["not_bounce"], len(normal))
	}
	if got["bouncenote_processing_duration_seconds_sum"] <= 0 {
		t.Error("latency histogram sum did not move")
	}
	var failures float64
	reasons := regexp.MustCompile(`^bouncenote_recipients_total\{kind="(failure|delay)",reason="([a-z]+)"\}$`)
	for k, v := range got {
		if strings.HasPrefix(k, "bouncenote_recipients_total") {
			if !reasons.MatchString(k) {
				t.Errorf("recipient series %s: label values must be a kind and a reason name", k)
			}
			if strings.Contains(k, `kind="failure"`) {
				failures += v
			}
		}
	}
	if failures < annotated/2 {
		t.Errorf("%v failed recipients counted for %v annotated bounces", failures, annotated)
	}
	for _, k := range []string{"bouncenote_sessions_open", "bouncenote_catalog_entries", "go_goroutines", "process_resident_memory_bytes"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no %s in /metrics", k)
		}
	}
	if got["bouncenote_catalog_entries"] < 1 {
		t.Error("bouncenote_catalog_entries: no catalog")
	}
	t.Logf("%d bounces, %d ordinary messages: %v annotated, skipped %v", len(bounces), len(normal), annotated, wantSkipped)

	sigs <- syscall.SIGHUP // no custom catalog: counted as no_catalog
	waitLog(t, log, "no custom catalog to reload")
	if v := scrape(t, base+"/metrics")[`bouncenote_catalog_reloads_total{result="no_catalog"}`]; v != 1 {
		t.Errorf("reloads{no_catalog} = %v after SIGHUP, want 1", v)
	}
	sigs <- syscall.SIGTERM
	if s := <-status; s != 0 {
		t.Errorf("status %d after SIGTERM", s)
	}
}

// waitLog waits until the log holds want.
func waitLog(t *testing.T, log *syncBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(log.String(), want); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the log:\n%s", want, log.String())
		}
	}
}

// TestLogFormatsSameFields checks that a message's log line has the same
// fields in the text and the JSON format.
func TestLogFormatsSameFields(t *testing.T) {
	bounces, normal := loadCorpus(t, true)
	logfmtKey := regexp.MustCompile(`(?:^| )([a-z_]+)=`)
	tests := []struct {
		format string
		keys   func(line string) []string
	}{
		{"json", func(line string) []string {
			var e map[string]any
			if json.Unmarshal([]byte(line), &e) != nil {
				return nil
			}
			var ks []string
			for k := range e {
				ks = append(ks, k)
			}
			return ks
		}},
		{"text", func(line string) []string {
			var ks []string
			for _, m := range logfmtKey.FindAllStringSubmatch(line, -1) {
				ks = append(ks, m[1])
			}
			return ks
		}},
	}
	for _, tc := range tests {
		t.Run(tc.format, func(t *testing.T) {
			sock := filepath.Join(t.TempDir(), "m.sock")
			sigs, ready, log := make(chan os.Signal, 1), make(chan serving, 1), &syncBuffer{}
			status := make(chan int, 1)
			go func() {
				status <- milterMain([]string{"--listen", "unix:" + sock, "--log-format", tc.format}, envOf(nil), log, log, sigs, ready)
			}()
			<-ready
			s := milterSession(t, sock)
			for _, m := range []corpusMessage{bounces[0], normal[0]} {
				playMessage(t, s, m)
			}
			s.Close()
			sigs <- syscall.SIGTERM
			<-status
			n := 0
			for _, line := range strings.Split(log.String(), "\n") {
				if !strings.Contains(line, "queue_id") {
					continue
				}
				n++
				ks := tc.keys(line)
				sort.Strings(ks)
				if strings.Join(ks, " ") != strings.Join(messageLogFields, " ") &&
					strings.Join(ks, " ") != strings.Join(withEdits(messageLogFields), " ") {
					t.Errorf("fields %v, want %v (and edits when the message was changed)\n%s", ks, messageLogFields, line)
				}
			}
			if n != 2 {
				t.Errorf("%d message lines, want 2:\n%s", n, log.String())
			}
		})
	}
}

// withEdits is fields plus "edits", sorted.
func withEdits(fields []string) []string {
	out := append([]string{"edits"}, fields...)
	sort.Strings(out)
	return out
}

// TestDocumentedMetricsExist checks that every bouncenote_* metric named
// by the Grafana dashboard and the README is one the milter exports, and
// that the README names every one it exports.
func TestDocumentedMetricsExist(t *testing.T) {
	// Every registered metric, also the vectors without a series yet.
	descs := make(chan *prometheus.Desc)
	go func() {
		newOps().reg.Describe(descs)
		close(descs)
	}()
	fqName := regexp.MustCompile(`fqName: "([a-z_]+)"`)
	exported := map[string]bool{}
	for d := range descs {
		if m := fqName.FindStringSubmatch(d.String()); m != nil {
			exported[m[1]] = true
		}
	}
	if !exported["bouncenote_recipients_total"] || !exported["go_goroutines"] {
		t.Fatalf("descriptors not read: %v", exported)
	}
	name := regexp.MustCompile(`bouncenote_[a-z_]+[a-z]`)
	series := func(n string) string {
		for _, suffix := range []string{"_bucket", "_count", "_sum"} {
			if base := strings.TrimSuffix(n, suffix); base != n && exported[base] {
				return base
			}
		}
		return n
	}
	tests := []struct {
		file    string
		skip    string // names in the file that are not metrics
		wantAll bool   // the file must name every exported metric
	}{
		{"../../examples/grafana/bouncenote.json", "bouncenote_milter", false},
		{"../../README.md", "bouncenote_milter", true},
	}
	for _, tc := range tests {
		b, err := os.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		named := map[string]bool{}
		for _, n := range name.FindAllString(string(b), -1) {
			if strings.HasPrefix(n, tc.skip) {
				continue
			}
			n = series(n)
			named[n] = true
			if !exported[n] {
				t.Errorf("%s names %s, which is not exported", tc.file, n)
			}
		}
		for n := range exported {
			if tc.wantAll && strings.HasPrefix(n, "bouncenote_") && !named[n] {
				t.Errorf("%s does not name %s", tc.file, n)
			}
		}
	}
}
