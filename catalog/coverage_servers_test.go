package catalog

import (
	"strings"
	"testing"
)

// serverPhrases are real replies of common mail servers for common
// failures. Each must resolve to a servers.yaml entry (matched by its
// wording, not a fallback) with the right reason and permanence; a line
// that names a public blocklist may resolve to the policy.yaml entry for
// that list instead (see coverage_policy_test.go).
var serverPhrases = []struct {
	family, server string
	status         string // Status field of the DSN, when the line has no code
	line           string
	reason         string
	permanent      bool
}{
	// user unknown
	{"user unknown", "Postfix", "", "host mx.example.org[192.0.2.1] said: 550 5.1.1 <kim@example.org>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)", "userunknown", true},
	{"user unknown", "Postfix", "", "550 5.1.1 <kim@example.org>: Recipient address rejected: User unknown in virtual mailbox table", "userunknown", true},
	{"user unknown", "Exim", "", "SMTP error from remote mail server after RCPT TO:<kim@example.org>: 550 No Such User Here", "userunknown", true},
	{"user unknown", "Sendmail", "", "550 5.1.1 <kim@example.org>... User unknown", "userunknown", true},
	{"user unknown", "qmail", "", "Remote host said: 550 sorry, no mailbox here by that name (#5.1.1 - chkuser)", "userunknown", true},
	{"user unknown", "Exchange", "", "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", "userunknown", true},
	{"user unknown", "Office 365", "", "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'", "userunknown", true},
	{"user unknown", "Office 365", "", "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)", "userunknown", true},
	{"user unknown", "Postfix", "", "450 4.1.1 <kim@example.org>: Recipient address rejected: User unknown in local recipient table", "userunknown", false},
	// mailbox full
	{"mailbox full", "Postfix", "5.2.2", "cannot update mailbox /var/mail/kim for user kim. error writing message: Disk quota exceeded", "mailboxfull", true},
	{"mailbox full", "Postfix", "", "552 5.2.2 <kim@example.org> Quota exceeded (mailbox for user is full)", "mailboxfull", true},
	{"mailbox full", "Exim", "", "mailbox is full: retry timeout exceeded", "mailboxfull", true},
	{"mailbox full", "Sendmail", "", "552 5.2.2 <kim@example.org>... Mailbox full", "mailboxfull", true},
	{"mailbox full", "qmail", "", "Sorry, the user's maildir has overdrawn his diskspace quota, please try again later. (#4.2.2)", "mailboxfull", false},
	{"mailbox full", "qmail", "", "552 user is over quota (#5.2.2)", "mailboxfull", true},
	{"mailbox full", "Exchange", "", "#550 5.2.2 STOREDRV.Deliver: mailbox full. The following information should help identify the cause", "mailboxfull", true},
	{"mailbox full", "Postfix", "", "452 4.2.2 <kim@example.org>: Mailbox is full", "mailboxfull", false},
	// relay denied
	{"relay denied", "Postfix", "", "554 5.7.1 <kim@example.org>: Relay access denied", "norelaying", true},
	{"relay denied", "Exim", "", "550 relay not permitted", "norelaying", true},
	{"relay denied", "Sendmail", "", "550 5.7.1 <kim@example.org>... Relaying denied. Proper authentication required.", "norelaying", true},
	{"relay denied", "qmail", "", "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", "norelaying", true},
	{"relay denied", "Exchange", "", "550 5.7.1 Unable to relay", "norelaying", true},
	{"relay denied", "Office 365", "", "550 5.7.64 TenantAttribution; Relay Access Denied", "norelaying", true},
	// host or domain not found
	{"host not found", "Postfix", "5.4.4", "Host or domain name not found. Name service error for name=example.org type=MX: Host not found", "hostunknown", true},
	{"host not found", "Postfix", "4.4.3", "Host or domain name not found. Name service error for name=example.org type=MX: Host not found, try again", "hostunknown", false},
	{"host not found", "Exim", "", "Unrouteable address", "hostunknown", true},
	{"host not found", "Exim", "", "all relevant MX records point to non-existent hosts", "hostunknown", true},
	{"host not found", "Sendmail", "", "550 5.1.2 <kim@example.org>... Host unknown (Name server: example.org: host not found)", "hostunknown", true},
	{"host not found", "qmail", "", "Sorry, I couldn't find any host named example.org. (#5.1.2)", "hostunknown", true},
	{"host not found", "Exchange", "", "Remote Server returned '554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain'", "hostunknown", true},
	// connection timed out
	{"timed out", "Postfix", "", "connect to mx.example.org[192.0.2.1]:25: Connection timed out", "expired", true},
	{"timed out", "Postfix", "4.4.1", "connect to mx.example.org[192.0.2.1]:25: Connection timed out", "networkerror", false},
	{"timed out", "Postfix", "4.4.2", "conversation with mx.example.org[192.0.2.1] timed out while receiving the initial server greeting", "networkerror", false},
	{"timed out", "Exim", "", "retry timeout exceeded", "expired", true},
	{"timed out", "Sendmail", "4.4.1", "Deferred: Connection timed out with mx.example.org.", "networkerror", false},
	{"timed out", "qmail", "", "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)", "networkerror", false},
	{"timed out", "qmail", "", "I'm not going to try again; this message has been in the queue too long.", "expired", true},
	{"timed out", "Exchange", "", "Error encountered while communicating with primary target IP address: \"Failed to connect. Winsock error code: 10060, Win32 error code: 10060.\"", "expired", true},
	{"timed out", "Exchange", "", "550 4.4.7 QUEUE.Expired; message expired", "expired", true},
	// connection refused
	{"refused", "Postfix", "", "connect to mx.example.org[192.0.2.1]:25: Connection refused", "networkerror", true},
	{"refused", "Postfix", "4.4.1", "connect to mx.example.org[192.0.2.1]:25: Connection refused", "networkerror", false},
	{"refused", "Sendmail", "", "<kim@example.org>... Deferred: Connection refused by mx.example.org.", "networkerror", true},
	{"refused", "Exim", "4.0.0", "mx.example.org [192.0.2.1] Connection refused", "networkerror", false},
	{"refused", "Office 365", "", "451 4.4.316 Connection refused [Message=Socket error code 10061]", "networkerror", false},
	// message too large
	{"too large", "Postfix", "", "552 5.3.4 Message size exceeds fixed limit", "mesgtoobig", true},
	{"too large", "Exim", "", "552 Message size exceeds maximum permitted", "mesgtoobig", true},
	{"too large", "Exim", "", "message too big: read=12345678 max=10485760", "mesgtoobig", true},
	{"too large", "Sendmail", "", "552 5.2.3 Message exceeds maximum fixed size (10485760)", "mesgtoobig", true},
	{"too large", "qmail", "", "552 sorry, that message size exceeds my databytes limit (#5.3.4)", "mesgtoobig", true},
	{"too large", "Exchange", "", "550 5.3.4 ROUTING.SizeLimit; message size exceeds fixed maximum size for route", "mesgtoobig", true},
	// rejected as spam
	{"spam", "Postfix", "", "554 5.7.1 Spam message rejected", "spamdetected", true},
	{"spam", "Exim", "", "550 This message was classified as SPAM and may not be delivered", "spamdetected", true},
	{"spam", "Sendmail", "", "550 5.7.1 Blocked by SpamAssassin", "spamdetected", true},
	{"spam", "qmail", "", "552 Your email is considered spam (8.40 spam-hits)", "spamdetected", true},
	{"spam", "Exchange", "", "550 5.7.1 Message rejected as spam by Content Filtering.", "spamdetected", true},
	{"spam", "Office 365", "", "550 5.7.350 Remote server returned message detected as spam", "spamdetected", true},
	// listed on a blocklist
	{"blocklist", "Postfix", "", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1", "blocked", true},
	{"blocklist", "Exim", "", "550 rejected because 192.0.2.1 is in a black list at zen.spamhaus.org", "blocked", true},
	{"blocklist", "Sendmail", "", "550 5.7.1 Rejected: 192.0.2.1 listed at bl.example.net", "blocked", true},
	{"blocklist", "qmail", "", "451 http://www.spamhaus.org/query/bl?ip=192.0.2.1", "blocked", false},
	{"blocklist", "Office 365", "", "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/", "blocked", true},
	{"blocklist", "Office 365", "", "550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus.", "blocked", true},
	// greylisted
	{"greylisted", "Postfix", "", "450 4.2.0 <kim@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html", "blocked", false},
	{"greylisted", "Exim", "", "451 4.7.1 Greylisted, please try again in 300 seconds", "blocked", false},
	{"greylisted", "Sendmail", "", "451 4.7.1 Greylisting in action, please come back in 00:05:00", "blocked", false},
	// sender rejected
	{"sender rejected", "qmail", "", "Connected to 192.0.2.1 but sender was rejected.", "rejected", true},
	{"sender rejected", "Postfix", "", "553 5.1.8 <kim@example.com>: Sender address rejected: Domain not found", "rejected", true},
	{"sender rejected", "Office 365", "", "550 5.1.0 Sender denied", "rejected", true},
	// sender authentication (SPF, DKIM, DMARC)
	{"authentication", "Office 365", "", "550 5.7.509 Access denied, sending domain [EXAMPLE.JP] does not pass DMARC verification and has a DMARC policy of reject.", "authfailure", true},
	{"authentication", "Office 365", "", "550 5.7.23 The message was rejected because of Sender Policy Framework violation", "authfailure", true},
	{"authentication", "Gmail", "", "550-5.7.26 This mail has been blocked because the sender is unauthenticated.", "authfailure", true},
	{"authentication", "Gmail", "", "421-4.7.26 Unauthenticated email from example.org is not accepted due to domain's DMARC policy", "authfailure", false},
	// reverse DNS
	{"reverse dns", "Postfix", "", "450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]", "requireptr", false},
	{"reverse dns", "Postfix", "", "550 5.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.1]", "requireptr", true},
	{"reverse dns", "Sendmail", "", "450 4.7.1 Access denied. IP name lookup failed [192.0.2.1]", "requireptr", false},
	{"reverse dns", "Exim", "", "550 No PTR Record found. Reverse DNS required", "requireptr", true},
	// virus
	{"virus", "Postfix", "", "550 Virus Detected; Content Rejected", "virusdetected", true},
	{"virus", "Postfix", "", "554 5.7.0 Reject, id=12345-01 - VIRUS: Eicar-Test-Signature", "virusdetected", true},
	{"virus", "Sendmail", "", "554 5.7.1 Rejected: Infected with Eicar-Test-Signature", "virusdetected", true},
	// account disabled
	{"disabled", "Exim", "", "550 Mailbox is frozen.", "suspend", true},
	{"disabled", "Postfix", "", "550 5.2.1 <kim@example.org>: Recipient address rejected: account disabled", "suspend", true},
	// domain takes no mail
	{"no mail", "qmail", "", "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)", "notaccept", true},
	{"no mail", "Gmail", "5.1.2", "DNS Error: DNS type 'mx' lookup of example.org responded with code NOERROR The domain example.org doesn't receive email according to the administrator", "notaccept", true},
	// sign-in required
	{"sign-in", "Exchange", "", "530 5.7.1 Client was not authenticated", "securityerror", true},
	{"sign-in", "MessageLabs", "", "550-Please turn on SMTP Authentication in your mail client.", "securityerror", true},
	// rate limits
	{"rate", "Gmail", "", "421-4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address.", "speeding", false},
	{"rate", "Postfix", "", "452 4.3.2 Connection rate limit exceeded.", "speeding", false},
	{"rate", "Office 365", "", "550 5.7.508 Access denied, [192.0.2.1] has exceeded permitted limits within 192.0.2.0/24 range", "speeding", true},
	{"connections", "Exim", "", "421 Too many concurrent SMTP connections; please try again later.", "toomanyconn", false},
	{"connections", "Postfix", "", "421 4.7.0 mx.example.org Error: too many connections from 192.0.2.1", "toomanyconn", false},
}

// ownEntry reports whether id is an entry that may answer a phrase of family.
func ownEntry(id, family string) bool {
	return strings.HasPrefix(id, "server.") || family == "blocklist" && strings.HasPrefix(id, "policy.")
}

func TestServerPhraseCoverage(t *testing.T) {
	c := Builtin()
	families := map[string]map[string]bool{}
	for _, tt := range serverPhrases {
		t.Run(tt.family+"/"+tt.server+"/"+tt.line, func(t *testing.T) {
			q := ParseLine(tt.line)
			if tt.status != "" {
				q.Status = tt.status
			}
			e, score := c.lookup(FillCodes(q))
			if e == nil || e.Fallback() || !ownEntry(e.ID, tt.family) || score < scoreText {
				t.Fatalf("got %v (score %d), want a servers.yaml entry matched by its wording", e, score)
			}
			if e.Reason != tt.reason || e.Permanent != tt.permanent {
				t.Errorf("%s: reason %s permanent %v, want %s %v", e.ID, e.Reason, e.Permanent, tt.reason, tt.permanent)
			}
		})
		if families[tt.family] == nil {
			families[tt.family] = map[string]bool{}
		}
		families[tt.family][tt.server] = true
	}
	// Every family is covered for the servers that produce it.
	for _, fam := range []string{"user unknown", "mailbox full", "relay denied", "host not found", "timed out", "refused", "too large", "spam", "blocklist"} {
		for _, srv := range []string{"Postfix", "Exim", "Sendmail", "qmail"} {
			if fam == "refused" && srv == "qmail" {
				continue // qmail reports refused connections with its time-out wording
			}
			if !families[fam][srv] {
				t.Errorf("no %s phrase of %s", fam, srv)
			}
		}
		if !families[fam]["Exchange"] && !families[fam]["Office 365"] {
			t.Errorf("no %s phrase of Exchange / Office 365", fam)
		}
	}
}
