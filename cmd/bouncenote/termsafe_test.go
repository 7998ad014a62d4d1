package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTermSafe(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "550 5.1.1 User unknown", "550 5.1.1 User unknown"},
		{"other scripts kept", "收件人不存在 Ünbekannt", "收件人不存在 Ünbekannt"},
		{"ESC sequence", "red \x1b[31mtext", `red \x1b[31mtext`},
		{"OSC title with BEL", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"CR LF and tab", "a\r\nb\tc", `a\r\nb\tc`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`},
		{"C1 CSI as a character", "a\u009b31m", `a\u009b31m`},
		{"C1 NEL", "a\u0085b", `a\u0085b`},
		{"raw C1 byte", "a\x9b31m", `a\x9b31m`},
		{"bidi override", "gnp\u202eexe", `gnp\u202eexe`},
		{"bidi embeddings", "\u202a\u202b\u202c\u202d", `\u202a\u202b\u202c\u202d`},
		{"bidi isolates", "\u2066\u2067\u2068\u2069", `\u2066\u2067\u2068\u2069`},
		{"bidi marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
		{"line and paragraph separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := termSafe(tt.in); got != tt.want {
				t.Errorf("termSafe(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// craftedBounce is the README's sample with its fields replaced.
func craftedBounce(t *testing.T, repl ...string) string {
	t.Helper()
	s := string(readT(t, sample))
	for i := 0; i+1 < len(repl); i += 2 {
		if !strings.Contains(s, repl[i]) {
			t.Fatalf("sample lacks %q", repl[i])
		}
		s = strings.Replace(s, repl[i], repl[i+1], 1)
	}
	return s
}

func encodedWord(s string) string {
	return "=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte(s)) + "?="
}

// checkTerminalSafe fails when out holds anything a terminal acts on other
// than the line feeds of the layout.
func checkTerminalSafe(t *testing.T, out string) {
	t.Helper()
	for i, r := range out {
		if r == utf8.RuneError || (r != '\n' && unsafeRune(r, utf8.RuneLen(r))) {
			t.Errorf("output has %U at byte %d:\n%s", r, i, out)
			return
		}
	}
}

// Bounce text reaches the text output of inspect escaped, and every field
// stays on its line: an encoded-word that decodes to CRLF cannot forge a
// recipient line.
func TestInspectEscapesControls(t *testing.T) {
	tests := []struct {
		name   string
		repl   []string
		escape string // what the output must show ("" when the parser drops it)
	}{
		{"CRLF in an encoded-word", []string{"To: Bob <bob@example.net>",
			"To: " + encodedWord("Bob\r\n  mallory@example.net  delivered  2.0.0\r\n") + " <bob@example.net>"}, `Bob\r\n  mallory@example.net`},
		{"ESC and BEL in the subject", []string{"Subject: Quarterly figures", "Subject: " + encodedWord("Quarterly \x1b[31mfigures\x07")}, `\x1b[31mfigures\x07`},
		{"bidi override in the subject", []string{"Subject: Quarterly figures", "Subject: " + encodedWord("invoice\u202efdp.exe")}, `invoice\u202efdp.exe`},
		{"OSC in the reporting MTA", []string{"Reporting-MTA: dns; mail.example.org", "Reporting-MTA: dns; mail\x1b]0;pwned\x07.example.org"}, `mail\x1b]0;pwned\x07.example.org`},
		{"controls in the diagnostic", []string{"<bob@example.net>: Recipient address rejected:\n", "<bob@example.net>: \x1b[2J\u009b\x7f\u2066 rejected:\n"}, `\x1b[2J\u009b\x7f\u2066 rejected`},
		{"separator in the diagnostic", []string{"<bob@example.net>: Recipient address rejected:\n", "<bob@example.net>: \u2028rejected:\n"}, ""},
		{"raw C1 byte in the diagnostic", []string{"<bob@example.net>: Recipient address rejected:\n", "<bob@example.net>: \x9b31m rejected:\n"}, ""},
		{"bidi isolate in the message-id", []string{"Message-ID: <c0ffee42@example.org>", "Message-ID: <c0ffee\u206742@example.org>"}, `<c0ffee\u206742@example.org>`},
		{"separator in the remote MTA", []string{"Remote-MTA: dns; mx1.example.net", "Remote-MTA: dns; mx1\u2029.example.net"}, ""},
		{"controls in the recipient", []string{"Final-Recipient: rfc822; bob@example.net", "Final-Recipient: rfc822; bob\x1b[8m@example.net"}, ""},
	}
	dir := t.TempDir()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.Repeat("m", i+1)+".eml")
			if err := os.WriteFile(p, []byte(craftedBounce(t, tt.repl...)), 0o644); err != nil {
				t.Fatal(err)
			}
			out, stderr, code := runCmd(t, "", "inspect", p)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkTerminalSafe(t, out)
			if !strings.Contains(out, tt.escape) { // "" always is
				t.Errorf("output lacks %q:\n%s", tt.escape, out)
			}
			// The layout of the sample: head, MTA, original, recipient,
			// diagnostic, explanation, blank line.
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			prefixes := []string{p + ": failure", "  reporting MTA: ", "  original: subject ", "  ", "    550 ", "    => ", ""}
			if len(lines) != len(prefixes) {
				t.Fatalf("%d lines, want %d:\n%s", len(lines), len(prefixes), out)
			}
			if !strings.Contains(lines[3], "@example.net  failed  5.1.1  reply 550") {
				t.Errorf("line 4 %q is not the recipient's", lines[3])
			}
			for j, pre := range prefixes {
				if !strings.HasPrefix(lines[j], pre) {
					t.Errorf("line %d %q does not start with %q", j+1, lines[j], pre)
				}
			}
		})
	}
	t.Run("file name and error", func(t *testing.T) {
		p := filepath.Join(dir, "evil\x1b[2J.eml")
		out, stderr, code := runCmd(t, "", "inspect", p)
		if code != 1 || out != "" {
			t.Errorf("exit %d, stdout %q", code, out)
		}
		checkTerminalSafe(t, stderr)
		if !strings.Contains(stderr, `evil\x1b[2J.eml: cannot read: no such file`) {
			t.Errorf("stderr %q", stderr)
		}
	})
}
