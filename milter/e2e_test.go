package milter_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/dsn"
)

// e2eSamples are the corpus bounces sent over SMTP with MAIL FROM:<>.
var e2eSamples = []struct{ box, file string }{
	{"gmail", "lhost-gmail-01.eml"},
	{"exchange", "lhost-exchange2007-01.eml"},
	{"office365", "lhost-office365-03.eml"},
	{"postfix", "lhost-postfix-02.eml"},
}

const ordinarySample = "../testdata/corpus/normal/enmime/mail-mime-alternative.raw"

// TestPostfixE2E proves, through a real Postfix, that (a) bounces arriving
// over SMTP are annotated with everything else intact, (b) bounces Postfix
// writes itself are annotated, (c) ordinary mail is untouched but for
// forged X-Bounce-* fields, which are deleted, (d) a 5 MB
// bounce gets its whole body replaced, (e) mail flows with the milter down
// and (f) the milter restarts cleanly.
func TestPostfixE2E(t *testing.T) {
	requireE2E(t, "postfix", "postconf", "swaks")
	boxes := []string{"sender", "ordinary", "forged", "big", "down", "downbounce", "restart", "overmax", "swaks"}
	for _, s := range e2eSamples {
		boxes = append(boxes, s.box)
	}
	p := newPostfix(t, boxes)
	runE2ESteps(t, "e2e", p, []e2eStep[*postfixInstance]{
		{"a_smtp_bounces_annotated", testSMTPBounces},
		{"b_postfix_bounce_annotated", testOwnBounce},
		{"c_ordinary_mail_untouched", testOrdinary},
		{"c_forged_fields_deleted", testForged},
		{"d_5MB_bounce_body_replaced", testBigBounce},
		{"e_milter_down_mail_flows", testMilterDown},
		{"f_milter_restarts", testMilterRestart},
	})
}

func readSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../testdata/corpus/sisimai/bounces", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testSMTPBounces(t *testing.T, p *postfixInstance) {
	for _, s := range e2eSamples {
		t.Run(s.box, func(t *testing.T) {
			raw := readSample(t, s.file)
			if err := p.send("", []string{s.box + "@" + e2eDomain}, raw); err != nil {
				t.Fatal(err)
			}
			checkLikeCLI(t, p.waitMail(s.box, 1)[0], raw)
		})
	}
	t.Run("swaks", func(t *testing.T) { testSwaks(t, p) })
}

// testSwaks sends a bundled bounce the way the README says.
func testSwaks(t *testing.T, p *postfixInstance) {
	const file = "../examples/bounces/postfix-user-unknown.eml"
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	swaks, _ := lookTool("swaks")
	host, port, _ := strings.Cut(p.smtpAddr, ":")
	out, err := exec.Command(swaks, "--server", host, "--port", port, "--from", "<>",
		"--to", "swaks@"+e2eDomain, "--data", file).CombinedOutput()
	if err != nil {
		t.Fatalf("swaks: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("MAIL FROM:<>")) {
		t.Errorf("swaks did not send MAIL FROM:<>:\n%s", out)
	}
	// QUIRK: swaks always puts a line break of its own before the final
	// ".", so the message Postfix gets has one more empty line at the end.
	checkLikeCLI(t, p.waitMail("swaks", 1)[0], append(raw, '\n'))
}

func testOwnBounce(t *testing.T, p *postfixInstance) {
	msg := "From: sender@virt.test\nTo: nosuchuser@e2e.test\nSubject: hello\n\nThis goes to a user who does not exist.\n"
	if err := p.send("sender@"+e2eDomain, []string{"nosuchuser@" + e2eHostname}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	// local(8) says "unknown user": the headers must say so too.
	checkOwnBounce(t, stripTrace(lf(p.waitMail("sender", 1)[0])), "nosuchuser@"+e2eHostname, p.milterLog, "sender@"+e2eDomain)
}

// checkOwnBounce checks a bounce an MTA wrote for rcpt, a user that does
// not exist, as delivered to box: annotated as userunknown, logged by the
// milter with the MTA's queue id, and complete (annotating it again
// changes nothing).
func checkOwnBounce(t *testing.T, got []byte, rcpt, milterLog, box string) {
	t.Helper()
	if !hasOurHeaders(got) {
		t.Fatalf("the MTA's own bounce has no X-Bounce-* header:\n%s", firstLines(got, 30))
	}
	rep, err := dsn.Parse(got, nil)
	if err != nil || rep.Kind != dsn.KindFailure || len(rep.Recipients) != 1 || rep.Recipients[0].Recipient != rcpt {
		t.Fatalf("delivered bounce parses as %+v, %v; want a failure for %s", rep, err, rcpt)
	}
	if !bytes.Contains(got, []byte("\nX-Bounce-Reason: userunknown\n")) && !bytes.HasPrefix(got, []byte("X-Bounce-Reason: userunknown\n")) {
		t.Errorf("no X-Bounce-Reason: userunknown in:\n%s", firstLines(got, 12))
	}
	if !loggedAnnotation(t, milterLog, box) {
		t.Errorf("no milter log line: action annotated, queue id, sender <>, recipient %s", box)
	}
	again, err := annotate.Annotate(got, annotate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Changed {
		t.Errorf("annotating the delivered bounce again changes it: the milter's annotation is incomplete")
	}
}

// loggedAnnotation reports whether the milter logged an annotation for a
// bounce to rcpt, with the queue id the MTA gave it.
func loggedAnnotation(t *testing.T, logPath, rcpt string) bool {
	b, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		var e map[string]string
		if json.Unmarshal(line, &e) != nil {
			continue
		}
		if e["action"] == "annotated" && e["sender"] == "<>" && e["recipients"] == rcpt &&
			len(e["queue_id"]) >= 6 && e["status"] != "" && e["reason"] != "" {
			return true
		}
	}
	return false
}

func testOrdinary(t *testing.T, p *postfixInstance) {
	raw, err := os.ReadFile(ordinarySample)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.send("someone@example.org", []string{"ordinary@" + e2eDomain}, raw); err != nil {
		t.Fatal(err)
	}
	checkUntouched(t, p.waitMail("ordinary", 1)[0], raw)
}

// testForged sends ordinary mail with X-Bounce-* fields: Postfix delivers
// it with all of them deleted and nothing else changed.
func testForged(t *testing.T, p *postfixInstance) {
	raw, forged := forgedSample(t)
	if err := p.send("someone@example.org", []string{"forged@" + e2eDomain}, forged); err != nil {
		t.Fatal(err)
	}
	checkForgedDeleted(t, p.waitMail("forged", 1)[0], raw)
}

// forgedSample is the ordinary sample as read, and with forged X-Bounce-*
// fields on top (two of one name, in different case, one folded).
func forgedSample(t *testing.T) (raw, forged []byte) {
	t.Helper()
	raw, err := os.ReadFile(ordinarySample)
	if err != nil {
		t.Fatal(err)
	}
	forged = append([]byte("X-Bounce-Remedy: Call +1-555-0100\nx-bounce-remedy: Call\n +1-555-0101\nX-Bounce-Reason: mailboxfull\n"), lf(raw)...)
	return raw, forged
}

// checkForgedDeleted checks that the forged fields were all deleted and
// nothing else changed.
func checkForgedDeleted(t *testing.T, got, raw []byte) {
	t.Helper()
	if hasOurHeaders(got) {
		t.Errorf("an X-Bounce-* field was delivered:\n%s", firstLines(got, 12))
	}
	checkUntouched(t, got, raw)
}

// bigBounce is a corpus Postfix bounce whose returned message is padded to
// about 5 MB.
func bigBounce(t *testing.T) []byte {
	raw := lf(readSample(t, "lhost-postfix-02.eml"))
	end := bytes.LastIndex(raw, []byte("\n--"))
	if end < 0 {
		t.Fatal("no closing boundary in the sample")
	}
	line := strings.Repeat("returned message text, padded to make a large bounce. ", 1)
	var pad bytes.Buffer
	for i := 0; pad.Len() < 5<<20; i++ {
		fmt.Fprintf(&pad, "%07d %s\n", i, line)
	}
	out := append([]byte{}, raw[:end+1]...)
	out = append(out, pad.Bytes()...)
	return append(out, raw[end+1:]...)
}

func testBigBounce(t *testing.T, p *postfixInstance) {
	raw := bigBounce(t)
	if err := p.send("", []string{"big@" + e2eDomain}, raw); err != nil {
		t.Fatal(err)
	}
	got := p.waitMail("big", 1)[0]
	if len(got) < 5<<20 {
		t.Fatalf("delivered %d bytes, want more than 5 MB", len(got))
	}
	checkLikeCLI(t, got, raw)
}

func testMilterDown(t *testing.T, p *postfixInstance) {
	if err := p.stopMilter(syscall.SIGKILL); err == nil {
		t.Fatal("killed milter exited with status 0")
	}
	ordinary, err := os.ReadFile(ordinarySample)
	if err != nil {
		t.Fatal(err)
	}
	bounce := readSample(t, e2eSamples[0].file)
	if err := p.send("someone@example.org", []string{"down@" + e2eDomain}, ordinary); err != nil {
		t.Fatalf("ordinary mail refused with the milter down: %v", err)
	}
	checkUntouched(t, p.waitMail("down", 1)[0], ordinary)
	if err := p.send("", []string{"downbounce@" + e2eDomain}, bounce); err != nil {
		t.Fatalf("bounce refused with the milter down: %v", err)
	}
	checkUntouched(t, p.waitMail("downbounce", 1)[0], bounce)
}

// testMilterRestart restarts the milter, in Chinese this time: the Gmail
// sample's ISO-8859-1 text part cannot carry Chinese, so annotate re-encodes
// it, and the milter must also replace Content-Type and add
// Content-Transfer-Encoding through Postfix.
func testMilterRestart(t *testing.T, p *postfixInstance) {
	p.startMilter("--lang", "zh-CN")
	raw := readSample(t, e2eSamples[0].file)
	if err := p.send("", []string{"restart@" + e2eDomain}, raw); err != nil {
		t.Fatal(err)
	}
	checkLikeCLILang(t, p.waitMail("restart", 1)[0], raw, "zh-CN")
	if err := p.stopMilter(syscall.SIGTERM); err != nil {
		t.Errorf("milter did not exit cleanly on SIGTERM: %v", err)
	}
	// Again, with a 1 MiB --max-body: the 5 MB bounce gets the headers only.
	p.startMilter("--max-body", "1MiB")
	big := bigBounce(t)
	if err := p.send("", []string{"overmax@" + e2eDomain}, big); err != nil {
		t.Fatal(err)
	}
	checkLikeCLIOpts(t, p.waitMail("overmax", 1)[0], big, annotate.Options{HeadersOnly: true})
	if err := p.stopMilter(syscall.SIGTERM); err != nil {
		t.Errorf("milter did not exit cleanly on SIGTERM: %v", err)
	}
	log, _ := os.ReadFile(p.milterLog)
	if !bytes.Contains(log, []byte("bouncenote milter stopped")) {
		t.Errorf("no clean-stop line in the milter log")
	}
}

// checkLikeCLI checks that the delivered message is what the CLI makes of
// the sample, apart from what Postfix adds or drops on every message.
func checkLikeCLI(t *testing.T, delivered, sample []byte) {
	t.Helper()
	checkLikeCLILang(t, delivered, sample, "")
}

// checkLikeCLILang is checkLikeCLI for a milter started with --lang lang.
func checkLikeCLILang(t *testing.T, delivered, sample []byte, lang string) {
	t.Helper()
	checkLikeCLIOpts(t, delivered, sample, annotate.Options{Lang: lang})
}

// checkLikeCLIOpts is checkLikeCLI with annotate options.
func checkLikeCLIOpts(t *testing.T, delivered, sample []byte, opts annotate.Options) {
	t.Helper()
	exp, err := annotate.Annotate(asTransported(sample), opts)
	if err != nil {
		t.Fatalf("annotate on the sample: %v", err)
	}
	if !exp.Changed {
		t.Fatalf("annotate leaves this sample unchanged, so there is nothing to compare (is annotate still a stub?)")
	}
	got := stripTrace(lf(delivered))
	// Postfix's cleanup(8) drops Return-Path from incoming mail.
	want := dropField(lf(exp.Output), "Return-Path")
	if !bytes.Equal(got, want) {
		t.Errorf("delivered message differs from the CLI's output: %s", firstDiff(got, want))
	}
	if !hasOurHeaders(got) {
		t.Errorf("no X-Bounce-* header delivered")
	}
}

// checkUntouched checks that the delivered message is the sample as sent.
func checkUntouched(t *testing.T, delivered, sample []byte) {
	t.Helper()
	got := stripTrace(lf(delivered))
	want := dropField(asTransported(sample), "Return-Path")
	if hasOurHeaders(got) && !hasOurHeaders(want) {
		t.Errorf("an X-Bounce-* header was added")
	}
	_, gotBody, _ := bytes.Cut(got, []byte("\n\n"))
	_, wantBody, _ := bytes.Cut(want, []byte("\n\n"))
	if !bytes.Equal(gotBody, wantBody) {
		t.Errorf("body changed: %s", firstDiff(gotBody, wantBody))
	}
	if !bytes.Equal(got, want) {
		t.Errorf("message changed: %s", firstDiff(got, want))
	}
}

// asTransported is the sample as Postfix passes it on: LF line ends and
// no leading mbox "From " line (Postfix drops it on receipt).
func asTransported(sample []byte) []byte {
	b := lf(sample)
	if bytes.HasPrefix(b, []byte("From ")) {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return b
}

// ownReceived marks the Received fields that the MTAs under test add: the
// private Postfix and the receiving Sendmail.
var ownReceived = [][]byte{[]byte("by " + e2eHostname + " (Postfix)"), []byte("by " + smHostname + " (8.")}

// stripTrace removes what the MTA under test adds to every message: the
// fields its local delivery prepends (virtual(8)'s, or Sendmail's
// Return-Path) and its own Received field.
func stripTrace(msg []byte) []byte {
	for _, name := range []string{"Return-Path", "X-Original-To", "Delivered-To"} {
		if bytes.HasPrefix(msg, []byte(name+":")) {
			msg = msg[fieldEnd(msg, 0):]
		}
	}
	hdrEnd := bytes.Index(msg, []byte("\n\n"))
	for i := 0; i >= 0 && i < hdrEnd; {
		end := fieldEnd(msg, i)
		if bytes.HasPrefix(msg[i:], []byte("Received:")) && isOwnReceived(msg[i:end]) {
			return append(append([]byte{}, msg[:i]...), msg[end:]...)
		}
		i = end
	}
	return msg
}

func isOwnReceived(field []byte) bool {
	for _, m := range ownReceived {
		if bytes.Contains(field, m) {
			return true
		}
	}
	return false
}

// fieldEnd returns the offset after the header field starting at i,
// continuation lines included.
func fieldEnd(msg []byte, i int) int {
	for {
		nl := bytes.IndexByte(msg[i:], '\n')
		if nl < 0 {
			return len(msg)
		}
		i += nl + 1
		if i >= len(msg) || (msg[i] != ' ' && msg[i] != '\t') {
			return i
		}
	}
}

// dropField removes every top-level header field called name.
func dropField(msg []byte, name string) []byte {
	var out []byte
	hdrEnd := bytes.Index(msg, []byte("\n\n"))
	if hdrEnd < 0 {
		hdrEnd = len(msg)
	}
	i := 0
	for i < hdrEnd {
		end := fieldEnd(msg, i)
		colon := bytes.IndexByte(msg[i:end], ':')
		if colon < 0 || !strings.EqualFold(string(msg[i:i+colon]), name) {
			out = append(out, msg[i:end]...)
		}
		i = end
	}
	return append(out, msg[i:]...)
}

func hasOurHeaders(msg []byte) bool {
	hdr, _, _ := bytes.Cut(msg, []byte("\n\n"))
	for _, line := range strings.Split(string(hdr), "\n") {
		if len(line) > 9 && strings.EqualFold(line[:9], "X-Bounce-") {
			return true
		}
	}
	return false
}

func firstLines(b []byte, n int) string {
	lines := strings.SplitN(string(b), "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// firstDiff describes where got and want first differ.
func firstDiff(got, want []byte) string {
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w || i >= len(gl) || i >= len(wl) {
			return fmt.Sprintf("line %d: got %.120q, want %.120q (%d vs %d lines)", i+1, g, w, len(gl), len(wl))
		}
	}
	return "identical"
}
