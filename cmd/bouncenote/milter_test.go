package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestMilterOptionsFromEnv(t *testing.T) {
	var o milterOptions
	fl := milterFlags(&o, &bytes.Buffer{})
	env := envOf(map[string]string{
		"BOUNCENOTE_LISTEN":       "inet:127.0.0.1:1",
		"BOUNCENOTE_MAX_BODY":     "2MiB",
		"BOUNCENOTE_HEADERS_ONLY": "true",
		"BOUNCENOTE_CATALOG":      "/a.yaml" + string(os.PathListSeparator) + "/b.yaml",
		"BOUNCENOTE_TIMEOUT":      "3s",
		"BOUNCENOTE_CHECK_CONFIG": "1", // an action, not an option: ignored
	})
	if err := applyEnv(fl, env); err != nil {
		t.Fatal(err)
	}
	if err := fl.Parse([]string{"--timeout", "5s", "--catalog", "/c.yaml"}); err != nil {
		t.Fatal(err)
	}
	if o.listen != "inet:127.0.0.1:1" || o.maxBody != 2<<20 || !o.headersOnly || o.timeout != 5*time.Second {
		t.Errorf("options %+v", o)
	}
	if got := strings.Join(o.catalogs.values, ","); got != "/c.yaml" {
		t.Errorf("catalogs %q: the command line must replace the environment's list", got)
	}
	if o.checkConfig {
		t.Error("BOUNCENOTE_CHECK_CONFIG must not turn the daemon into a check")
	}
}

func TestMilterCheckConfig(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		status int
		out    string
	}{
		{"ok", []string{"--check-config", "--listen", "unix:/run/x.sock"}, nil, 0, "configuration OK"},
		{"ok from env", []string{"--check-config"}, map[string]string{"BOUNCENOTE_LISTEN": "inet:8891@localhost", "BOUNCENOTE_LANG": "zh-CN"}, 0, "lang zh-CN"},
		{"no listen", []string{"--check-config"}, nil, 1, "--listen is required"},
		{"bad listen", []string{"--check-config", "--listen", "tcp:1"}, nil, 1, "unknown transport"},
		{"bad lang", []string{"--check-config", "--listen", "inet::1", "--lang", "fr"}, nil, 1, "--lang"},
		{"bad mode", []string{"--check-config", "--listen", "inet::1", "--socket-mode", "999"}, nil, 1, "--socket-mode"},
		{"bad owner", []string{"--check-config", "--listen", "inet::1", "--socket-owner", "no-such-user-bn"}, nil, 1, "socket owner"},
		{"bad log format", []string{"--check-config", "--listen", "inet::1", "--log-format", "xml"}, nil, 1, "--log-format"},
		{"bad size env", []string{"--check-config"}, map[string]string{"BOUNCENOTE_MAX_BODY": "lots"}, 2, "BOUNCENOTE_MAX_BODY"},
		{"zero sessions", []string{"--check-config", "--listen", "inet::1", "--max-sessions", "0"}, nil, 1, "positive"},
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
	ready := make(chan net.Addr, 1)
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
