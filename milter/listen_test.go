package milter

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/bouncenote/bouncenote/internal/testmsg"
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

// CheckListen says whether the socket can be created, names the address and
// the cause when it cannot, and leaves everything as it was.
func TestCheckListen(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(dir, "live.sock")
	liveLn, err := net.Listen("unix", live)
	if err != nil {
		t.Fatal(err)
	}
	defer liveLn.Close()
	stale := filepath.Join(dir, "stale.sock")
	staleLn, err := net.Listen("unix", stale)
	if err != nil {
		t.Fatal(err)
	}
	staleLn.(*net.UnixListener).SetUnlinkOnClose(false)
	staleLn.Close()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	free := testmsg.FreeTCP(t)

	unix := func(p string) Address { return Address{Network: "unix", Address: p} }
	tests := []struct {
		name  string
		addr  Address
		cause string // "" when the check passes
		left  string // a path that must be there afterwards, unchanged in kind
	}{
		{"unix socket in a writable directory", unix(filepath.Join(dir, "new.sock")), "", ""},
		{"stale socket", unix(stale), "", stale},
		{"missing directory", unix(filepath.Join(dir, "nope", "m.sock")), "directory " + filepath.Join(dir, "nope") + " does not exist", ""},
		{"directory is a file", unix(filepath.Join(file, "m.sock")), file + " is not a directory", file},
		{"regular file in the way", unix(file), file + " exists and is not a socket", file},
		{"live socket in the way", unix(live), "another process is listening", live},
		{"free port", Address{Network: "tcp", Address: free}, "", ""},
		{"port in use", Address{Network: "tcp", Address: busy.Addr().String()}, "address already in use", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckListen(tc.addr, SocketOptions{Mode: 0o660})
			if tc.cause == "" {
				if err != nil {
					t.Fatalf("CheckListen(%s) = %v, want nil", tc.addr, err)
				}
			} else {
				if !errors.Is(err, ErrListen) || !strings.Contains(err.Error(), tc.addr.String()) || !strings.Contains(err.Error(), tc.cause) {
					t.Fatalf("CheckListen(%s) = %v; want ErrListen naming the address and %q", tc.addr, err, tc.cause)
				}
			}
			if tc.addr.Network == "unix" && tc.left == "" {
				if _, statErr := os.Lstat(tc.addr.Address); !errors.Is(statErr, os.ErrNotExist) {
					t.Errorf("%s left behind (%v)", tc.addr.Address, statErr)
				}
			}
			if tc.left != "" {
				if _, statErr := os.Lstat(tc.left); statErr != nil {
					t.Errorf("%s was removed: %v", tc.left, statErr)
				}
			}
		})
	}
	if b, _ := os.ReadFile(file); string(b) != "keep me" {
		t.Error("regular file was touched")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("directory holds %d entries after the checks, want the 3 made for the test", len(entries))
	}
}

// A directory the user cannot write to is reported; root writes anywhere.
func TestCheckListenReadOnlyDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can create a socket in any directory")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o755)
	err := CheckListen(Address{Network: "unix", Address: filepath.Join(dir, "m.sock")}, SocketOptions{})
	if !errors.Is(err, ErrListen) || !strings.Contains(err.Error(), "cannot create a socket in "+dir) {
		t.Errorf("CheckListen in a read-only directory: %v", err)
	}
}
