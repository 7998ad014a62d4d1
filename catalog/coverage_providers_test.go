package catalog_test

import (
	"bufio"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/catalog"
)

// providerTable lists the bounce wording of Microsoft 365, Gmail and Yahoo
// (columns provider, code, provider_text, meaning_or_cause, source).
const providerTable = "../testdata/reference/provider-bounce-codes.tsv"

// providerHosts are reporting hosts of each provider, as a bounce names them.
var providerHosts = map[string]string{
	"Microsoft 365": "eur05.mail.protection.outlook.com",
	"Gmail":         "mx.google.com",
	"Yahoo":         "mta7.am0.yahoodns.net",
}

// sharedWording lists rows whose exact wording and codes are also a test
// phrase of servers.yaml (coverage_servers_test.go). Without a host the
// server entry answers them; the provider entry needs the provider's host.
// Keyed by code column and provider_text prefix.
var sharedWording = map[string]bool{
	"4.4.316|Connection refused":                   true,
	"5.1.0|Sender denied":                          true,
	"5.4.1|Recipient address rejected":             true,
	"5.7.23|The message was rejected":              true,
	"5.7.64|TenantAttribution":                     true,
	"5.7.508|Access denied, [$SenderIPAddress]":    true,
	"5.7.509|Access denied, sending domain":        true,
	"5.7.606-649|Access denied, banned sending IP": true,
}

// describedRows gives the provider's real wording for rows whose
// provider_text column only describes the reply in parentheses.
var describedRows = map[string]string{
	"552 5.2.2": "The recipient's inbox is out of storage space and inactive. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm",
}

type providerRow struct {
	provider, code, text string
	line                 int
}

func readProviderRows(t *testing.T) []providerRow {
	t.Helper()
	f, err := os.Open(providerTable)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []providerRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		cols := strings.Split(sc.Text(), "\t")
		if n == 1 || len(cols) < 3 {
			continue
		}
		rows = append(rows, providerRow{provider: cols[0], code: cols[1], text: cols[2], line: n})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

var (
	rowStatus = regexp.MustCompile(`\b[245]\.\d{1,3}\.\d{1,3}`)
	rowReply  = regexp.MustCompile(`^[45]\d\d\b`)
	// codeInText finds SMTP codes that must stay out of the reader's texts.
	codeInText = regexp.MustCompile(`\b[245]\.\d{1,3}\.\d{1,3}\b|\b[245]\d\d\b`)
)

// query builds the lookup for a row: its first reply code and enhanced
// status from the code column, and the provider's text.
func (r providerRow) query() catalog.Query {
	q := catalog.Query{Status: rowStatus.FindString(r.code), ReplyCode: rowReply.FindString(r.code), Text: r.text}
	if real, ok := describedRows[r.code]; ok {
		q.Text = real
	}
	return q
}

func (r providerRow) shared() bool {
	for k := range sharedWording {
		code, prefix, _ := strings.Cut(k, "|")
		if r.code == code && strings.HasPrefix(r.text, prefix) {
			return true
		}
	}
	return false
}

func TestProviderCoverage(t *testing.T) {
	rows := readProviderRows(t)
	if len(rows) < 45 {
		t.Fatalf("%s: %d rows, want the whole table", providerTable, len(rows))
	}
	c := catalog.Builtin()
	shared := 0
	for _, r := range rows {
		name := r.provider + "/" + r.code + "/" + r.text
		if len(name) > 80 {
			name = name[:80]
		}
		t.Run(name, func(t *testing.T) {
			host, ok := providerHosts[r.provider]
			if !ok {
				t.Fatalf("line %d: unknown provider %q", r.line, r.provider)
			}
			q := r.query()
			if q.Status == "" {
				t.Fatalf("line %d: no enhanced status in %q", r.line, r.code)
			}
			withHost := q
			withHost.Host = host
			for _, lang := range catalog.Languages {
				checkProviderExplanation(t, c.Explain(withHost, lang), lang)
				x := c.Explain(q, lang)
				if r.shared() {
					if !strings.HasPrefix(x.ID, "server.") {
						t.Errorf("line %d without host: %s, want the servers.yaml entry for the shared wording", r.line, x.ID)
					}
					continue
				}
				checkProviderExplanation(t, x, lang)
			}
		})
		if r.shared() {
			shared++
		}
	}
	if shared != len(sharedWording) {
		t.Errorf("%d rows with shared wording, want %d: update sharedWording", shared, len(sharedWording))
	}
}

// checkProviderExplanation asserts a provider entry with complete texts in
// lang, and no codes in the sentences written for the reader.
func checkProviderExplanation(t *testing.T, x catalog.Explanation, lang string) {
	t.Helper()
	if !strings.HasPrefix(x.ID, "provider.") {
		t.Fatalf("%s: got %s (%s), want a providers.yaml entry", lang, x.ID, x.Title)
	}
	if x.Lang != lang || x.Title == "" || x.Explanation == "" || x.Remedy == "" || x.AdminNote == "" {
		t.Errorf("%s %s: incomplete texts: %+v", x.ID, lang, x)
	}
	for _, s := range []string{x.Title, x.Explanation, x.Remedy} {
		if m := codeInText.FindString(s); m != "" {
			t.Errorf("%s %s: code %q in a text for the reader: %q", x.ID, lang, m, s)
		}
	}
}
