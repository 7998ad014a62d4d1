package milter

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPickHeader(t *testing.T) {
	tests := []struct {
		name, field, value string
		want               pickReason
	}{
		{"report", "Content-Type", "multipart/report; report-type=delivery-status; boundary=x", pickReportType},
		{"report broken params", "content-type", "Multipart/Report; boundary=\"x; report-type", pickReportType},
		{"bare dsn", "Content-Type", "message/delivery-status", pickReportType},
		{"plain text", "Content-Type", "text/plain; charset=utf-8", ""},
		{"mailer-daemon", "From", "Mail Delivery System <MAILER-DAEMON@mx.example.org>", pickDaemonFrom},
		{"postmaster", "From", "postmaster@example.org", pickDaemonFrom},
		{"unparsable daemon", "From", "MAILER-DAEMON (Mail Delivery System)", pickDaemonFrom},
		{"display name only", "From", "Mail Delivery Subsystem <noreply@example.org>", pickDaemonFrom},
		{"null path", "From", "<>", pickDaemonFrom},
		{"person", "From", "Postmaster Fan <fan@example.org>", ""},
		{"postfix subject", "Subject", "Undelivered Mail Returned to Sender", pickBounceTitle},
		{"encoded subject", "Subject", "=?UTF-8?B?5pyq6IO96YCB6L6+?=", pickBounceTitle},
		{"delay", "Subject", "Delayed Mail (still being retried)", pickBounceTitle},
		{"ordinary subject", "Subject", "Lunch on Friday?", ""},
		{"other field", "To", "mailer-daemon@example.org", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := pickHeader(tc.field, tc.value); got != tc.want {
				t.Errorf("pickHeader(%q, %q) = %q, want %q", tc.field, tc.value, got, tc.want)
			}
		})
	}
}

// pickRaw applies pickHeader to the header of a raw message.
func pickRaw(raw []byte) pickReason {
	hdr, _, _ := strings.Cut(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n\n")
	for _, f := range splitFields(strings.ReplaceAll(hdr, "\n", "\r\n")) {
		name, value, _ := strings.Cut(f, ":")
		if why := pickHeader(name, strings.TrimSpace(value)); why != "" {
			return why
		}
	}
	return ""
}

// failureFiles lists the corpus files expected.tsv gives a failure or
// delay reason for (not feedback, delivered or vacation).
func failureFiles(t *testing.T) map[string]bool {
	f, err := os.Open("../testdata/corpus/sisimai/expected.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 || cols[0] == "file" {
			continue
		}
		switch cols[4] {
		case "feedback", "delivered", "vacation":
		default:
			out[cols[0]] = true
		}
	}
	return out
}

// Bounces also arrive with MAIL FROM:<>; the header alone must still pick
// nearly all of them, and no ordinary message.
func TestPickCorpus(t *testing.T) {
	fails := failureFiles(t)
	picked := 0
	var missed []string
	for name := range fails {
		raw, err := os.ReadFile(filepath.Join("../testdata/corpus/sisimai/bounces", name))
		if err != nil {
			continue // expected.tsv also lists files of other directories
		}
		if pickRaw(raw) != "" {
			picked++
		} else {
			missed = append(missed, name)
		}
	}
	if total := picked + len(missed); total < 100 || picked*100 < total*97 {
		t.Errorf("header picks %d of %d corpus failures, want at least 97%%; missed %v", picked, total, missed)
	}
	for _, dir := range []string{"../testdata/corpus/normal/enmime", "../testdata/corpus/normal/inbucket"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.raw"))
		if len(files) == 0 {
			t.Fatalf("no messages in %s", dir)
		}
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if why := pickRaw(raw); why != "" {
				t.Errorf("ordinary message %s picked as a bounce: %s", filepath.Base(f), why)
			}
		}
	}
}

func FuzzPickHeader(f *testing.F) {
	f.Add("From", "MAILER-DAEMON <MAILER-DAEMON@example.org>")
	f.Add("Subject", "=?UTF-8?Q?Undeliverable=3A_x?=")
	f.Add("Content-Type", "multipart/report; report-type=\"delivery-status")
	f.Fuzz(func(t *testing.T, name, value string) {
		_ = pickHeader(name, value) // must not panic
	})
}
