package milter

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ErrAddress is wrapped by errors about a --listen address or socket.
var ErrAddress = errors.New("milter: bad listen address")

// ErrListen is wrapped by CheckListen's errors: the socket cannot be
// created. Its text has no package prefix: the message names the address
// and the cause, e.g. "cannot listen on unix:/run/x/m.sock: directory
// /run/x does not exist".
var ErrListen = errors.New("cannot listen")

// Address is a parsed milter socket address in Postfix/Sendmail notation.
type Address struct {
	Network string // "unix" or "tcp"
	Address string // socket path, or host:port
}

func (a Address) String() string {
	if a.Network == "unix" {
		return "unix:" + a.Address
	}
	return "inet:" + a.Address
}

// ParseAddress reads "unix:/path/to.sock", "local:/path", "inet:HOST:PORT",
// "inet:PORT@HOST" (Sendmail's form), "inet6:[HOST]:PORT" or "inet6:PORT@HOST".
func ParseAddress(s string) (Address, error) {
	kind, rest, ok := strings.Cut(s, ":")
	if !ok || rest == "" {
		return Address{}, fmt.Errorf("%w %q: want unix:/path or inet:HOST:PORT", ErrAddress, s)
	}
	switch kind {
	case "unix", "local":
		if !strings.HasPrefix(rest, "/") {
			return Address{}, fmt.Errorf("%w %q: the socket path must be absolute", ErrAddress, s)
		}
		return Address{Network: "unix", Address: rest}, nil
	case "inet", "inet6":
		host, port, err := splitHostPort(rest)
		if err != nil {
			return Address{}, fmt.Errorf("%w %q: %v", ErrAddress, s, err)
		}
		return Address{Network: "tcp", Address: net.JoinHostPort(host, port)}, nil
	}
	return Address{}, fmt.Errorf("%w %q: unknown transport %q (want unix or inet)", ErrAddress, s, kind)
}

func splitHostPort(s string) (host, port string, err error) {
	if p, h, ok := strings.Cut(s, "@"); ok {
		host, port = h, p
	} else if host, port, err = net.SplitHostPort(s); err != nil {
		return "", "", err
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", "", fmt.Errorf("port %q is not a number from 1 to 65535", port)
	}
	return host, port, nil
}

// SocketOptions apply to unix sockets only.
type SocketOptions struct {
	Mode  fs.FileMode // permissions; 0 means 0660
	Owner string      // "user", "user:group", ":group" or numeric ids; "" leaves it
}

// Listen opens a listener on a. For a unix socket a stale socket file left
// by an earlier run is removed first, but only if it is a socket and nobody
// answers on it; then the mode and owner are set.
func Listen(a Address, opts SocketOptions) (net.Listener, error) {
	if a.Network != "unix" {
		return net.Listen(a.Network, a.Address)
	}
	if err := removeStale(a.Address); err != nil {
		return nil, err
	}
	ln, err := net.Listen("unix", a.Address)
	if err != nil {
		return nil, err
	}
	if err := setSocketPerms(a.Address, opts); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// removeStale removes path if it is a socket no process listens on.
func removeStale(path string) error {
	stale, err := occupant(path)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrAddress, err)
	}
	if !stale {
		return nil
	}
	return os.Remove(path)
}

// occupant says what is at a socket path: nothing (false, nil), a stale
// socket nobody answers on (true, nil), or something in the way (an error).
func occupant(path string) (stale bool, err error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if fi.Mode()&fs.ModeSocket == 0 {
		return false, fmt.Errorf("%s exists and is not a socket; not removing it", path)
	}
	if c, dialErr := net.DialTimeout("unix", path, time.Second); dialErr == nil {
		c.Close()
		return false, fmt.Errorf("%s: another process is listening on it", path)
	}
	return true, nil
}

// CheckListen reports whether Listen(a, opts) would succeed now, and
// leaves things as they were. For TCP it binds the port and closes it. For
// a unix socket it checks that the directory exists and that nothing but a
// stale socket is at the path; where nothing is, it creates the socket with
// its mode and owner and removes it again; a stale socket stays, and the
// directory is checked writable with a temporary file. The error wraps
// ErrListen and names the address and the cause.
func CheckListen(a Address, opts SocketOptions) error {
	if err := checkListen(a, opts); err != nil {
		return fmt.Errorf("%w on %s: %w", ErrListen, a, err)
	}
	return nil
}

func checkListen(a Address, opts SocketOptions) error {
	if a.Network != "unix" {
		ln, err := net.Listen(a.Network, a.Address)
		if err != nil {
			return syscallCause(err)
		}
		return ln.Close()
	}
	dir := filepath.Dir(a.Address)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("directory %s does not exist", dir)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	}
	stale, err := occupant(a.Address)
	if err != nil {
		return err
	}
	if stale {
		f, tmpErr := os.CreateTemp(dir, ".bouncenote-check-*")
		if tmpErr != nil {
			return fmt.Errorf("cannot create files in %s: %w", dir, syscallCause(tmpErr))
		}
		f.Close()
		return os.Remove(f.Name())
	}
	ln, err := Listen(a, opts)
	if err != nil {
		return socketCause(dir, a.Address, err)
	}
	return ln.Close() // removes the socket file
}

// socketCause explains why a socket could not be created at path in dir.
func socketCause(dir, path string, err error) error {
	cause := syscallCause(err)
	var pathErr *fs.PathError
	switch {
	case errors.As(err, &pathErr) && (pathErr.Op == "chmod" || pathErr.Op == "lchown"):
		return fmt.Errorf("cannot set the socket's mode or owner: %w", cause)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot create a socket in %s: %w", dir, cause)
	case errors.Is(err, syscall.EINVAL) && len(path) >= 100:
		return fmt.Errorf("the socket path is %d bytes long, more than the system allows: %w", len(path), cause)
	}
	return cause
}

// syscallCause strips what repeats the address from a network error:
// "listen tcp 127.0.0.1:8891: bind: address already in use" gives
// "bind: address already in use".
func syscallCause(err error) error {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Err
	}
	var pathErr *fs.PathError
	if errors.As(err, &pathErr) {
		return fmt.Errorf("%s: %w", pathErr.Op, pathErr.Err)
	}
	return err
}

func setSocketPerms(path string, opts SocketOptions) error {
	mode := opts.Mode
	if mode == 0 {
		mode = 0o660
	}
	if err := os.Chmod(path, mode); err != nil {
		return err
	}
	if opts.Owner == "" {
		return nil
	}
	uid, gid, err := LookupOwner(opts.Owner)
	if err != nil {
		return err
	}
	return os.Lchown(path, uid, gid)
}

// LookupOwner resolves "user", "user:group", ":group" or numeric ids to
// uid and gid; -1 means unchanged.
func LookupOwner(owner string) (uid, gid int, err error) {
	u, g, _ := strings.Cut(owner, ":")
	uid, gid = -1, -1
	if u != "" {
		if uid, err = lookupID(u, func(n string) (string, error) {
			usr, err := user.Lookup(n)
			if err != nil {
				return "", err
			}
			return usr.Uid, nil
		}); err != nil {
			return -1, -1, fmt.Errorf("%w: socket owner %q: %v", ErrAddress, owner, err)
		}
	}
	if g != "" {
		if gid, err = lookupID(g, func(n string) (string, error) {
			grp, err := user.LookupGroup(n)
			if err != nil {
				return "", err
			}
			return grp.Gid, nil
		}); err != nil {
			return -1, -1, fmt.Errorf("%w: socket group %q: %v", ErrAddress, owner, err)
		}
	}
	return uid, gid, nil
}

func lookupID(name string, lookup func(string) (string, error)) (int, error) {
	if n, err := strconv.Atoi(name); err == nil {
		return n, nil
	}
	id, err := lookup(name)
	if err != nil {
		return -1, err
	}
	return strconv.Atoi(id)
}
