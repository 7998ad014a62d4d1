package formats

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

var corpusDir = filepath.Join("..", "..", "testdata", "corpus", "sisimai")

// expectedRow is one row of expected.tsv: what the Sisimai library reports
// for one failed recipient.
type expectedRow struct {
	status, reply, reason string
}

// familySamples returns the sample files whose names start with
// "lhost-<family>-" and that expected.tsv lists, sorted.
func familySamples(t *testing.T, rows map[string][]expectedRow, family string) []string {
	t.Helper()
	var out []string
	for f := range rows {
		if strings.HasPrefix(f, "lhost-"+family+"-") {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatalf("no samples for %s", family)
	}
	return out
}

// parseSample parses one corpus bounce.
func parseSample(t *testing.T, file string) *dsn.Report {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(corpusDir, "bounces", file))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := dsn.Parse(raw, nil)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return rep
}

// divergences are samples where this package deliberately reports other
// codes than the reference library, with the reason.
var divergences = map[string]string{
	// Sisimai takes 4.7.0/421 from a "<<< 421" after QUIT in the
	// transcript; the recipient failed on the 554 greeting that the
	// Diagnostic-Code and the text name.
	"lhost-sendmail-56.eml": "status from a later session's QUIT reply",
}

// checkFamily parses every sample of family: each must be recognised as a
// bounce with the expected recipients; those read by one of formats must
// have the expected status (codes with a detail of 900 or more are the
// reference library's inventions and not compared) and reply code. The
// share of expected reasons must reach reasonFloor.
func checkFamily(t *testing.T, family string, formats []string, reasonFloor float64) {
	rows := readExpectedRows(t)
	agree, total := 0, 0
	for _, file := range familySamples(t, rows, family) {
		want := rows[file]
		t.Run(file, func(t *testing.T) {
			rep := parseSample(t, file)
			if rep.Kind == dsn.KindNone || len(rep.Recipients) < len(want) {
				t.Fatalf("kind %s with %d recipients, want a bounce with %d", rep.Kind, len(rep.Recipients), len(want))
			}
			ours := false
			for _, f := range formats {
				ours = ours || rep.Format == f
			}
			for i, w := range want {
				rc := rep.Recipients[i]
				total++
				if rc.Reason == w.reason {
					agree++
				}
				if !ours || divergences[file] != "" {
					continue
				}
				if !inventedStatus(w.status) && rc.Status != w.status {
					t.Errorf("#%d %s: status %q, want %q", i+1, rc.Recipient, rc.Status, w.status)
				}
				if w.reply != "" && rc.ReplyCode != w.reply {
					t.Errorf("#%d %s: reply %q, want %q", i+1, rc.Recipient, rc.ReplyCode, w.reply)
				}
			}
		})
	}
	share := float64(agree) / float64(total)
	t.Logf("%s: reason agrees on %d of %d rows", family, agree, total)
	if share < reasonFloor {
		t.Errorf("%s: reason agreement %.2f below %.2f", family, share, reasonFloor)
	}
}

// inventedStatus reports whether an expected status is one of the
// reference library's private x.0.9xx codes.
func inventedStatus(s string) bool {
	parts := strings.Split(s, ".")
	return len(parts) == 3 && len(parts[2]) == 3 && parts[2] >= "900"
}

// TestOrdinaryMailNotClaimed checks that no text format of this package
// reports ordinary mail (normal corpus, Sisimai's "not" set) as anything.
func TestOrdinaryMailNotClaimed(t *testing.T) {
	dirs := []string{
		filepath.Join(corpusDir, "not"),
		filepath.Join("..", "..", "testdata", "corpus", "normal", "enmime"),
		filepath.Join("..", "..", "testdata", "corpus", "normal", "inbucket"),
	}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "LICENSE") || strings.HasSuffix(f, ".md") {
				continue
			}
			t.Run(filepath.Base(f), func(t *testing.T) {
				raw, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				rep, err := dsn.Parse(raw, nil)
				if err != nil {
					return // unreadable input is not a misreport
				}
				if rep.Kind != dsn.KindNone {
					t.Errorf("ordinary message reported as %s by %s", rep.Kind, rep.Format)
				}
			})
		}
	}
}

// TestLineEndings checks that the CRLF and CR versions of every sample
// of this package's families give the same report as the LF version.
func TestLineEndings(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "bounces", "lhost-*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			lf := bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
			want := summary(dsn.Parse(lf, nil))
			for name, v := range map[string][]byte{
				"crlf": bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n")),
				"cr":   bytes.ReplaceAll(lf, []byte("\n"), []byte("\r")),
			} {
				if got := summary(dsn.Parse(v, nil)); got != want {
					t.Errorf("%s: %s, LF gives %s", name, got, want)
				}
			}
		})
	}
}

func summary(r *dsn.Report, err error) string {
	if err != nil {
		return "error " + err.Error()
	}
	var b strings.Builder
	b.WriteString(string(r.Kind) + " " + r.Format)
	for _, rc := range r.Recipients {
		b.WriteString(" | " + rc.Recipient + " " + rc.Status + " " + rc.ReplyCode + " " + rc.Reason)
	}
	return b.String()
}

// withoutStatusPart returns raw with its delivery-status parts relabelled
// as opaque data, as some relays and list servers pass bounces on.
func withoutStatusPart(raw []byte) []byte {
	re := regexp.MustCompile(`(?i)content-type:\s*message/(?:global-)?delivery-status`)
	return re.ReplaceAll(raw, []byte("Content-Type: application/octet-stream"))
}

// checkTextOnly parses every sample of family with its delivery-status
// part removed: format must read the text and find the expected reply
// code and the expected status (or, where only the removed part had the
// code, the expected reason), on at least min of the samples.
func checkTextOnly(t *testing.T, family string, formats []string, min float64) {
	rows := readExpectedRows(t)
	ok, n := 0, 0
	for _, file := range familySamples(t, rows, family) {
		raw, err := os.ReadFile(filepath.Join(corpusDir, "bounces", file))
		if err != nil {
			t.Fatal(err)
		}
		want := rows[file]
		n++
		t.Run(file, func(t *testing.T) {
			rep, err := dsn.Parse(withoutStatusPart(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			ours := false
			for _, f := range formats {
				ours = ours || rep.Format == f
			}
			if !ours || len(rep.Recipients) < len(want) {
				t.Logf("read by %q with %d recipients", rep.Format, len(rep.Recipients))
				return
			}
			good := true
			for i, w := range want {
				rc := rep.Recipients[i]
				statusOK := inventedStatus(w.status) || rc.Status == w.status || rc.Reason == w.reason
				if !statusOK || w.reply != "" && rc.ReplyCode != w.reply {
					t.Logf("#%d: status %q reply %q reason %q, want %q %q %q", i+1, rc.Status, rc.ReplyCode, rc.Reason, w.status, w.reply, w.reason)
					good = false
				}
			}
			if good {
				ok++
			}
		})
	}
	t.Logf("%s without delivery-status: %d of %d read right", family, ok, n)
	if float64(ok) < min*float64(n) {
		t.Errorf("%s without delivery-status: only %d of %d read right", family, ok, n)
	}
}

// TestLayoutDropsRules: separator rules inside a recipient block are not
// diagnostic text.
func TestLayoutDropsRules(t *testing.T) {
	l := &Layout{Addr: func(line string) (string, string, bool) {
		if strings.HasPrefix(line, "  * ") {
			return strings.TrimPrefix(line, "  * "), "", true
		}
		return "", "", false
	}, KeepBlank: true}
	blocks := l.Read("  * user@example.org\n==========\nTechnical details\n----\n553 5.3.0 No such user\n")
	if len(blocks) != 1 || blocks[0].Diagnostic() != "Technical details 553 5.3.0 No such user" {
		t.Errorf("got %+v", blocks)
	}
}

// TestPatternsCompile compiles every pattern of dsn and dsn/formats, which
// otherwise compile on first use (internal/lazyre).
func TestPatternsCompile(t *testing.T) {
	if err := lazyre.Compiled(); err != nil {
		t.Fatal(err)
	}
}

// TestRemoteHost: the host of "host name [ip]" prose; the bracket test
// that spares texts without "[digit" or "(digit" the regexp answers as
// the regexp does.
func TestRemoteHost(t *testing.T) {
	tests := []struct{ text, host string }{
		{"host mx.example.jp [192.0.2.1] said: 550 5.1.1 unknown", "mx.example.jp"},
		{"Host MX.Example.JP[192.0.2.1]: 550", "mx.example.jp"},
		{"mx.example.jp (192.0.2.1) did not like recipient", "mx.example.jp"},
		{"550 5.1.1 <user@example.jp>... User unknown", ""},
		{"host mx.example.jp [ipv6]", ""},
		{"(", ""},
		{"host mx.example.jp [", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := RemoteHost(tt.text); got != tt.host {
				t.Errorf("RemoteHost = %q, want %q", got, tt.host)
			}
		})
	}
}
