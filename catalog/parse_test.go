package catalog

import (
	"errors"
	"strings"
	"testing"
)

func TestParseLine(t *testing.T) {
	tests := []struct {
		name, in, reply, status string
	}{
		{"reply status text", "550 5.7.1 We do not relay", "550", "5.7.1"},
		{"multiline reply", "550-5.1.1 The email account that you tried to reach does not exist.", "550", "5.1.1"},
		{"bare status", "4.4.7", "", "4.4.7"},
		{"bare reply", "421", "421", ""},
		{"diagnostic-code type", "smtp; 550 5.1.1 <a@b>... User unknown", "550", "5.1.1"},
		{"postfix said", "host mx.example.org[192.0.2.1] said: 550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)", "550", "5.1.1"},
		{"exchange quoted", "Remote Server returned '554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain'", "554", "5.4.4"},
		{"exchange hash", "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", "550", "5.1.1"},
		{"qmail hash status", "550 sorry, no mailbox here by that name (#5.1.1 - chkusr)", "550", "5.1.1"},
		{"reply without status", "host mx.example.org said: 552 Message size exceeds fixed maximum message size", "552", ""},
		{"doubled reply", "550 550 5.7.1 Access denied", "550", "5.7.1"},
		{"three-digit subject", "550 5.7.606 Access denied, banned sending IP [192.0.2.225]", "550", "5.7.606"},
		{"ip address is no status", "connect to 10.4.4.7[10.4.4.7]:25: Connection timed out", "", ""},
		{"port is no reply", "connect to mx.example.org[192.0.2.1]:587: Connection refused", "", ""},
		{"number in text is no reply", "Message size 500 exceeds the limit", "", ""},
		{"version is no status", "Postfix 2.11.3 (Debian)", "", ""},
		{"failure preferred to success", "250 2.0.0 Ok then 451 4.3.0 try later", "451", "4.3.0"},
		{"success status alone", "250 2.1.5 Ok", "250", "2.1.5"},
		{"status at sentence end", "The status was 5.2.2.", "", "5.2.2"},
		{"empty", "", "", ""},
		{"spaces", "   ", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := ParseLine(tt.in)
			if q.ReplyCode != tt.reply || q.Status != tt.status {
				t.Errorf("ParseLine(%q) = reply %q status %q, want %q %q", tt.in, q.ReplyCode, q.Status, tt.reply, tt.status)
			}
			if q.Text != strings.TrimSpace(tt.in) {
				t.Errorf("Text = %q", q.Text)
			}
		})
	}
}

func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		"550 5.7.1 We do not relay", "550-5.1.1 The email account", "4.4.7",
		"smtp; 550 5.1.1 <a@b>... User unknown", "#5.1.1", "5.", "550-", "1.2.3.4.5.6",
	} {
		f.Add(s)
	}
	c := Builtin()
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseLine(s)
		if q.Text != strings.TrimSpace(s) {
			t.Fatalf("Text %q, want the trimmed input", q.Text)
		}
		if q.Status != "" {
			if _, ok := parseStatus(q.Status, false); !ok || !strings.Contains(s, q.Status) {
				t.Fatalf("status %q not a status taken from %q", q.Status, s)
			}
		}
		if q.ReplyCode != "" {
			if _, ok := parseReply(q.ReplyCode, false); !ok || !strings.Contains(s, q.ReplyCode) {
				t.Fatalf("reply %q not a code taken from %q", q.ReplyCode, s)
			}
		}
		x := c.Explain(q, "zh-CN")
		if x.ID == "" || x.Title == "" {
			t.Fatalf("empty explanation for %q", s)
		}
	})
}

func TestHeading(t *testing.T) {
	c, err := Load("testdata/heading")
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{
		"en": "A note from the Example Corp helpdesk", "zh-CN": "Example 公司技术支持的说明", "de": "A note from the Example Corp helpdesk",
	} {
		if got := c.Heading(lang); got != want {
			t.Errorf("Heading(%q) = %q, want %q", lang, got, want)
		}
	}
	if h := Builtin().Heading("en"); h != "" {
		t.Errorf("built-in heading %q, want none", h)
	}
	_, err = Load("testdata/invalid/bad-heading.yaml")
	if err == nil || !strings.Contains(err.Error(), `unknown language "fr"`) || !errors.Is(err, ErrInvalid) {
		t.Errorf("bad heading: got %v", err)
	}
}
