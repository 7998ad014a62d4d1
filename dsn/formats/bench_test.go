package formats

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

// BenchmarkTextBounces parses the text bounce samples of the Unix MTA
// families (Exim, qmail, Sendmail, Postfix, DragonFly, OpenSMTPD).
func BenchmarkTextBounces(b *testing.B) {
	var raws [][]byte
	for _, fam := range []string{"exim", "qmail", "v5sendmail", "dragonfly", "opensmtpd", "postfix"} {
		files, _ := filepath.Glob(filepath.Join(corpusDir, "bounces", "lhost-"+fam+"-*.eml"))
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			raws = append(raws, raw)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, raw := range raws {
			if _, err := dsn.Parse(raw, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// corpusMessages returns every message of the sisimai and normal corpora
// (testdata/corpus) and their total size.
func corpusMessages(b *testing.B) ([][]byte, int64) {
	var raws [][]byte
	var size int64
	for _, pattern := range []string{
		filepath.Join(corpusDir, "bounces", "*.eml"),
		filepath.Join(corpusDir, "..", "normal", "*", "*"),
	} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range files {
			if filepath.Base(f) == "LICENSE" {
				continue
			}
			raw, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			raws = append(raws, raw)
			size += int64(len(raw))
		}
	}
	if len(raws) < 400 {
		b.Fatalf("corpus: %d messages, want the whole corpus", len(raws))
	}
	return raws, size
}

// BenchmarkParseCorpus parses every message of the corpus (bounces and
// ordinary mail) once per iteration: format detection, reading and
// classification together. Errors (limits) count as parsed.
func BenchmarkParseCorpus(b *testing.B) {
	raws, size := corpusMessages(b)
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, raw := range raws {
			_, _ = dsn.Parse(raw, nil)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(raws)), "ns/msg")
}

// BenchmarkClassifyCorpus classifies every recipient of the corpus from
// its facts (the reason classifier alone, without parsing).
func BenchmarkClassifyCorpus(b *testing.B) {
	raws, _ := corpusMessages(b)
	var facts []dsn.Facts
	for _, raw := range raws {
		r, err := dsn.Parse(raw, nil)
		if err != nil || r == nil {
			continue
		}
		for i := range r.Recipients {
			facts = append(facts, dsn.RecipientFacts(&r.Recipients[i], r.ReportingMTA))
		}
	}
	if len(facts) < 300 {
		b.Fatalf("%d recipients, want the corpus's", len(facts))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range facts {
			_ = dsn.ClassifyFacts(f)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(facts)), "ns/recipient")
}

// diagnosticLines are real wordings of remote servers, repeated to build a
// long diagnostic text.
var diagnosticLines = []string{
	"The email account that you tried to reach does not exist. Please try",
	"double-checking the recipient's email address for typos or unnecessary",
	"spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser",
	"Requested action not taken: mailbox unavailable (in reply to RCPT TO command)",
	"Message rejected under suspicion of SPAM; https://ya.cc/1IrBc 1625207070-abcdEFgh",
	"Our system has detected that this message is likely unsolicited mail. To reduce",
	"the amount of spam sent to Gmail, this message has been blocked.",
}

// longText returns about size bytes of diagnostic lines, each prefixed by
// prefix.
func longText(prefix string, size int) string {
	var sb strings.Builder
	for i := 0; sb.Len() < size; i++ {
		sb.WriteString(prefix)
		sb.WriteString(diagnosticLines[i%len(diagnosticLines)])
		sb.WriteString("\n")
	}
	return sb.String()
}

// longDiagnosticBounce is an RFC 3464 bounce whose Diagnostic-Code field
// continues over size bytes of folded lines.
func longDiagnosticBounce(size int) []byte {
	return []byte("From: MAILER-DAEMON@mx.example.org\n" +
		"To: sender@example.com\n" +
		"Subject: Undelivered Mail Returned to Sender\n" +
		"MIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"BB\"\n\n" +
		"--BB\nContent-Type: text/plain; charset=us-ascii\n\nYour message could not be delivered.\n" +
		"--BB\nContent-Type: message/delivery-status\n\n" +
		"Reporting-MTA: dns; mx.example.org\n\n" +
		"Final-Recipient: rfc822; user@example.net\nAction: failed\nStatus: 5.1.1\n" +
		"Diagnostic-Code: smtp; 550-5.1.1 user unknown\n" + longText(" 550-5.1.1 ", size) +
		"\n--BB--\n")
}

// longTextBounce is a qmail text bounce (no delivery-status part) whose
// remote reply runs over size bytes.
func longTextBounce(size int) []byte {
	return []byte("From: MAILER-DAEMON@mx.example.org\n" +
		"To: sender@example.com\n" +
		"Subject: failure notice\n\n" +
		"Hi. This is the qmail-send program at mx.example.org.\n" +
		"I'm afraid I wasn't able to deliver your message to the following addresses.\n" +
		"This is a permanent error; I've given up. Sorry it didn't work out.\n\n" +
		"<user@example.net>:\n192.0.2.1 does not like recipient.\nRemote host said: 550 5.1.1 user unknown\n" +
		longText("", size) +
		"\n--- Below this line is a copy of the message.\n\nSubject: hello\n\nhello\n")
}

// BenchmarkLongDiagnostic parses bounces whose diagnostic text is long;
// MB/s is the speed over the whole message.
func BenchmarkLongDiagnostic(b *testing.B) {
	for _, tt := range []struct {
		name string
		raw  []byte
	}{
		{"rfc3464-1MB", longDiagnosticBounce(1 << 20)},
		{"rfc3464-4MB", longDiagnosticBounce(4 << 20)},
		{"qmailtext-1MB", longTextBounce(1 << 20)},
		{"qmailtext-4MB", longTextBounce(4 << 20)},
	} {
		b.Run(tt.name, func(b *testing.B) {
			r, err := dsn.Parse(tt.raw, nil)
			if err != nil || r.Kind == dsn.KindNone || len(r.Recipients) != 1 {
				b.Fatalf("not read as a one-recipient bounce: %v %+v", err, r)
			}
			b.SetBytes(int64(len(tt.raw)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := dsn.Parse(tt.raw, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// manyRecipientsBounce is an RFC 3464 bounce with n recipients, each with
// one of the diagnosticLines as its reply.
func manyRecipientsBounce(n int) []byte {
	var sb strings.Builder
	sb.WriteString("From: MAILER-DAEMON@mx.example.org\nTo: sender@example.com\n" +
		"Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"BB\"\n\n" +
		"--BB\nContent-Type: text/plain; charset=us-ascii\n\nYour message could not be delivered.\n" +
		"--BB\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "\nFinal-Recipient: rfc822; user%d@example.net\nAction: failed\nStatus: 5.%d.1\n"+
			"Remote-MTA: dns; mx%d.example.net\nDiagnostic-Code: smtp; 550 5.%d.1 %s\n",
			i, 1+i%7, i, 1+i%7, diagnosticLines[i%len(diagnosticLines)])
	}
	sb.WriteString("\n--BB--\n")
	return []byte(sb.String())
}

// BenchmarkRecipients parses reports with 1, 100 and 1000 recipients;
// ns/recipient is the time per recipient.
func BenchmarkRecipients(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		raw := manyRecipientsBounce(n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			r, err := dsn.Parse(raw, nil)
			if err != nil || len(r.Recipients) != n {
				b.Fatalf("want %d recipients: %v", n, err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := dsn.Parse(raw, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/recipient")
		})
	}
}
