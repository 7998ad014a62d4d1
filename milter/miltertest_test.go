package milter_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/internal/testmsg"
)

// TestMiltertest runs examples/postfix/miltertest.lua in OpenDKIM's
// miltertest, an independent milter client, against the binary in
// --headers-only mode.
func TestMiltertest(t *testing.T) {
	requireE2E(t, "miltertest")
	dir := t.TempDir()
	bin := buildBouncenote(t, dir)
	addr := testmsg.FreeTCP(t)
	host, port, _ := strings.Cut(addr, ":")
	milter := exec.Command(bin, "milter", "--listen", "inet:"+addr, "--headers-only")
	var log bytes.Buffer
	milter.Stdout, milter.Stderr = &log, &log
	if err := milter.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		milter.Process.Signal(syscall.SIGTERM)
		if err := milter.Wait(); err != nil {
			t.Errorf("milter exit: %v\n%s", err, log.String())
		}
	}()
	waitPort(t, addr)

	sample, _ := filepath.Abs("../testdata/corpus/sisimai/bounces/lhost-postfix-02.eml")
	raw, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	exp, err := annotate.Annotate(raw, annotate.Options{HeadersOnly: true})
	if err != nil || !exp.Changed {
		t.Fatalf("annotate does not annotate the sample: %v", err)
	}
	want := map[string]string{}
	for _, f := range exp.AddHeaders {
		want[f.Name] = f.Value
	}
	mt, _ := lookTool("miltertest")
	cmd := exec.Command(mt, "-s", "../examples/postfix/miltertest.lua",
		"-D", "socket=inet:"+port+"@"+host, "-D", "bounce="+sample,
		"-D", "reason="+want["X-Bounce-Reason"], "-D", "status="+want["X-Bounce-Status"])
	done := make(chan struct{})
	var out []byte
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(e2eWait):
		cmd.Process.Kill()
		t.Fatal("miltertest hung")
	}
	oks := len(regexp.MustCompile(`(?m)^ok: `).FindAll(out, -1))
	fails := len(regexp.MustCompile(`(?m)^FAIL: `).FindAll(out, -1))
	t.Logf("miltertest: %d ok, %d failed\n%s", oks, fails, out)
	if err != nil || fails > 0 || oks == 0 || !bytes.Contains(out, []byte("all checks passed")) {
		t.Errorf("miltertest failed: %v\nmilter log:\n%s", err, log.String())
	}
}
