package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	gomilter "github.com/emersion/go-milter"

	"github.com/bouncenote/bouncenote/internal/testmsg"
)

func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestMilterOptionsFromEnv(t *testing.T) {
	var o milterOptions
	fl := milterFlags(&o, &bytes.Buffer{})
	env := envOf(map[string]string{
		"BOUNCENOTE_LISTEN":          "inet:127.0.0.1:1",
		"BOUNCENOTE_MAX_BODY":        "2MiB",
		"BOUNCENOTE_HEADERS_ONLY":    "true",
		"BOUNCENOTE_CATALOG":         "/a.yaml" + string(os.PathListSeparator) + "/b.yaml",
		"BOUNCENOTE_TIMEOUT":         "3s",
		"BOUNCENOTE_MAX_CONNECTIONS": "7",
		"BOUNCENOTE_SESSION_TIMEOUT": "2m",
		"BOUNCENOTE_CHECK_CONFIG":    "1", // an action, not an option: ignored
	})
	if err := applyEnv(fl, env); err != nil {
		t.Fatal(err)
	}
	if err := fl.Parse([]string{"--timeout", "5s", "--catalog", "/c.yaml"}); err != nil {
		t.Fatal(err)
	}
	if o.listen != "inet:127.0.0.1:1" || o.maxBody != 2<<20 || !o.headersOnly || o.timeout != 5*time.Second ||
		o.maxConns != 7 || o.sessTimeout != 2*time.Minute {
		t.Errorf("options %+v", o)
	}
	if got := o.catalogs.String(); got != "/c.yaml" {
		t.Errorf("catalogs %q: the command line must replace the environment's list", got)
	}
	if o.checkConfig {
		t.Error("BOUNCENOTE_CHECK_CONFIG must not turn the daemon into a check")
	}
}

func TestMilterCheckConfig(t *testing.T) {
	sockDir := t.TempDir()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	free := testmsg.FreeTCP(t)
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		status int
		out    string
	}{
		{"ok", []string{"--check-config", "--listen", "unix:" + filepath.Join(sockDir, "m.sock")}, nil, 0, "configuration OK"},
		{"ok from env", []string{"--check-config"}, map[string]string{"BOUNCENOTE_LISTEN": "inet:" + free, "BOUNCENOTE_LANG": "zh-CN"}, 0, "lang zh-CN"},
		{"socket directory missing", []string{"--check-config", "--listen", "unix:" + filepath.Join(sockDir, "no", "m.sock")}, nil, 2,
			"cannot listen on unix:" + filepath.Join(sockDir, "no", "m.sock") + ": directory " + filepath.Join(sockDir, "no") + " does not exist"},
		{"port in use", []string{"--check-config", "--listen", "inet:" + busy.Addr().String()}, nil, 2,
			"cannot listen on inet:" + busy.Addr().String() + ": bind: address already in use"},
		{"no listen", []string{"--check-config"}, nil, 2, "--listen is required"},
		{"bad listen", []string{"--check-config", "--listen", "tcp:1"}, nil, 2, "unknown transport"},
		{"bad lang", []string{"--check-config", "--listen", "inet::1", "--lang", "fr"}, nil, 2, "supported: en, zh-CN, auto"},
		{"bad mode", []string{"--check-config", "--listen", "inet::1", "--socket-mode", "999"}, nil, 2, "--socket-mode"},
		{"bad owner", []string{"--check-config", "--listen", "inet::1", "--socket-owner", "no-such-user-bn"}, nil, 2, "socket owner"},
		{"bad log format", []string{"--check-config", "--listen", "inet::1", "--log-format", "xml"}, nil, 2, "--log-format"},
		{"bad size env", []string{"--check-config"}, map[string]string{"BOUNCENOTE_MAX_BODY": "lots"}, 2, "BOUNCENOTE_MAX_BODY"},
		{"bad catalog", []string{"--check-config", "--listen", "inet::1", "--catalog", "../../catalog/testdata/invalid/bad-yaml.yaml"}, nil, 2, "catalog"},
		{"lang alias", []string{"--check-config", "--listen", "inet:" + free, "--lang", "zh_Hans"}, nil, 0, "lang zh-CN"},
		{"zero sessions", []string{"--check-config", "--listen", "inet::1", "--max-sessions", "0"}, nil, 2, "positive"},
		{"zero connections", []string{"--check-config", "--listen", "inet::1", "--max-connections", "0"}, nil, 2, "positive"},
		{"session shorter than timeout", []string{"--check-config", "--listen", "inet::1", "--session-timeout", "5s"}, nil, 2, "--session-timeout 5s must be longer than --timeout 10s"},
		{"stray argument", []string{"--listen", "inet::1", "extra"}, nil, 2, "unexpected argument"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			status := milterMain(tc.args, envOf(tc.env), &out, &out, nil, nil)
			if status != tc.status || !strings.Contains(out.String(), tc.out) {
				t.Errorf("status %d, output %q; want %d and %q", status, out.String(), tc.status, tc.out)
			}
		})
	}
	if entries, _ := os.ReadDir(sockDir); len(entries) != 0 {
		t.Errorf("--check-config left %d file(s) in the socket directory", len(entries))
	}
}

func TestParseSize(t *testing.T) {
	tests := map[string]int64{"1048576": 1 << 20, "10M": 10 << 20, "10MiB": 10 << 20, "512k": 512 << 10, "1G": 1 << 30, "7B": 7}
	for in, want := range tests {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "M", "-1", "1T", "ten"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}

// The daemon serves on a unix socket, stops on SIGTERM with status 0 and
// removes its socket.
func TestMilterServeAndStop(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "bouncenote.sock")
	sigs := make(chan os.Signal, 1)
	ready := make(chan serving, 1)
	var log bytes.Buffer
	status := make(chan int, 1)
	go func() {
		status <- milterMain([]string{"--listen", "unix:" + sock, "--socket-mode", "0600"}, envOf(nil), &log, &log, sigs, ready)
	}()
	select {
	case <-ready:
	case s := <-status:
		t.Fatalf("exited with %d before serving: %s", s, log.String())
	}
	if fi, err := os.Stat(sock); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket %v, %v; want mode 0600", fi, err)
	}
	sigs <- syscall.SIGHUP // no custom catalog: logged, nothing else
	sigs <- syscall.SIGTERM
	select {
	case s := <-status:
		if s != 0 {
			t.Errorf("status %d after SIGTERM, want 0", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no exit 10 s after SIGTERM")
	}
	if _, err := os.Lstat(sock); !os.IsNotExist(err) {
		t.Errorf("socket left behind: %v", err)
	}
}

// syncBuffer is a log sink read while the daemon writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// milterSession opens a milter session with the milter at the unix socket
// sock, negotiating what an MTA offers (every action and protocol step).
func milterSession(t *testing.T, sock string) *gomilter.ClientSession {
	t.Helper()
	c := gomilter.NewClientWithOptions("unix", sock, gomilter.ClientOptions{
		ActionMask: gomilter.OptAddHeader | gomilter.OptChangeHeader | gomilter.OptChangeBody, ProtocolMask: 0x7f,
		ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second,
	})
	s, err := c.Session()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// insertedHeaders plays raw through the milter at sock as an MTA would and
// returns the header fields it inserted.
func insertedHeaders(t *testing.T, sock string, raw []byte) map[string]string {
	t.Helper()
	s := milterSession(t, sock)
	defer s.Close()
	if _, err := s.Mail("", nil); err != nil {
		t.Fatal(err)
	}
	msg := strings.ReplaceAll(string(raw), "\r\n", "\n")
	hdr, body, _ := strings.Cut(msg, "\n\n")
	hdr = strings.NewReplacer("\n ", "\r\n ", "\n\t", "\r\n\t").Replace(hdr)
	for _, line := range strings.Split(hdr, "\n") {
		name, value, _ := strings.Cut(line, ":")
		if _, err := s.HeaderField(name, strings.TrimSpace(value)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.HeaderEnd(); err != nil {
		t.Fatal(err)
	}
	mods, _, err := s.BodyReadFrom(strings.NewReader(strings.ReplaceAll(body, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range mods {
		if m.Code == gomilter.ActInsertHeader {
			out[m.HeaderName] = m.HeaderValue
		}
	}
	return out
}

const siteCatalog = `entries:
  - id: site.user-unknown
    match:
      reply: ["550"]
      status: ["5.1.1"]
      text: ["user unknown"]
    priority: 100
    reason: userunknown
    permanent: true
    who: sender
    en:
      title: "No such mailbox here"
      explanation: "The address does not exist."
      remedy: "Ask the helpdesk on extension EXT."
    zh-CN:
      title: "没有这个邮箱"
      explanation: "这个地址不存在。"
      remedy: "请拨打分机 EXT。"
`

// SIGHUP reloads the custom catalog; an invalid one is logged and the old
// one stays in use.
func TestMilterReloadCatalog(t *testing.T) {
	dir := t.TempDir()
	sock, cat := filepath.Join(dir, "m.sock"), filepath.Join(dir, "site.yaml")
	writeCat := func(s string) {
		if err := os.WriteFile(cat, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeCat(strings.ReplaceAll(siteCatalog, "EXT", "1234"))
	bounce, err := os.ReadFile("../../examples/bounces/postfix-user-unknown.eml")
	if err != nil {
		t.Fatal(err)
	}
	sigs, ready, log := make(chan os.Signal, 1), make(chan serving, 1), &syncBuffer{}
	status := make(chan int, 1)
	go func() {
		status <- milterMain([]string{"--listen", "unix:" + sock, "--catalog", cat}, envOf(nil), log, log, sigs, ready)
	}()
	<-ready
	remedy := func() string { return insertedHeaders(t, sock, bounce)["X-Bounce-Remedy"] }
	hup := func(want string) {
		t.Helper()
		sigs <- syscall.SIGHUP
		for deadline := time.Now().Add(5 * time.Second); !strings.Contains(log.String(), want); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no %q in the log after SIGHUP:\n%s", want, log.String())
			}
		}
	}
	if r := remedy(); !strings.Contains(r, "1234") {
		t.Fatalf("remedy %q: the custom catalog is not used", r)
	}
	writeCat("entries: [ {id: broken")
	hup("keeping the old catalog")
	if r := remedy(); !strings.Contains(r, "1234") {
		t.Errorf("after an invalid reload, remedy %q: the old catalog must stay", r)
	}
	writeCat(strings.ReplaceAll(siteCatalog, "EXT", "5678"))
	hup("catalog reloaded")
	if r := remedy(); !strings.Contains(r, "5678") {
		t.Errorf("after a valid reload, remedy %q", r)
	}
	sigs <- syscall.SIGINT
	if s := <-status; s != 0 {
		t.Errorf("status %d after SIGINT", s)
	}
}
