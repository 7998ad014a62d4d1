package formats

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

var (
	expectedOnce sync.Once
	expectedRows map[string][]expectedRow
	expectedErr  error
)

// readExpectedRows reads testdata/corpus/sisimai/expected.tsv (file, index,
// status, replycode, reason, ...) once: rows in recipient order per file.
// The map is shared: callers must not modify it.
func readExpectedRows(t *testing.T) map[string][]expectedRow {
	t.Helper()
	expectedOnce.Do(func() {
		f, err := os.Open(filepath.Join(corpusDir, "expected.tsv"))
		if err != nil {
			expectedErr = err
			return
		}
		defer f.Close()
		expectedRows = map[string][]expectedRow{}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			c := strings.Split(sc.Text(), "\t")
			if len(c) < 5 || c[0] == "file" {
				continue
			}
			expectedRows[c[0]] = append(expectedRows[c[0]], expectedRow{c[2], c[3], c[4]})
		}
		expectedErr = sc.Err()
	})
	if expectedErr != nil {
		t.Fatalf("reading expected.tsv: %v", expectedErr)
	}
	return expectedRows
}

// pvPseudoStatus matches the reference library's invented codes (detail
// 900 and over), which the score skips too.
var pvPseudoStatus = regexp.MustCompile(`\.9\d\d$`)

// pvCheckFamily parses every corpus sample whose file name starts with one
// of prefixes and checks that a format of formats read it and that each
// recipient's status, reply code and reason are the reference ones. A nil
// formats accepts any format (rhost-* samples come from any sending MTA).
// Samples listed in known are expected to differ (the reason is given in
// the map, e.g. a classifier limit) and are only logged.
func pvCheckFamily(t *testing.T, formats []string, known map[string]string, prefixes ...string) {
	t.Helper()
	exp := readExpectedRows(t)
	var files []string
	for f := range exp {
		for _, p := range prefixes {
			if strings.HasPrefix(f, p) {
				files = append(files, f)
			}
		}
	}
	slices.Sort(files)
	if len(files) == 0 {
		t.Fatalf("no samples for %v", prefixes)
	}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(corpusDir, "bounces", name))
			if err != nil {
				t.Fatal(err)
			}
			r, err := dsn.Parse(raw, nil)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if r.Kind == dsn.KindNone || (formats != nil && !slices.Contains(formats, r.Format)) {
				t.Fatalf("format %q kind %q, want one of %v", r.Format, r.Kind, formats)
			}
			pvCompare(t, r, exp[name], known[name])
		})
	}
}

// pvCompare checks r's recipients against the reference rows.
func pvCompare(t *testing.T, r *dsn.Report, rows []expectedRow, known string) {
	t.Helper()
	if len(r.Recipients) < len(rows) {
		t.Fatalf("%d recipients, want %d", len(r.Recipients), len(rows))
	}
	for i, want := range rows {
		got := r.Recipients[i]
		var diffs []string
		if want.status != "" && !pvPseudoStatus.MatchString(want.status) && got.Status != want.status {
			diffs = append(diffs, "status "+got.Status+" want "+want.status)
		}
		if want.reply != "" && got.ReplyCode != want.reply {
			diffs = append(diffs, "reply "+got.ReplyCode+" want "+want.reply)
		}
		if got.Reason != want.reason {
			diffs = append(diffs, "reason "+got.Reason+" want "+want.reason)
		}
		switch {
		case len(diffs) > 0 && known != "":
			t.Logf("known difference (%s): %s", known, strings.Join(diffs, "; "))
		case len(diffs) > 0:
			t.Errorf("recipient %d %s: %s (diagnostic %q)", i+1, got.Recipient, strings.Join(diffs, "; "), got.Diagnostic)
		}
	}
}

// pvFormatNames are the provider and appliance formats (the files that use
// provider_util.go), for the tests that must hold for all of them.
var pvFormatNames = []string{"gmail", "googlegroups", "yahoo", "amazonses", "amazonworkmail", "ezweb", "kddi", "verizon", "mfilter", "mxlogic", "zoho", "google", "exchange", "trendmicro", "mimecast"}

// pvFormats returns the registered formats named in pvFormatNames.
func pvFormats() []dsn.Format {
	var out []dsn.Format
	for _, f := range dsn.Formats() {
		if slices.Contains(pvFormatNames, f.Name()) {
			out = append(out, f)
		}
	}
	return out
}

// TestProviderFormatsIgnoreOrdinaryMail runs every provider format on
// ordinary mail and on the corpus's non-bounces: none may accept one.
func TestProviderFormatsIgnoreOrdinaryMail(t *testing.T) {
	dirs := []string{
		filepath.Join("..", "..", "testdata", "corpus", "normal"),
		filepath.Join(corpusDir, "not"),
	}
	var files []string
	for _, d := range dirs {
		err := filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() && (strings.HasSuffix(p, ".eml") || strings.HasSuffix(p, ".raw")) {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 20 {
		t.Fatalf("only %d ordinary messages found", len(files))
	}
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		m, err := dsn.NewMessage(raw, nil)
		if err != nil {
			continue // not readable at all: nothing a format could accept
		}
		for _, f := range pvFormats() {
			if _, ok := f.Parse(m); ok {
				t.Errorf("%s accepted ordinary message %s", f.Name(), p)
			}
		}
	}
}

func TestPvDedupReply(t *testing.T) {
	cases := []struct{ in, want string }{
		{"554 554 5.7.0 Header error", "554 5.7.0 Header error"},
		{"550-550 5.1.1 x", "550 5.1.1 x"},
		{"550 5.1.1 <a@b.c>... User Unknown", "550 5.1.1 <a@b.c>... User Unknown"},
		{"550 551 odd", "550 551 odd"},
		{"", ""},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			if got := pvDedupReply(c.in); got != c.want {
				t.Errorf("pvDedupReply(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// FuzzProviderFormats runs every provider format directly (not only the
// first that matches) on arbitrary messages: no panic, and an accepted
// message has recipients with addresses. Seeds: testdata/fuzz.
func FuzzProviderFormats(f *testing.F) {
	f.Add([]byte("From: MAILER-DAEMON@yahoo.com\nSubject: Failure Notice\n\nSorry, we were unable to deliver your message to the following address.\n\n<a@example.org>:\nRemote host said: 550 5.1.1 unknown [RCPT_TO]\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := dsn.NewMessage(raw, nil)
		if err != nil {
			return
		}
		for _, fm := range pvFormats() {
			r, ok := fm.Parse(m)
			if !ok {
				continue
			}
			if r == nil || len(r.Recipients) == 0 {
				t.Fatalf("%s: accepted without recipients", fm.Name())
			}
			for _, rc := range r.Recipients {
				if rc.Recipient == "" {
					t.Fatalf("%s: recipient without address", fm.Name())
				}
			}
		}
	})
}

// TestPvInlineOriginal reads the inline returned header, unindented
// continuation lines included, and leaves a MIME-attached original alone.
func TestPvInlineOriginal(t *testing.T) {
	sep := lazyre.New(`(?m)^--- copy follows`)
	cases := []struct {
		name, body, subject, to string
	}{
		{"plain", "bounce\n--- copy follows\n\nTo: a@example.org\nSubject: hi\n\nbody\n", "hi", "a@example.org"},
		{"unindented continuation", "bounce\n--- copy follows\nX-Long: aaa\nbbb\nSubject: hi\nTo: a@example.org\n\nbody\n", "hi", "a@example.org"},
		{"no separator", "bounce\nTo: a@example.org\n", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := dsn.NewMessage([]byte("From: MAILER-DAEMON@example.org\n\n"+c.body), nil)
			if err != nil {
				t.Fatal(err)
			}
			r := &dsn.Report{}
			pvInlineOriginal(r, m, sep)
			if r.Original.Subject != c.subject || r.Original.To != c.to {
				t.Errorf("got %+v", r.Original)
			}
		})
	}
}

// TestProviderFormatsIgnoreForwardedNotices: a person who forwards a
// notice inline, from a provider that marks all its mail (X-YMailISG,
// X-ZohoMail, X-Mimecast-*, X-MS-Exchange-*, EZweb's Received and
// Message-Id), has not sent a bounce.
func TestProviderFormatsIgnoreForwardedNotices(t *testing.T) {
	cases := []struct{ name, header, body string }{
		{"yahoo", "X-YMailISG: abc\n", "Sorry, we were unable to deliver your message to the following address.\n\n<a@example.org>:\nRemote host said: 550 5.1.1 unknown [RCPT_TO]\n"},
		{"zoho", "X-ZohoMail: Si\n", "This message was created automatically by mail delivery software.\n\na@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :unknown\n"},
		{"mimecast", "X-Mimecast-Spam-Score: 1\nX-MC-System: x\n", "An email that you attempted to send to the following address could not be delivered:\n-- a@example.org\n"},
		{"exchange", "X-MS-Exchange-Organization-SCL: 1\n", "Delivery has failed to these recipients or groups:\n\na@example.org\nThe address wasn't found.\n\nDiagnostic information for administrators:\n\na@example.org\nRemote Server returned '550 5.1.1 not found'\n"},
		{"ezweb", "Received: by lsean.ezweb.ne.jp (EZweb Mail) with SMTP id 1\nMessage-Id: <1@lsean.ezweb.ne.jp>\n", "see you at\n<a@example.org>\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := "From: Friend <friend@example.com>\nSubject: Fwd: look at this\n" + c.header + "\n" + c.body
			r, err := dsn.Parse([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(pvFormatNames, r.Format) {
				t.Errorf("%s read a forwarded notice as a bounce", r.Format)
			}
		})
	}
}

// TestLowerHead checks that lowerHead gives a prefix of strings.ToLower
// of at least n bytes, on texts whose runes change length when lowered.
func TestLowerHead(t *testing.T) {
	for _, s := range []string{"", "Hello World", "İSTANBUL ist", "\u212aELVIN", "ȺȺȺ abc", "a\xffB\xc3", "日本語のテキスト"} {
		for n := 0; n <= 12; n++ {
			got, full := lowerHead(s, n), strings.ToLower(s)
			if !strings.HasPrefix(full, got) || len(got) < min(n, len(full)) {
				t.Errorf("lowerHead(%q, %d) = %q, not a prefix of %q of %d bytes or more", s, n, got, full, n)
			}
		}
	}
}
