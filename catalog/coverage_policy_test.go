package catalog_test

import (
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/catalog"
)

// policyPhrases are whole diagnostic lines that name a blocklist, a block
// rule, greylisting or a TLS requirement, each with the policy.yaml entry
// and reason it must get. status is the DSN's Status field for lines that
// carry no code of their own; final marks a recipient whose delivery was
// given up (Action: failed).
var policyPhrases = []phraseRow{
	// public IP blocklists
	{"spamhaus zen", "", "", false, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1", "policy.spamhaus", "blocked"},
	{"spamhaus exim", "", "", false, "550 rejected because 192.0.2.1 is in a black list at zen.spamhaus.org", "policy.spamhaus", "blocked"},
	{"spamhaus o365", "", "", false, "550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus. To request removal from this list see https://www.spamhaus.org/query/lookup/ (AS3130)", "policy.spamhaus", "blocked"},
	{"spamhaus pbl", "", "", false, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using pbl.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1", "policy.spamhaus-pbl", "blocked"},
	{"spamcop see", "", "", false, "553 5.7.1 Blocked - see https://www.spamcop.net/bl.shtml?192.0.2.1", "policy.spamcop", "blocked"},
	{"spamcop listed at", "", "", false, "550 5.7.1 Rejected: 192.0.2.1 listed at bl.spamcop.net", "policy.spamcop", "blocked"},
	{"spamcop via junkemailfilter", "", "", false, "550-JunkMail rejected - mail.example.com [192.0.2.1]:24706 is in an RBL: Blocked - see https://www.spamcop.net/bl.shtml?192.0.2.1", "policy.spamcop", "blocked"},
	{"barracuda reputation", "d123456.a.ess.barracudanetworks.com", "", false, "550 Service unavailable; Client host [smtp.example.com] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?r=1&ip=192.0.2.1", "policy.barracuda", "blocked"},
	{"barracuda brbl", "", "", false, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using b.barracudacentral.org", "policy.barracuda", "blocked"},
	{"sorbs", "", "", false, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using dnsbl.sorbs.net; Currently Sending Spam See: http://www.sorbs.net/lookup.shtml?192.0.2.1", "policy.sorbs", "blocked"},
	{"uceprotect", "", "", false, "553 Your IP is BLACKLISTED at UCEPROTECT-LEVEL 1 - See: http://www.uceprotect.net/rblcheck.php?ipr=192.0.2.1", "policy.uceprotect", "blocked"},
	{"psbl", "", "", false, "550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using psbl.surriel.com; Listed in PSBL, see http://psbl.org/listing?ip=192.0.2.1", "policy.psbl", "blocked"},
	{"spamrats", "", "", false, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using noptr.spamrats.com; SPAMRATS IP Addresses See: http://www.spamrats.com/lookup.php?ip=192.0.2.1", "policy.spamrats", "blocked"},
	{"mailspike", "", "", false, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using bl.mailspike.net", "policy.mailspike", "blocked"},
	{"invaluement", "", "", false, "550 5.7.1 Rejected: 192.0.2.1 listed at ivmSIP, see https://www.invaluement.com/lookup/", "policy.invaluement", "blocked"},
	{"abusix", "", "", false, "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using combined.mail.abusix.zone; https://lookup.abusix.com/search?q=192.0.2.1", "policy.abusix", "blocked"},
	{"0spam", "", "", false, "550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using bl.0spam.org", "policy.0spam", "blocked"},
	{"junkemailfilter", "", "", false, "550 JunkMail rejected - mail.example.com [192.0.2.1]:24706 is in an RBL on rbl.junkemailfilter.com", "policy.junkemailfilter", "blocked"},
	{"trend micro", "", "", false, "550 Service unavailable; Client Host [192.0.2.1] blocked using Trend Micro RBL+. Please see http://www.mail-abuse.com/cgi-bin/lookup?ip_address=192.0.2.1", "policy.trendmicro-rbl", "blocked"},
	{"generic rbl", "", "", false, "554 5.7.1 Client host rejected: your IP 192.0.2.1 is listed in our RBL", "policy.rbl", "blocked"},
	{"list delayed", "", "", false, "451 4.7.1 Service unavailable; Client host [192.0.2.1] blocked using bl.spamcop.net", "policy.ip-blocklist-delayed", "blocked"},
	{"list delayed, given up", "", "", true, "451 4.7.1 Service unavailable; Client host [192.0.2.1] blocked using bl.spamcop.net", "policy.spamcop", "blocked"},
	{"list delayed qmail", "", "", false, "451 http://www.spamhaus.org/query/bl?ip=192.0.2.1", "policy.ip-blocklist-delayed-reply", "blocked"},
	// reputation services
	{"cisco", "mx1.hc1234-56.iphmx.com", "", false, "554 Your access to this mail system has been rejected due to the sending MTA's poor reputation. If you believe that this failure is in error, please contact the intended recipient via alternate means.", "policy.cisco-reputation", "badreputation"},
	{"proofpoint", "mx0a-001234.pphosted.com", "", false, "554 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=192.0.2.1", "policy.proofpoint-reputation", "badreputation"},
	{"proofpoint delayed", "", "", false, "451 4.7.1 Deferred - see https://ipcheck.proofpoint.com/?ip=192.0.2.1", "policy.proofpoint-reputation-delayed", "badreputation"},
	{"proofpoint delayed reply", "", "", false, "451 Deferred - see https://ipcheck.proofpoint.com/?ip=192.0.2.1", "policy.proofpoint-reputation-delayed-reply", "badreputation"},
	// domain blocklists
	{"dbl sender", "", "", false, "554 5.7.1 Service unavailable; Sender address [kim@example.com] blocked using dbl.spamhaus.org; https://www.spamhaus.org/query/domain/example.com", "policy.domain-blocklist-sender", "blocked"},
	{"o365 mailfrom domain", "", "", false, "550 5.7.1 Service unavailable, MailFrom domain is listed in Spamhaus. To request removal from this list see https://www.spamhaus.org/query/lookup/ (S8002)", "policy.domain-blocklist-sender", "blocked"},
	{"dbl client name", "", "", false, "554 5.7.1 Service unavailable; Client host [mail.example.com] blocked using dbl.spamhaus.org; https://www.spamhaus.org/query/domain/example.com", "policy.domain-blocklist-server-name", "blocked"},
	{"uribl url", "", "", false, "554 5.7.1 Message rejected because it contains a URL listed in multi.uribl.com", "policy.domain-link", "spamdetected"},
	{"barracuda spam url", "", "", false, "554 rejected due to spam URL in content", "policy.domain-link", "spamdetected"},
	{"icloud dbl", "", "", false, "550 5.7.1 Your email was rejected due to having a domain present in the Spamhaus DBL -- see https://www.spamhaus.org/dbl/", "policy.spamhaus-dbl", "spamdetected"},
	{"uribl", "", "", false, "550 5.7.1 Rejected: example.com is listed in black.uribl.com", "policy.uribl", "spamdetected"},
	{"surbl", "", "", false, "554 5.7.1 Rejected: example.com listed at multi.surbl.org", "policy.surbl", "spamdetected"},
	// the recipient's own lists
	{"blacklisted by user", "", "", false, "550 5.7.1 Message rejected: sender is blacklisted by user", "policy.recipient-blocked-sender", "blocked"},
	{"mimecast user entry", "", "", false, "550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550 [AbCdEfGh.uk12]", "policy.recipient-blocked-sender", "blocked"},
	{"trend micro block-send-er", "", "", false, "554 5.7.1 <kim@example.com>: Recipient address rejected: BLOCK-SEND-ER.", "policy.recipient-blocked-sender", "blocked"},
	{"ip blacklisted by recipient", "", "", false, "550 5.7.1 IP address blacklisted by recipient", "policy.recipient-blocked-ip", "blocked"},
	{"postfix client access", "", "", false, "554 5.7.1 <unknown[192.0.2.1]>: Client host rejected: Access denied", "policy.recipient-blocked-ip", "blocked"},
	{"postfix sender access", "", "", false, "550 5.7.1 <kim@example.com>: Sender address rejected: Access denied", "policy.sender-access-denied", "rejected"},
	// greylisting that never passed (the delay is server.greylisted)
	{"postgrey given up", "", "", true, "450 4.2.0 <kim@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html", "policy.greylisted-final", "expired"},
	{"milter-greylist given up", "", "", true, "451 4.7.1 Greylisting in action, please come back in 00:05:00", "policy.greylisted-final", "expired"},
	{"greylist no status given up", "", "", true, "451 Greylisted, please try again later", "policy.greylisted-final", "expired"},
	// TLS
	{"tls not offered", "", "4.7.4", true, "TLS is required, but was not offered by host mx.example.org[192.0.2.1]", "policy.tls-not-offered", "failedstarttls"},
	{"tls not offered delayed", "", "4.7.4", false, "TLS is required, but was not offered by host mx.example.org[192.0.2.1]", "policy.tls-not-offered-delayed", "failedstarttls"},
	{"tls not available delayed", "", "", false, "454 TLS not available due to local problem", "policy.tls-not-offered-delayed-reply", "failedstarttls"},
	{"certificate", "", "4.7.5", true, "Server certificate not verified", "policy.tls-certificate", "failedstarttls"},
	{"certificate delayed", "", "4.7.5", false, "certificate verification failed for mx.example.org[192.0.2.1]:25: untrusted issuer /C=US/O=Example CA", "policy.tls-certificate-delayed", "failedstarttls"},
	{"mta-sts delayed reply", "", "", false, "451 Remote certificate failed MTA-STS validation. Reason: RemoteCertificateNameMismatch", "policy.tls-certificate-delayed-reply", "failedstarttls"},
	{"dane", "", "5.7.5", true, "DANE TLSA records for mx.example.org do not match its certificate", "policy.tls-dane", "failedstarttls"},
	{"dane delayed", "", "4.7.5", false, "no usable TLSA records for DANE at mx.example.org", "policy.tls-dane-delayed", "failedstarttls"},
	{"dane delayed reply", "", "", false, "451 TLSA lookup error for mx.example.org:25", "policy.tls-dane-delayed-reply", "failedstarttls"},
	{"handshake", "", "4.7.5", true, "Cannot start TLS: handshake failure", "policy.tls-handshake", "failedstarttls"},
	{"handshake delayed", "", "4.4.2", false, "TLS session: (SSL_connect): error:0A000410:SSL routines::sslv3 alert handshake failure", "policy.tls-handshake-delayed", "failedstarttls"},
	{"handshake delayed reply", "", "", false, "421 TLS negotiation failed", "policy.tls-handshake-delayed-reply", "failedstarttls"},
	{"starttls first", "", "", false, "530 5.7.0 Must issue a STARTTLS command first", "policy.tls-required-by-recipient", "failedstarttls"},
	{"starttls required delayed", "", "", false, "451 4.7.0 STARTTLS required for this domain", "policy.tls-required-by-recipient-delayed", "failedstarttls"},
	{"starttls required delayed reply", "", "", false, "451 STARTTLS is required to send mail", "policy.tls-required-by-recipient-delayed-reply", "failedstarttls"},
	// mail filters
	{"mimecast greylisting", "us-smtp-inbound-1.mimecast.com", "", false, "451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451 [AbCdEfGh.us32]", "policy.mimecast-greylisting", "blocked"},
	{"mimecast greylisting given up", "", "", true, "451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451 [AbCdEfGh.us32]", "policy.mimecast-greylisting-final", "blocked"},
	{"mimecast unresolvable", "", "", false, "451 Message temporarily deferred due to unresolvable RFC.5321 from address - https://community.mimecast.com/docs/DOC-1369#451", "policy.mimecast-unresolvable-sender", "rejected"},
	{"mimecast unresolvable given up", "", "", true, "451 Message temporarily deferred due to unresolvable RFC.5321 from address - https://community.mimecast.com/docs/DOC-1369#451", "policy.mimecast-unresolvable-sender-final", "rejected"},
	{"mimecast anti-spoofing", "", "", false, "550 Rejected by header based Anti-Spoofing policy: kim@example.com - https://community.mimecast.com/docs/DOC-1369#550", "policy.mimecast-anti-spoofing", "rejected"},
	{"mimecast admin block", "", "", false, "550 Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550", "policy.mimecast-admin-block", "rejected"},
	{"spam or virus", "", "", false, "554 5.7.1 Message contains spam or virus", "policy.content-filter", "spamdetected"},
	{"barracuda blocked", "d123456a.ess.barracudanetworks.com", "", false, "550 permanent failure for one or more recipients (kim@example.com:blocked)", "policy.barracuda-gateway-block", "blocked"},
	{"spam score", "", "", false, "550 5.7.1 Rejected: SpamAssassin score 12.3 exceeds the limit of 5.0", "policy.spam-score", "spamdetected"},
}

func TestPolicyPhrases(t *testing.T) {
	testPhraseTable(t, policyPhrases, "policy.yaml", checkPolicyTexts)
}

// permanentCode reports whether the delivery failed for good by its code:
// the DSN status when given, else the first code of the line.
func permanentCode(status, line string) bool {
	if status == "" {
		q := catalog.ParseLine(line)
		status = q.Status
		if status == "" {
			status = q.ReplyCode
		}
	}
	return strings.HasPrefix(status, "5")
}

// checkPolicyTexts asserts complete texts with no codes in the sentences
// for the reader, and the polite 您 in Chinese.
func checkPolicyTexts(t *testing.T, x catalog.Explanation, lang string) {
	t.Helper()
	if x.Lang != lang || x.Title == "" || x.Explanation == "" || x.Remedy == "" || x.AdminNote == "" {
		t.Errorf("%s %s: incomplete texts: %+v", x.ID, lang, x)
	}
	for _, s := range []string{x.Title, x.Explanation, x.Remedy} {
		if m := codeInText.FindString(s); m != "" {
			t.Errorf("%s %s: code %q in a text for the reader: %q", x.ID, lang, m, s)
		}
		if lang == catalog.LangZHCN && strings.Contains(s, "你") {
			t.Errorf("%s: 你 instead of 您: %q", x.ID, s)
		}
	}
}
