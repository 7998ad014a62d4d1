package milter

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in      string
		want    Address
		wantErr bool
	}{
		{"unix:/run/bouncenote/milter.sock", Address{"unix", "/run/bouncenote/milter.sock"}, false},
		{"local:/var/spool/postfix/bouncenote.sock", Address{"unix", "/var/spool/postfix/bouncenote.sock"}, false},
		{"inet:127.0.0.1:8891", Address{"tcp", "127.0.0.1:8891"}, false},
		{"inet:8891@localhost", Address{"tcp", "localhost:8891"}, false},
		{"inet6:[::1]:8891", Address{"tcp", "[::1]:8891"}, false},
		{"inet::8891", Address{"tcp", ":8891"}, false},
		{"unix:relative.sock", Address{}, true},
		{"inet:127.0.0.1", Address{}, true},
		{"inet:127.0.0.1:99999", Address{}, true},
		{"tcp:127.0.0.1:25", Address{}, true},
		{"/run/milter.sock", Address{}, true},
		{"", Address{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseAddress(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Fatalf("ParseAddress(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
			if err != nil && !errors.Is(err, ErrAddress) {
				t.Errorf("error %v does not wrap ErrAddress", err)
			}
		})
	}
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range []string{"unix:/a.sock", "inet:127.0.0.1:1", "inet:1@h", "inet6:[::1]:2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err == nil && a.Network != "unix" && a.Network != "tcp" {
			t.Fatalf("ParseAddress(%q) = %v without error", s, a)
		}
	})
}

func TestListenUnixSocket(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.sock")
	addr := Address{Network: "unix", Address: path}

	// A stale socket (nobody listening) is replaced.
	stale, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	stale.(*net.UnixListener).SetUnlinkOnClose(false)
	stale.Close()
	// Owner: our own ids, which any user may set.
	owner := fmt.Sprintf("%d:%d", os.Getuid(), os.Getgid())
	ln, err := Listen(addr, SocketOptions{Mode: 0o600, Owner: owner})
	if err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("socket %v, %v; want a socket with mode 0600", fi, err)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && (int(st.Uid) != os.Getuid() || int(st.Gid) != os.Getgid()) {
		t.Errorf("socket owner %d:%d, want %s", st.Uid, st.Gid, owner)
	}

	// A live socket is left alone.
	if _, err := Listen(addr, SocketOptions{}); !errors.Is(err, ErrAddress) {
		t.Errorf("listening over a live socket: %v, want ErrAddress", err)
	}
	ln.Close()

	// A file that is not a socket is never removed.
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(Address{Network: "unix", Address: file}, SocketOptions{}); !errors.Is(err, ErrAddress) {
		t.Errorf("listening over a regular file: %v, want ErrAddress", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "keep me" {
		t.Error("regular file was touched")
	}
}

func TestLookupOwner(t *testing.T) {
	tests := []struct {
		in       string
		uid, gid int
		wantErr  bool
	}{
		{"0", 0, -1, false},
		{":0", -1, 0, false},
		{"root:root", 0, 0, false},
		{"no-such-user-bouncenote", -1, -1, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			uid, gid, err := LookupOwner(tc.in)
			if (err != nil) != tc.wantErr || (err == nil && (uid != tc.uid || gid != tc.gid)) {
				t.Errorf("LookupOwner(%q) = %d, %d, %v", tc.in, uid, gid, err)
			}
		})
	}
}

func ExampleParseAddress() {
	for _, s := range []string{"unix:/run/bouncenote/milter.sock", "inet:127.0.0.1:8891", "inet:8891@localhost"} {
		a, err := ParseAddress(s)
		fmt.Println(a.Network, a.Address, err)
	}
	// Output:
	// unix /run/bouncenote/milter.sock <nil>
	// tcp 127.0.0.1:8891 <nil>
	// tcp localhost:8891 <nil>
}
