package milter_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bouncenote/bouncenote/internal/testmsg"
)

// The Sendmail end-to-end test (issue 14) runs two private Sendmail
// daemons, built from the unpacked Debian packages, inside the network
// namespace examples/sendmail/e2e.sh makes (loopback only, so no lookup or
// connection can leave the machine):
//
//   - mx (smHostname): the server under test. Its mc holds the
//     INPUT_MAIL_FILTER line of examples/sendmail/bouncenote.mc, pointed at
//     the test's milter; its local mailer keeps mail in Maildir-style boxes.
//   - relay (smRelayHostname): a Sendmail without the milter whose local
//     users named nosuch* do not exist. It writes the DSN for them and
//     relays it over SMTP to mx.
//
// QUIRK: Sendmail passes only mail that arrives over SMTP through its
// milters, never the DSNs it writes itself (unlike Postfix's
// internal_mail_filter_classes = bounce), so "Sendmail's own DSN" reaches
// the milter the way it does in practice: written by one Sendmail,
// received over SMTP by another.
const (
	smHostname      = "mx.e2e.test"
	smRelayHostname = "relay.e2e.test"
	smRemoteDomain  = "remote.e2e.test" // relay's local domain
	smRootEnv       = "BOUNCENOTE_SENDMAIL_ROOT"
	smMC            = "../examples/sendmail/bouncenote.mc"
	smMCMilterAddr  = "inet:8891@127.0.0.1" // the address in smMC
)

// TestSendmailE2E proves, through a real Sendmail, that (a) bounces
// arriving over SMTP are annotated like the CLI does, (b) a DSN Sendmail
// writes arrives annotated, (c) ordinary mail arrives unchanged, forged
// X-Bounce-* fields are deleted and a 5 MB bounce gets its whole body
// replaced, (d) with the milter down mail still flows
// (no F=R/F=T: accept), and (e) the milter, restarted with --lang zh-CN,
// annotates again, re-encoding the text part.
// (Checked by hand, not here: a DSN that mx writes to one of its own users
// arrives unannotated, as the README says.)
func TestSendmailE2E(t *testing.T) {
	root := requireSendmailE2E(t)
	dir, err := os.MkdirTemp("", "bouncenote-sendmail-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	// The local mailer runs as Sendmail's default user and must reach
	// deliver and boxes/.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mp := newMilterProc(t, dir)
	mxAddr, relayAddr := testmsg.FreeTCP(t), testmsg.FreeTCP(t)
	mx := &sendmailInstance{t: t, root: root, dir: filepath.Join(dir, "mx"), host: smHostname,
		localDomain: e2eDomain, smtpAddr: mxAddr, nextHop: relayAddr, milter: milterLine(t, mp.milterAddr)}
	relay := &sendmailInstance{t: t, root: root, dir: filepath.Join(dir, "relay"), host: smRelayHostname,
		localDomain: smRemoteDomain, smtpAddr: relayAddr, nextHop: mxAddr}
	t.Cleanup(func() {
		relay.stop()
		mx.stop()
		mp.stopMilter(syscall.SIGKILL)
		if t.Failed() {
			t.Logf("kept %s for inspection; last lines of the milter log:\n%s", dir, tail(mp.milterLog, 20))
			return
		}
		os.RemoveAll(dir)
	})
	mp.startMilter()
	mx.start()
	relay.start()
	runE2ESteps(t, "sendmail-e2e", &sendmailLab{mx: mx, relay: relay, milter: &mp}, []e2eStep[*sendmailLab]{
		{"a_smtp_bounces_annotated", testSendmailSMTPBounces},
		{"b_sendmail_dsn_annotated", testSendmailDSN},
		{"c_ordinary_mail_untouched", testSendmailOrdinary},
		{"c_forged_fields_deleted", testSendmailForged},
		{"c_5MB_bounce_body_replaced", testSendmailBigBounce},
		{"d_milter_down_mail_flows", testSendmailMilterDown},
		{"e_milter_restarted_annotates", testSendmailMilterRestart},
	})
}

// sendmailLab is what the Sendmail steps work with.
type sendmailLab struct {
	mx, relay *sendmailInstance
	milter    *milterProc
}

func testSendmailSMTPBounces(t *testing.T, lab *sendmailLab) {
	mx := lab.mx
	for _, s := range e2eSamples {
		t.Run(s.box, func(t *testing.T) {
			raw := readSample(t, s.file)
			if err := smtpSend(mx.smtpAddr, "", []string{s.box + "@" + e2eDomain}, raw); err != nil {
				t.Fatal(err)
			}
			checkLikeCLI(t, mx.waitMail(t, s.box, 1)[0], raw)
		})
	}
}

// testSendmailDSN has relay write a DSN for a user it does not have; the
// DSN reaches mx over SMTP and must arrive annotated.
func testSendmailDSN(t *testing.T, lab *sendmailLab) {
	mx, relay, mp := lab.mx, lab.relay, lab.milter
	rcpt := "nosuchuser@" + smRemoteDomain
	msg := "From: dsn@" + e2eDomain + "\nTo: " + rcpt + "\nSubject: hello\n\nThis goes to a user who does not exist.\n"
	if err := smtpSend(relay.smtpAddr, "dsn@"+e2eDomain, []string{rcpt}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	got := stripTrace(lf(mx.waitMail(t, "dsn", 1)[0]))
	if !bytes.Contains(got, []byte("Reporting-MTA: dns; "+smRelayHostname)) {
		t.Errorf("the DSN was not written by the relay Sendmail:\n%s", firstLines(got, 40))
	}
	// The local mailer exits EX_NOUSER: Sendmail reports 550 5.1.1.
	checkOwnBounce(t, got, rcpt, mp.milterLog, "dsn@"+e2eDomain)
}

func testSendmailOrdinary(t *testing.T, lab *sendmailLab) {
	mx := lab.mx
	raw, err := os.ReadFile(ordinarySample)
	if err != nil {
		t.Fatal(err)
	}
	if err := smtpSend(mx.smtpAddr, "someone@example.org", []string{"ordinary@" + e2eDomain}, raw); err != nil {
		t.Fatal(err)
	}
	checkUntouched(t, mx.waitMail(t, "ordinary", 1)[0], raw)
}

// testSendmailForged sends ordinary mail with X-Bounce-* fields: the
// milter's deletions (smfi_chgheader by name and index) must remove exactly
// those through Sendmail.
func testSendmailForged(t *testing.T, lab *sendmailLab) {
	mx := lab.mx
	raw, forged := forgedSample(t)
	if err := smtpSend(mx.smtpAddr, "someone@example.org", []string{"forged@" + e2eDomain}, forged); err != nil {
		t.Fatal(err)
	}
	checkForgedDeleted(t, mx.waitMail(t, "forged", 1)[0], raw)
}

// testSendmailBigBounce sends a 5 MB bounce: Sendmail gets the whole
// replaced body back from the milter in chunks (SMFIR_REPLBODY).
func testSendmailBigBounce(t *testing.T, lab *sendmailLab) {
	mx := lab.mx
	raw := bigBounce(t)
	if err := smtpSend(mx.smtpAddr, "", []string{"big@" + e2eDomain}, raw); err != nil {
		t.Fatal(err)
	}
	got := mx.waitMail(t, "big", 1)[0]
	if len(got) < 5<<20 {
		t.Fatalf("delivered %d bytes, want more than 5 MB", len(got))
	}
	checkLikeCLI(t, got, raw)
}

// testSendmailMilterDown kills the milter: with no F=R or F=T in
// bouncenote.mc, Sendmail carries on without it.
func testSendmailMilterDown(t *testing.T, lab *sendmailLab) {
	mx, mp := lab.mx, lab.milter
	if err := mp.stopMilter(syscall.SIGKILL); err == nil {
		t.Fatal("killed milter exited with status 0")
	}
	ordinary, err := os.ReadFile(ordinarySample)
	if err != nil {
		t.Fatal(err)
	}
	if err := smtpSend(mx.smtpAddr, "someone@example.org", []string{"down@" + e2eDomain}, ordinary); err != nil {
		t.Fatalf("ordinary mail refused with the milter down: %v", err)
	}
	checkUntouched(t, mx.waitMail(t, "down", 1)[0], ordinary)
	bounce := readSample(t, e2eSamples[0].file)
	if err := smtpSend(mx.smtpAddr, "", []string{"downbounce@" + e2eDomain}, bounce); err != nil {
		t.Fatalf("bounce refused with the milter down: %v", err)
	}
	checkUntouched(t, mx.waitMail(t, "downbounce", 1)[0], bounce)
}

// testSendmailMilterRestart restarts the milter in Chinese: the Gmail
// sample's ISO-8859-1 text part cannot carry Chinese, so the milter also
// replaces Content-Type and adds Content-Transfer-Encoding through Sendmail.
func testSendmailMilterRestart(t *testing.T, lab *sendmailLab) {
	mx, mp := lab.mx, lab.milter
	mp.startMilter("--lang", "zh-CN")
	raw := readSample(t, e2eSamples[0].file)
	if err := smtpSend(mx.smtpAddr, "", []string{"restart@" + e2eDomain}, raw); err != nil {
		t.Fatal(err)
	}
	checkLikeCLILang(t, mx.waitMail(t, "restart", 1)[0], raw, "zh-CN")
}

// requireSendmailE2E skips or fails (CI=true) when the test cannot run
// here, and returns the root of the unpacked Sendmail packages.
func requireSendmailE2E(t *testing.T) string {
	t.Helper()
	requireE2E(t)
	var missing []string
	root, err := sendmailRoot()
	if err != nil {
		missing = append(missing, err.Error())
	}
	for _, tool := range []string{"m4", "unshare"} {
		if _, err := lookTool(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if err := loopbackOnly(); err != nil {
		missing = append(missing, err.Error())
	}
	if len(missing) == 0 {
		return root
	}
	msg := "Sendmail end-to-end test cannot run: " + strings.Join(missing, "; ") +
		" (run examples/sendmail/e2e.sh [--install])"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// sendmailRoot finds the Sendmail tree: $BOUNCENOTE_SENDMAIL_ROOT (the
// packages unpacked by testdata/mta/sendmail/unpack.sh) or the system.
func sendmailRoot() (string, error) {
	roots := []string{"/"}
	if r := os.Getenv(smRootEnv); r != "" {
		roots = []string{r}
	}
	for _, r := range roots {
		if _, err := sendmailBinary(r); err == nil {
			if _, err := os.Stat(filepath.Join(r, "usr/share/sendmail/cf/m4/cf.m4")); err == nil {
				return r, nil
			}
		}
	}
	return "", fmt.Errorf("no sendmail and sendmail-cf under %s (set %s)", strings.Join(roots, ", "), smRootEnv)
}

// sendmailBinary is the real sendmail binary under root (Debian's
// /usr/sbin/sendmail is a wrapper).
func sendmailBinary(root string) (string, error) {
	for _, p := range []string{"usr/libexec/sendmail/sendmail", "usr/lib/sm.bin/sendmail"} {
		p = filepath.Join(root, p)
		if fi, err := os.Stat(p); err == nil && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", errors.New("no sendmail binary")
}

// loopbackOnly reports an error unless this process runs in a network
// namespace with loopback interfaces only, where nothing can leave the
// machine whatever Sendmail tries to resolve or reach.
func loopbackOnly() error {
	ifs, err := net.Interfaces()
	if err != nil {
		return err
	}
	for _, i := range ifs {
		if i.Flags&net.FlagLoopback == 0 {
			return fmt.Errorf("network interface %s is not loopback (not in an isolated network namespace)", i.Name)
		}
	}
	return nil
}

// milterLine returns the INPUT_MAIL_FILTER line of examples/sendmail/
// bouncenote.mc with the milter address replaced by addr, so that the file
// and the test cannot drift apart.
func milterLine(t *testing.T, addr string) string {
	t.Helper()
	b, err := os.ReadFile(smMC)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "INPUT_MAIL_FILTER(") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], smMCMilterAddr) {
		t.Fatalf("%s: want one INPUT_MAIL_FILTER line with S=%s, have %q", smMC, smMCMilterAddr, lines)
	}
	host, port, _ := strings.Cut(addr, ":")
	return strings.Replace(lines[0], smMCMilterAddr, "inet:"+port+"@"+host, 1)
}

// sendmailInstance is one private Sendmail daemon.
type sendmailInstance struct {
	t           *testing.T
	root        string // unpacked packages
	dir         string // configuration, queue, boxes
	host        string // $j, and the host name in its UTS namespace
	localDomain string
	smtpAddr    string
	nextHop     string // SMART_HOST for every other domain
	milter      string // INPUT_MAIL_FILTER line, or ""
	cmd         *exec.Cmd
}

// smMCTemplate is the test instances' mc. No DNS: hosts come from the
// instance's own hosts file (service.switch), mail for other domains goes
// to the SMART_HOST on loopback. The local mailer (deliver) adds no header
// but Return-Path (no D, F, M flags) and converts nothing (no 9 flag).
const smMCTemplate = "divert(-1)\n" +
	"dnl Private Sendmail for the bouncenote end-to-end test.\n" +
	"divert(0)dnl\n" +
	"VERSIONID(`bouncenote e2e')dnl\n" +
	"OSTYPE(`linux')dnl\n" +
	"define(`confDOMAIN_NAME', `@HOST@')dnl\n" +
	"define(`ALIAS_FILE', `@DIR@/aliases')dnl\n" +
	"dnl QUIRK: the directory is under the world-writable /tmp; it has the sticky bit.\n" +
	"define(`confDONT_BLAME_SENDMAIL', `TrustStickyBit')dnl\n" +
	"define(`HELP_FILE', `')dnl\n" +
	"define(`QUEUE_DIR', `@DIR@/queue')dnl\n" +
	"define(`STATUS_FILE', `@DIR@/statistics')dnl\n" +
	"define(`confPID_FILE', `@DIR@/sendmail.pid')dnl\n" +
	"define(`confSERVICE_SWITCH_FILE', `@DIR@/service.switch')dnl\n" +
	"define(`confHOSTS_FILE', `@DIR@/hosts')dnl\n" +
	"define(`confDONT_PROBE_INTERFACES', `True')dnl\n" +
	"define(`confBIND_OPTS', `-DNSRCH -DEFNAMES')dnl\n" +
	"define(`confDELIVERY_MODE', `background')dnl\n" +
	"dnl QUIRK: on a busy machine Sendmail would only queue mail.\n" +
	"define(`confQUEUE_LA', `1000')dnl\n" +
	"define(`confREFUSE_LA', `1000')dnl\n" +
	"define(`LOCAL_MAILER_PATH', `@DIR@/deliver')dnl\n" +
	"define(`LOCAL_MAILER_ARGS', `deliver $u')dnl\n" +
	"define(`LOCAL_MAILER_FLAGS', `Pn')dnl\n" +
	"MODIFY_MAILER_FLAGS(`LOCAL', `-wDFM')dnl\n" +
	"define(`SMART_HOST', `esmtp:[@NEXTHOST@]')dnl\n" +
	"define(`ESMTP_MAILER_ARGS', `TCP $h @NEXTPORT@')dnl\n" +
	"FEATURE(`nocanonify')dnl\n" +
	"FEATURE(`no_default_msa')dnl\n" +
	"FEATURE(`accept_unresolvable_domains')dnl\n" +
	"LOCAL_DOMAIN(`@LOCALDOMAIN@')dnl\n" +
	"DAEMON_OPTIONS(`Port=@PORT@, Addr=@ADDR@, Name=MTA')dnl\n" +
	"@MILTER@\n" +
	"MAILER(`local')dnl\n" +
	"MAILER(`smtp')dnl\n"

// smDeliver is the local mailer: one file per message in
// boxes/USER/new, written in boxes/USER/tmp first; users named nosuch* do
// not exist (EX_NOUSER, which Sendmail reports as 550 5.1.1).
const smDeliver = `#!/bin/sh
case "$1" in nosuch*) echo "$1: no such user here" >&2; exit 67;; esac
d=@DIR@/boxes/$1
mkdir -p "$d/tmp" "$d/new" || exit 75
f=$(date +%s%N).$$
cat >"$d/tmp/$f" && mv "$d/tmp/$f" "$d/new/$f"
`

// start writes the configuration, builds sendmail.cf and the alias
// database and runs the daemon in a UTS namespace whose host name is
// s.host: Sendmail otherwise waits a minute at start for a host name it
// cannot qualify.
func (s *sendmailInstance) start() {
	s.t.Helper()
	for _, d := range []string{"queue", "boxes"} {
		if err := os.MkdirAll(filepath.Join(s.dir, d), 0o700); err != nil {
			s.t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(s.dir, "boxes"), 0o1777); err != nil {
		s.t.Fatal(err)
	}
	if err := os.Chmod(s.dir, 0o755); err != nil {
		s.t.Fatal(err)
	}
	host, port, _ := strings.Cut(s.smtpAddr, ":")
	nextHost, nextPort, _ := strings.Cut(s.nextHop, ":")
	mc := strings.NewReplacer("@DIR@", s.dir, "@LOCALDOMAIN@", s.localDomain, "@HOST@", s.host,
		"@NEXTHOST@", nextHost, "@NEXTPORT@", nextPort, "@PORT@", port, "@ADDR@", host, "@MILTER@", s.milter).Replace(smMCTemplate)
	s.write("sendmail.mc", mc, 0o644)
	s.write("deliver", strings.ReplaceAll(smDeliver, "@DIR@", s.dir), 0o755)
	s.write("aliases", "postmaster: root\nMAILER-DAEMON: postmaster\n", 0o644)
	s.write("service.switch", "hosts files\naliases files\n", 0o644)
	s.write("hosts", "127.0.0.1 "+s.host+" localhost\n", 0o644)
	cf := filepath.Join(s.root, "usr/share/sendmail/cf")
	out, err := exec.Command("m4", "-D_CF_DIR_="+cf+"/", filepath.Join(cf, "m4/cf.m4"), filepath.Join(s.dir, "sendmail.mc")).Output()
	if err != nil {
		s.t.Fatalf("m4 sendmail.mc: %v", err)
	}
	s.write("sendmail.cf", string(out), 0o644)
	if out, err := s.command("-bi").CombinedOutput(); err != nil {
		s.t.Fatalf("sendmail -bi: %v\n%s", err, out)
	}
	s.cmd = s.command("-bD", "-q5s")
	s.cmd.Stdout, s.cmd.Stderr = nil, nil
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	waitPort(s.t, s.smtpAddr)
}

// command runs this instance's sendmail with args in its UTS namespace.
func (s *sendmailInstance) command(args ...string) *exec.Cmd {
	bin, err := sendmailBinary(s.root)
	if err != nil {
		s.t.Fatal(err)
	}
	unshare, err := lookTool("unshare")
	if err != nil {
		s.t.Fatal(err)
	}
	script := `hostname "$0" && exec "$@"`
	argv := append([]string{"--uts", "sh", "-c", script, s.host, bin, "-C", filepath.Join(s.dir, "sendmail.cf")}, args...)
	return exec.Command(unshare, argv...)
}

func (s *sendmailInstance) write(name, content string, mode os.FileMode) {
	if err := os.WriteFile(filepath.Join(s.dir, name), []byte(content), mode); err != nil {
		s.t.Fatal(err)
	}
}

// stop ends the daemon and the children it forked.
func (s *sendmailInstance) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	s.cmd = nil
}

// waitMail waits for n messages in a local user's box.
func (s *sendmailInstance) waitMail(t *testing.T, box string, n int) [][]byte {
	t.Helper()
	return waitMaildir(t, filepath.Join(s.dir, "boxes", box, "new"), n, func() string {
		qf, _ := filepath.Glob(filepath.Join(s.dir, "queue", "qf*"))
		return fmt.Sprintf("%d message(s) still in %s's queue", len(qf), s.host)
	})
}

// TestSendmailMCFailsOpen checks, without Sendmail, the line the
// end-to-end test uses: one INPUT_MAIL_FILTER in use, with timeouts for
// sending to the filter and reading its replies, and no F= flag (F=R
// would reject, F=T tempfail all mail while bouncenote is down).
func TestSendmailMCFailsOpen(t *testing.T) {
	line := milterLine(t, "127.0.0.1:8891")
	args := strings.TrimSuffix(strings.TrimPrefix(line, "INPUT_MAIL_FILTER(`bouncenote', `"), "')dnl")
	if args == line {
		t.Fatalf("not a bouncenote INPUT_MAIL_FILTER line: %q", line)
	}
	timeouts := map[string]bool{}
	for _, eq := range strings.Split(args, ", ") {
		key, val, _ := strings.Cut(eq, "=")
		switch key {
		case "F":
			t.Errorf("F=%s: with it Sendmail rejects or tempfails mail while the milter is down", val)
		case "T":
			for _, tv := range strings.Split(val, ";") {
				name, d, _ := strings.Cut(tv, ":")
				if _, err := time.ParseDuration(d); err != nil {
					t.Errorf("T=%s: %s: %v", val, name, err)
				}
				timeouts[name] = true
			}
		}
	}
	for _, name := range []string{"S", "R", "E"} {
		if !timeouts[name] {
			t.Errorf("no %s timeout in %q", name, line)
		}
	}
}
