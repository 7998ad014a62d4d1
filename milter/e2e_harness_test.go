package milter_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bouncenote/bouncenote/internal/testmsg"
)

// The end-to-end test drives a private Postfix instance through the real
// bouncenote binary. It runs when BOUNCENOTE_E2E=1; it needs root, Postfix
// and a Go toolchain. With CI=true a missing tool is a failure, otherwise
// the test is skipped with the reason.
const (
	e2eEnv      = "BOUNCENOTE_E2E"
	e2eDomain   = "virt.test" // virtual mailbox domain: the test's mailboxes
	e2eHostname = "e2e.test"  // Postfix's own name; local(8) domain, no users
	e2eWait     = 60 * time.Second
)

// postfixInstance is a private Postfix plus the milter it talks to.
type postfixInstance struct {
	milterProc
	dir       string // everything lives here
	conf      string // config_directory
	smtpAddr  string
	mailboxes []string
}

// milterProc is the bouncenote milter process an MTA under test talks to;
// the Postfix and the Sendmail end-to-end tests share it.
type milterProc struct {
	t          *testing.T
	bin        string // bouncenote binary
	milterAddr string
	milter     *exec.Cmd
	milterExit chan error
	milterLog  string
}

// requireE2E skips or fails when the end-to-end test cannot run here.
func requireE2E(t *testing.T, tools ...string) {
	t.Helper()
	if os.Getenv(e2eEnv) != "1" {
		t.Skipf("set %s=1 to run the end-to-end tests (need root, postfix, miltertest)", e2eEnv)
	}
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root (postfix -c DIR start)")
	}
	for _, tool := range tools {
		if _, err := lookTool(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if _, err := goTool(); err != nil {
		missing = append(missing, "go")
	}
	if len(missing) == 0 {
		return
	}
	msg := "end-to-end test cannot run, missing: " + strings.Join(missing, ", ") +
		" (apt-get install postfix miltertest; see .ci/run)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// lookTool finds a program in PATH or in the sbin directories.
func lookTool(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	for _, d := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found", name)
}

// goTool finds the go command; `go test` puts GOROOT/bin first in PATH.
func goTool() (string, error) {
	return exec.LookPath("go")
}

// newPostfix builds the binary, writes the configuration, starts the milter
// and Postfix, and stops both when the test ends.
func newPostfix(t *testing.T, mailboxes []string) *postfixInstance {
	t.Helper()
	dir, err := os.MkdirTemp("", "bouncenote-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	// Postfix's daemons (user postfix) and virtual(8) (nobody) go through it.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := &postfixInstance{dir: dir, conf: filepath.Join(dir, "etc"), mailboxes: mailboxes,
		smtpAddr: testmsg.FreeTCP(t), milterProc: newMilterProc(t, dir)}
	t.Cleanup(p.cleanup)
	p.writeConfig()
	p.startMilter()
	p.postfix("start")
	waitPort(t, p.smtpAddr)
	return p
}

func (p *postfixInstance) cleanup() {
	p.postfix("stop")
	p.stopMilter(syscall.SIGKILL)
	if p.t.Failed() {
		p.t.Logf("kept %s for inspection; last lines of the mail log:\n%s", p.dir, tail(filepath.Join(p.dir, "maillog"), 40))
		p.t.Logf("last lines of the milter log:\n%s", tail(p.milterLog, 20))
		return
	}
	os.RemoveAll(p.dir)
}

func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// newMilterProc builds the bouncenote binary into dir; startMilter runs it.
func newMilterProc(t *testing.T, dir string) milterProc {
	return milterProc{t: t, bin: buildBouncenote(t, dir), milterAddr: testmsg.FreeTCP(t),
		milterLog: filepath.Join(dir, "milter.log")}
}

// buildBouncenote builds the bouncenote binary into dir.
func buildBouncenote(t *testing.T, dir string) string {
	t.Helper()
	gobin, err := goTool()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bouncenote")
	cmd := exec.Command(gobin, "build", "-o", bin, "github.com/bouncenote/bouncenote/cmd/bouncenote")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func (p *postfixInstance) run(name string, args ...string) string {
	p.t.Helper()
	path, err := lookTool(name)
	if err != nil {
		p.t.Fatal(err)
	}
	out, err := exec.Command(path, args...).CombinedOutput()
	if err != nil {
		p.t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (p *postfixInstance) postfix(verb string) {
	path, err := lookTool("postfix")
	if err != nil {
		return
	}
	out, err := exec.Command(path, "-c", p.conf, verb).CombinedOutput()
	if err != nil && verb == "start" {
		p.t.Fatalf("postfix -c %s start: %v\n%s\n%s", p.conf, err, out, tail(filepath.Join(p.dir, "maillog"), 30))
	}
}

// writeConfig writes main.cf, master.cf and the mailbox map.
func (p *postfixInstance) writeConfig() {
	for _, d := range []string{p.conf, "queue", "data", "vmail"} {
		if !filepath.IsAbs(d) {
			d = filepath.Join(p.dir, d)
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			p.t.Fatal(err)
		}
	}
	// data_directory must belong to mail_owner; virtual(8) delivers as nobody.
	p.run("chown", "postfix", filepath.Join(p.dir, "data"))
	p.run("chown", "65534:65534", filepath.Join(p.dir, "vmail"))
	var vm strings.Builder
	for _, b := range p.mailboxes {
		fmt.Fprintf(&vm, "%s@%s %s/\n", b, e2eDomain, b)
	}
	p.write("vmailbox", vm.String())
	p.write("etc/main.cf", p.mainCF())
	p.write("etc/master.cf", p.masterCF())
	// No chroot: the private queue directory has no chroot files.
	p.run("postconf", "-c", p.conf, "-F", "*/*/chroot = n")
}

func (p *postfixInstance) write(rel, content string) {
	if err := os.WriteFile(filepath.Join(p.dir, rel), []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *postfixInstance) mainCF() string {
	milter := "inet:" + p.milterAddr
	return strings.NewReplacer("DIR", p.dir, "MILTER", milter, "HOST", e2eHostname, "VDOMAIN", e2eDomain).Replace(`
compatibility_level = 3.6
queue_directory = DIR/queue
data_directory = DIR/data
meta_directory = /etc/postfix
mail_owner = postfix
myhostname = HOST
mydomain = HOST
myorigin = $myhostname
mydestination = $myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
maillog_file_prefixes = DIR
maillog_file = DIR/maillog
alias_maps =
alias_database =
# Accept mail for unknown local users, so that local(8) bounces it: (b).
local_recipient_maps =
# Keep the messages as sent: no header rewriting.
local_header_rewrite_clients =
biff = no
default_transport = error:5.7.1 no outbound mail from the test instance
virtual_mailbox_domains = VDOMAIN
virtual_mailbox_base = DIR/vmail
virtual_mailbox_maps = texthash:DIR/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
smtpd_milters = MILTER
non_smtpd_milters = MILTER
internal_mail_filter_classes = bounce
milter_default_action = accept
milter_protocol = 6
milter_connect_timeout = 5s
`)
}

// masterCF is the system master.cf with the SMTP service on the test port.
func (p *postfixInstance) masterCF() string {
	b, err := os.ReadFile("/etc/postfix/master.cf")
	if err != nil {
		p.t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "smtp" && f[1] == "inet" {
			line = p.smtpAddr + " inet n - n - - smtpd"
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func waitPort(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(e2eWait)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nothing listens on %s after %s", addr, e2eWait)
}

// startMilter runs the bouncenote binary; extra are more options.
func (p *milterProc) startMilter(extra ...string) {
	p.t.Helper()
	logf, err := os.OpenFile(p.milterLog, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		p.t.Fatal(err)
	}
	args := append([]string{"milter", "--listen", "inet:" + p.milterAddr, "--log-format", "json"}, extra...)
	cmd := exec.Command(p.bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	logf.Close()
	p.milter, p.milterExit = cmd, make(chan error, 1)
	go func() { p.milterExit <- cmd.Wait() }()
	waitPort(p.t, p.milterAddr)
}

// stopMilter sends sig and waits for the process; it returns its error.
func (p *milterProc) stopMilter(sig syscall.Signal) error {
	if p.milter == nil {
		return nil
	}
	p.milter.Process.Signal(sig)
	defer func() { p.milter = nil }()
	select {
	case err := <-p.milterExit:
		return err
	case <-time.After(e2eWait):
		p.milter.Process.Kill()
		return errors.New("milter did not exit")
	}
}

// send submits msg over SMTP; from "" is MAIL FROM:<>.
func (p *postfixInstance) send(from string, to []string, msg []byte) error {
	return smtpSend(p.smtpAddr, from, to, msg)
}

// smtpSend submits msg to the SMTP server at addr; from "" is MAIL FROM:<>.
// It sends an unknown command before MAIL and before DATA, as real clients
// sometimes do.
func smtpSend(addr, from string, to []string, msg []byte) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("client.e2e.test"); err != nil {
		return err
	}
	// An unknown command first, as real clients sometimes send: Postfix
	// reports it to milters (SMFIC_UNKNOWN) unless they opted out.
	if err := unknownCommand(c); err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return err
		}
	}
	if err := unknownCommand(c); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	// The DATA writer turns LF into CRLF and dot-stuffs.
	if _, err := w.Write(lf(msg)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// unknownCommand sends a command Postfix does not know and expects 5xx.
func unknownCommand(c *smtp.Client) error {
	id, err := c.Text.Cmd("XSTRANGE")
	if err != nil {
		return err
	}
	c.Text.StartResponse(id)
	defer c.Text.EndResponse(id)
	if _, _, err := c.Text.ReadResponse(5); err != nil {
		return fmt.Errorf("reply to an unknown command: %w", err)
	}
	return nil
}

// waitMail polls a mailbox until it holds n messages and returns them,
// oldest first.
func (p *postfixInstance) waitMail(box string, n int) [][]byte {
	p.t.Helper()
	return waitMaildir(p.t, filepath.Join(p.dir, "vmail", box, "new"), n, func() string {
		return "mail log:\n" + tail(filepath.Join(p.dir, "maillog"), 25)
	})
}

// waitMaildir polls a Maildir's new/ directory until it holds n messages
// and returns them, oldest first; diag tells what went wrong if not.
func waitMaildir(t *testing.T, dir string, n int, diag func() string) [][]byte {
	t.Helper()
	deadline := time.Now().Add(e2eWait)
	for {
		names, _ := filepath.Glob(filepath.Join(dir, "*"))
		if len(names) >= n || time.Now().After(deadline) {
			if len(names) < n {
				t.Fatalf("mailbox %s: %d message(s) after %s, want %d; %s", dir, len(names), e2eWait, n, diag())
			}
			sort.Strings(names) // Maildir names start with the delivery time
			var out [][]byte
			for _, name := range names {
				b, err := os.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, b)
			}
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// lf turns CRLF into LF.
func lf(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")) }

// e2eStep is one checked step of an end-to-end test against an MTA lab L.
type e2eStep[L any] struct {
	name string
	run  func(*testing.T, L)
}

// runE2ESteps runs each step as a subtest against lab and prints the
// closing line "label: N passed, M failed".
func runE2ESteps[L any](t *testing.T, label string, lab L, steps []e2eStep[L]) {
	t.Helper()
	passed, failed := 0, 0
	for _, s := range steps {
		if t.Run(s.name, func(t *testing.T) { s.run(t, lab) }) {
			passed++
		} else {
			failed++
		}
	}
	summary := fmt.Sprintf("%s: %d passed, %d failed", label, passed, failed)
	fmt.Println(summary)
	t.Log(summary)
}
