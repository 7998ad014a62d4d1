package mtacorpus

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/dsn"
	_ "github.com/bouncenote/bouncenote/dsn/formats" // text bounce formats register themselves
)

// dirEnv names a directory to check instead of testdata/mta, e.g. the one
// testdata/mta/generate has just written.
const dirEnv = "BOUNCENOTE_MTA_DIR"

// row is one line of expected.tsv. The first seven columns are those of the
// sisimai corpus (score-corpus reads them); the rest are ours. Every value
// comes from the scenario that made the bounce, not from bouncenote.
type row struct {
	file        string
	index       int
	status      string // RFC 3463 enhanced status
	replyCode   string // RFC 5321 reply code, "" when the bounce has none
	reason      string // Sisimai reason name
	hardBounce  bool
	kind        dsn.Kind   // of the whole bounce
	action      dsn.Action // RFC 3464 §2.3.3
	recipient   string     // Final-Recipient address
	explanation string     // catalog entry id a postmaster agrees with
}

var columns = []string{"file", "index", "status", "replycode", "reason", "hardbounce", "anotherone",
	"kind", "action", "recipient", "explanation"}

func readExpected(t *testing.T, path string) []row {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	head, err := r.Read()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if strings.Join(head, "\t") != strings.Join(columns, "\t") {
		t.Fatalf("%s: header %q, want %q", path, head, columns)
	}
	var rows []row
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		idx, err := strconv.Atoi(rec[1])
		if err != nil || idx < 1 {
			t.Fatalf("%s: %s: bad index %q", path, rec[0], rec[1])
		}
		rows = append(rows, row{
			file: rec[0], index: idx, status: rec[2], replyCode: rec[3], reason: rec[4],
			hardBounce: rec[5] == "true", kind: dsn.Kind(rec[7]), action: dsn.Action(rec[8]),
			recipient: rec[9], explanation: rec[10],
		})
	}
	return rows
}

// mtaDirs lists the directories under root that have an expected.tsv.
func mtaDirs(t *testing.T) []string {
	t.Helper()
	root := os.Getenv(dirEnv)
	if root == "" {
		root = filepath.Join("..", "..", "testdata", "mta")
	}
	m, err := filepath.Glob(filepath.Join(root, "*", "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, p := range m {
		dirs = append(dirs, filepath.Dir(p))
	}
	sort.Strings(dirs)
	return dirs
}

// TestMTABounces parses every bounce of every MTA directory and compares
// kind, recipient, action, status, reply code, reason, hard bounce and the
// explanation's catalog entry with expected.tsv.
func TestMTABounces(t *testing.T) {
	dirs := mtaDirs(t)
	if len(dirs) == 0 {
		t.Skip("no testdata/mta/*/expected.tsv yet")
	}
	cat := catalog.Builtin()
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			rows := readExpected(t, filepath.Join(dir, "expected.tsv"))
			byFile := map[string][]row{}
			for _, r := range rows {
				byFile[r.file] = append(byFile[r.file], r)
			}
			checkListed(t, filepath.Join(dir, "bounces"), byFile)
			for file, want := range byFile {
				t.Run(file, func(t *testing.T) {
					checkFile(t, cat, filepath.Join(dir, "bounces", file), want)
				})
			}
		})
	}
}

// checkListed fails for a bounce file without a row, so that none goes
// unchecked, and for a row whose file is missing.
func checkListed(t *testing.T, dir string, byFile map[string][]row) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		seen[filepath.Base(f)] = true
		if byFile[filepath.Base(f)] == nil {
			t.Errorf("%s has no row in expected.tsv", f)
		}
	}
	for f := range byFile {
		if !seen[f] {
			t.Errorf("expected.tsv lists %s, which is not in %s", f, dir)
		}
	}
}

func checkFile(t *testing.T, cat *catalog.Catalog, path string, want []row) {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := dsn.Parse(raw, nil)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if rep.Kind != want[0].kind {
		t.Errorf("kind %q, want %q", rep.Kind, want[0].kind)
	}
	if len(rep.Recipients) != len(want) {
		t.Errorf("%d recipients, want %d", len(rep.Recipients), len(want))
	}
	for _, w := range want {
		if w.index > len(rep.Recipients) {
			t.Errorf("#%d: missing", w.index)
			continue
		}
		g := rep.Recipients[w.index-1]
		// The reason is the verdict's (annotate.Explain), the one that
		// inspect --json, X-Bounce-Reason and the words give.
		ex := annotate.Explain(rep, g, cat, catalog.LangEN)
		got := []string{g.Recipient, string(g.Action), g.Status, g.ReplyCode, ex.Reason,
			strconv.FormatBool(g.HardBounce), ex.ID}
		exp := []string{w.recipient, string(w.action), w.status, w.replyCode, w.reason,
			strconv.FormatBool(w.hardBounce), w.explanation}
		names := []string{"recipient", "action", "status", "reply code", "reason", "hard bounce", "explanation"}
		for i := range got {
			if !strings.EqualFold(got[i], exp[i]) {
				t.Errorf("#%d %s: %q, want %q", w.index, names[i], got[i], exp[i])
			}
		}
	}
}

// scenarioExplanations are, per lab scenario (testdata/mta/generate), the
// catalog entries a postmaster agrees with for that scenario whichever MTA
// wrote the bounce; checked by hand against the entries' words.
var scenarioExplanations = map[string][]string{
	// No mailbox of that name, at the MTA itself or at the remote server.
	"user-unknown-local":  {"server.user-unknown", "reason.userunknown"},
	"remote-user-unknown": {"server.user-unknown", "reason.userunknown"},
	// 552 5.2.2 from the remote server.
	"remote-full": {"server.mailbox-full", "reason.mailboxfull"},
	// 554 5.7.1 after DATA: a content filter's spam verdict.
	"spam": {"server.spam", "reason.spamdetected"},
	// 552 5.3.4 after DATA: the message is larger than the remote allows.
	"too-large": {"server.message-too-large", "reason.mesgtoobig"},
	// The domain does not exist in DNS.
	"nxdomain": {"server.host-unknown", "reason.hostunknown"},
	// Nothing listens at the MX: still retrying, then given up. Sendmail's
	// transcript names the cause ("Deferred: Connection refused by
	// refused.test."), which the connection-refused entries explain; the
	// parser files it under blocked, as Sisimai does (lhost-sendmail-21).
	"refused-warning": {"reason.expired.delay", "reason.networkerror.delay", "server.connection-refused-blocked-delayed"},
	"refused":         {"server.retry-expired", "server.connection-refused", "reason.expired", "std.5.4.7", "reason.networkerror", "server.connection-refused-blocked"},
	// 451 4.3.0 at every attempt: still retrying, then given up. The final
	// notice either names the expiry (Exim "retry timeout exceeded",
	// OpenSMTPD "Envelope expired") or only repeats the remote's temporary
	// system error (Postfix).
	"expired-warning": {"reason.systemerror.delay", "reason.expired.delay"},
	"expired":         {"server.retry-expired", "reason.expired", "std.5.4.7", "reason.systemerror"},
}

// TestScenarioExplanations checks that every bounce of a known scenario
// gets one of the explanations right for that scenario.
func TestScenarioExplanations(t *testing.T) {
	dirs := mtaDirs(t)
	if len(dirs) == 0 {
		t.Skip("no testdata/mta/*/expected.tsv yet")
	}
	checked := 0
	for _, dir := range dirs {
		for _, r := range readExpected(t, filepath.Join(dir, "expected.tsv")) {
			scenario := strings.TrimSuffix(r.file, ".eml")
			ok, known := scenarioExplanations[scenario]
			if !known {
				continue
			}
			checked++
			name := filepath.Base(dir) + "/" + r.file
			t.Run(name, func(t *testing.T) {
				if !slices.Contains(ok, r.explanation) {
					t.Errorf("expected.tsv gives %q; right for %s: %q", r.explanation, scenario, ok)
				}
			})
		}
	}
	if checked == 0 {
		t.Error("no bounce of a known scenario")
	}
}
