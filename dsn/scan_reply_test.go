package dsn

import (
	"regexp"
	"strings"
	"testing"
)

// The regexps the scanners of scan_reply.go and stripTags replace; the
// scanners must answer exactly as these do.
var (
	refReplyEnhRe   = regexp.MustCompile(`(?:^|[^\d.])([245][0-5]\d)[ -]+[(#]?[245]\.\d{1,3}\.\d{1,3}(?:[^\d.]|$)`)
	refReplyStartRe = regexp.MustCompile(`(?i)^\s*(?:(?:smtp|x-[a-z-]+)\s*;\s*)?\(?([245][0-5]\d)(?:[ -]|$)`)
	refReplyAfterRe = regexp.MustCompile(`(?i)(?:said|replied|reply|response|responded|answered|error|<<<|code|status)\s*(?:was|is)?\s*[:=]?\s*\(?([245][0-5]\d)(?:[ -.]|$)`)
	refReplyColonRe = regexp.MustCompile(`[:;>]\s*([245][0-5]\d)[ -][A-Za-z<(#]`)
	refCommandRe    = regexp.MustCompile(`(?i)(?:in reply to|after(?:\s+pipelined)?|>>>|response to|while (?:sending|performing|receiving)|during)\s+(?:the\s+)?(end\s+of\s+data|end\s+of\s+message|message\s+body|rcpt\s+to|mail\s+from|data|rcpt|mail|ehlo|helo|starttls|auth|initial\s+(?:server\s+)?(?:connection|greeting)|connect(?:ion)?|greeting|banner)\b`)
	refStatusRe     = regexp.MustCompile(`\b([245]\.\d{1,3}\.\d{1,3})\b`)
	refTagRe        = regexp.MustCompile(`(?s)<(?:script|style)[^>]*>.*?</(?:script|style)>|<br\s*/?>|</p>|</div>|</tr>|<[^>]*>`)
)

// refStripTags is stripTags as it was, on refTagRe.
func refStripTags(s string) string {
	return refTagRe.ReplaceAllStringFunc(s, func(t string) string {
		lt := strings.ToLower(t)
		if strings.HasPrefix(lt, "<br") || lt == "</p>" || lt == "</div>" || lt == "</tr>" {
			return "\n"
		}
		return ""
	})
}

// replySamples are real diagnostic shapes (Postfix, Exim, Sendmail,
// Exchange, qmail) and the edge cases of each scanner: folded letters (ſ
// for s, the Kelvin sign), codes glued to digits and dots, codes at the
// end of the text.
var replySamples = []string{
	"",
	"smtp; 550 5.1.1 <user@example.net>... User unknown",
	"host mx.example.net[192.0.2.1] said: 550-5.1.1 The email account that you tried to reach does not exist. (in reply to RCPT TO command)",
	"SMTP error from remote mail server after RCPT TO:<a@example.jp>: 550 No such user here",
	"SMTP error from remote mail server after pipelined RCPT TO:<a@b>: host x: 452 too many",
	"Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; not found'",
	"#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##",
	">>> RCPT To:<a@b>\n<<< 550 5.1.1 <a@b>... User unknown",
	"lost connection with mx.example.net[192.0.2.1] while sending message body",
	"conversation with mx[1.2.3.4] timed out while receiving the initial server greeting",
	"while performing the EHLO handshake",
	"X-Postfix; host said: 421 4.4.2 timeout",
	"x-unix; 550",
	"  (550 user unknown",
	"smtp ; 451-4.7.1 greylisted",
	"\u017fmtp; 550 x",
	"x-\u212aelvin; 550 x",
	"x-; 550 x",
	"the response was: 550 Requested action not taken",
	"Status=452 insufficient storage",
	"error code 554. rejected",
	"reply was 421 try again",
	"\u017fAID: 550 no",
	"status is (450 later",
	"ANSWERED 550",
	"said 550",
	"said 5500 x",
	"1550 5.1.1 and 550 5.1.10 and .550 5.1.1",
	"550 -- (5.1.1) x",
	"550 #5.1.1",
	"550 5.1.1.1 x 551 5.1.1",
	"5.1.1 550",
	"x5.1.1 5.1.1x 5.1.1_ _5.1.1 (5.1.1) 4.4.7",
	"5.1.1",
	"5.1.",
	">550 <a@b>",
	">  550-x",
	": 550",
	"in reply to end of data",
	"in reply to end\tof\nmessage",
	"after the end of DATA",
	"after end of datax",
	"after rcpt tox",
	"after RCPT TO:<a@b>",
	"after mail from:<>",
	"after MAIL\u017f",
	"AFTER   PIPELINED   rcpt to",
	"after pipelinedrcpt",
	"during the initial connection",
	"during initial server greeting",
	"during initial serverconnection",
	"during initial server  connection",
	"in reply to STARTTLS command",
	"in reply to \u017fTARTTL\u017f",
	"in reply to starttl\u017fx",
	"in reply to AUTH",
	"response to HELO",
	"while talking to x: DATA",
	"in reply to ehlo_",
	"after connection",
	"after connect,",
	"after the the data",
	"after thedata",
	"during banner",
	"during greeting.",
	"while  sending data",
}

// htmlSamples are HTML shapes of real bounces and the edges of stripTags.
var htmlSamples = []string{
	"<html><body><p>Delivery failed</p><br>to <b>a@b</b><br/>x<BR />y</div></TR></tr ></body></html>",
	"<style type=\"text/css\">p { color: red }</style><p>text</p>",
	"<script>if (a < b) {}</script>after",
	"<script>never closed <b>bold</b>",
	"<scriptx>a</style>b",
	"<style>a</script>b</style>",
	"<Script>a</script>b",
	"<brand>x<bx>y",
	"a < b and c > d",
	"no tags",
	"<unclosed",
	"<>",
	"<br\xff>",
	"</P></DIV></Tr>",
	"</p >",
	"<script",
	"<script>",
	"<style>\n<</style>",
}

func TestReplyScannersMatchRegexps(t *testing.T) {
	for _, s := range append(append(replySamples, htmlSamples...), scanSamples...) {
		t.Run(s, func(t *testing.T) { compareReplyScanners(t, s) })
	}
}

func FuzzReplyScanners(f *testing.F) {
	for _, s := range append(append(replySamples, htmlSamples...), scanSamples...) {
		f.Add(s)
	}
	f.Fuzz(compareReplyScanners)
}

// submatch returns the span of the first group of re's leftmost match.
func submatch(re *regexp.Regexp, s string) (int, int) {
	m := re.FindStringSubmatchIndex(s)
	if m == nil {
		return -1, -1
	}
	return m[2], m[3]
}

func compareReplyScanners(t *testing.T, s string) {
	scanners := []struct {
		name string
		scan func(string) (int, int)
		re   *regexp.Regexp
	}{
		{"replyEnhanced", replyEnhanced, refReplyEnhRe},
		{"replyStart", replyStart, refReplyStartRe},
		{"replyAfter", replyAfter, refReplyAfterRe},
		{"replyColon", replyColon, refReplyColonRe},
		{"findCommand", findCommand, refCommandRe},
		{"boundedStatus", boundedStatus, refStatusRe},
	}
	for _, sc := range scanners {
		gi, gj := sc.scan(s)
		wi, wj := submatch(sc.re, s)
		if gi != wi || gj != wj {
			t.Errorf("%s(%q) = %d, %d; want %d, %d", sc.name, s, gi, gj, wi, wj)
		}
	}
	if got, want := stripTags(s), refStripTags(s); got != want {
		t.Errorf("stripTags(%q) = %q, want %q", s, got, want)
	}
}

// refNormText is normText as it was: lower case, continuation prefixes
// replaced, white space collapsed, ends trimmed.
func refNormText(t string) string {
	if t == "" {
		return ""
	}
	return strings.TrimSpace(collapseSpaceRE(replaceContinuations(strings.ToLower(t))))
}

func TestNormTextMatchesSteps(t *testing.T) {
	for _, s := range append(append(replySamples, scanSamples...), "Hello\vWorld ", "550-5.1.1 A\n550-5.1.1 B\n550 5.1.1 C", " \t550-X") {
		t.Run(s, func(t *testing.T) {
			if got, want := normText(s), refNormText(s); got != want {
				t.Errorf("normText(%q) = %q, want %q", s, got, want)
			}
		})
	}
}

func FuzzNormText(f *testing.F) {
	for _, s := range append(replySamples, scanSamples...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := normText(s), refNormText(s); got != want {
			t.Errorf("normText(%q) = %q, want %q", s, got, want)
		}
	})
}
