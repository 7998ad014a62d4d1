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

// providerPhrases are whole diagnostic lines as the providers send them
// (codes are taken from the text), with the reporting host when the bounce
// names it. Lines that servers.yaml also answers need the host to be
// recognised as the provider's.
var providerPhrases = []struct {
	name, host, line, id string
}{
	{"gmail no such user", "", "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser", "provider.gmail.recipient-not-found"},
	{"gmail over quota temp", "mx.google.com", "452-4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp", "provider.gmail.mailbox-full-delayed"},
	{"gmail over quota perm", "", "552-5.2.2 The email account that you tried to reach is over quota and inactive.", "provider.gmail.mailbox-full"},
	{"gmail rate first line", "mx.google.com", "421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address.", "provider.gmail.rate-limited-host"},
	{"gmail rate full", "", "421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited.", "provider.gmail.rate-limited"},
	{"gmail unauthenticated first line", "gmail-smtp-in.l.google.com", "550-5.7.26 This mail has been blocked because the sender is unauthenticated.", "provider.gmail.unauthenticated-host"},
	{"gmail dmarc perm", "", "550-5.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy.", "provider.gmail.unauthenticated"},
	{"gmail dmarc temp", "mx.google.com", "421-4.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy.", "provider.gmail.unauthenticated-delayed"},
	{"gmail spf temp", "", "421-4.7.27 Your email has been rate limited because SPF authentication didn't pass for this message.", "provider.gmail.spf-dkim-failed-delayed"},
	{"gmail dkim perm", "", "550-5.7.30 Your email has been blocked because DKIM authentication didn't pass for this message.", "provider.gmail.spf-dkim-failed"},
	{"gmail alignment", "", "421-4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain.", "provider.gmail.from-not-aligned-delayed"},
	{"gmail ptr temp", "", "421-4.7.25 The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not match the sending IP.", "provider.gmail.no-ptr-delayed"},
	{"gmail ptr", "", "550-5.7.25 The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not match the sending IP.", "provider.gmail.no-ptr"},
	{"yahoo TS01", "", "421 4.7.0 [TS01] Messages from 192.0.2.1 temporarily deferred due to user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes", "provider.yahoo.deferred-complaints"},
	{"yahoo TS03", "", "554 [TS03] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed.", "provider.yahoo.permanently-deferred"},
	{"yahoo policy", "mta6.am0.yahoodns.net", "554 5.7.9 Message not accepted for policy reasons.  See https://help.yahoo.com/kb/postmaster/SLN7253.html", "provider.yahoo.policy-reasons"},
	{"o365 5.1.10 from Microsoft", "eur01.prod.protection.outlook.com", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", "provider.microsoft.recipient-not-found-host"},
	{"o365 queue expired from Microsoft", "am6pr01mb1234.eurprd01.prod.outlook.com", "550 4.4.7 QUEUE.Expired; message expired", "provider.microsoft.message-expired-host"},
	{"o365 banned ip", "mx.microsoft.protection.outlook.com", "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/ and follow the directions.", "provider.microsoft.ip-blocklisted"},
	{"o365 dbeb", "mail.protection.outlook.com", "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [AM6EUR05FT012.eop-eur05.prod.protection.outlook.com]", "provider.microsoft.recipient-rejected-dbeb"},
	{"o365 tenant", "", "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.", "provider.microsoft.tenant-blocked"},
	{"o365 customer block list", "", "550 5.7.513 Service unavailable, Client host [192.0.2.1] blocked by example.com using Customer Block list (AS16012607)", "provider.microsoft.customer-block-list"},
	{"o365 group", "", "550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed because the sender was not authenticated when sending to this group", "provider.microsoft.internal-only-recipient"},
}

func TestProviderPhrases(t *testing.T) {
	c := catalog.Builtin()
	for _, tt := range providerPhrases {
		t.Run(tt.name, func(t *testing.T) {
			for _, lang := range catalog.Languages {
				x := c.Explain(catalog.Query{Text: tt.line, Host: tt.host}, lang)
				if x.ID != tt.id {
					t.Fatalf("%s: got %s, want %s", lang, x.ID, tt.id)
				}
				checkProviderExplanation(t, x, lang)
			}
		})
	}
}
