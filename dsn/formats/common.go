package formats

// Shared helpers for the text bounce readers of this package: bounce
// signals in the header, a line-oriented reader for "address line followed
// by diagnostic lines" layouts, and small extractors for the remote host,
// reply code and command that most text layouts write in prose.

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// maxBlocks bounds the recipient blocks one text layout yields (default
// 1000); Parse enforces the smaller Limits.MaxRecipients afterwards.
const maxBlocks = 1000

// bounceSubjectRe matches the subjects that mail systems give their
// non-delivery and delay notices, in several languages.
var bounceSubjectRe = lazyre.New(`(?i)undeliver|undelivered|returned mail|returning message|failed mail|mail failed|non-?deliverable|could not send message|bounced mail|mail bounced|failure notice|failure delivery|delivery (?:status notification|failure|failed|problem|has failed|notification)|mail delivery failed|mail failure|could not be delivered|non[- ]?delivery|delivery error|error sending|not delivered|warning: message .* delayed|message delayed|nicht zustellbar|unzustellbar|zustellung fehlgeschlagen|non remis|non distribuable|no entregado|não entregue|niet afgeleverd|non recapitato|未送達|配信エラー|送信できませんでした|退信|系统退信`)

// bounceSubjectCyrillicRe is the part of bounceSubjectRe in letters whose
// case folding a literal prefilter cannot follow; apart, it leaves the rest
// a literal in every alternative, so that most subjects skip the regexp.
var bounceSubjectCyrillicRe = lazyre.New(`(?i)не доставлено`)

// IsBounceHeader reports whether a message header carries a bounce signal:
// a null sender (RFC 5321 §4.5.5 Return-Path: <>), a mailer-daemon like
// From (dsn.IsDaemonSender) or a bounce subject.
func IsBounceHeader(h dsn.Header) bool {
	return NullSender(h) || dsn.IsDaemonSender(h) || isBounceSubject(h.Get("Subject"))
}

var (
	bounceHeaderFlag  = dsn.NewMessageFlag()
	bounceSubjectFlag = dsn.NewMessageFlag()
)

// bounceHeader is IsBounceHeader(m.Header), computed once per message.
func bounceHeader(m *dsn.Message) bool {
	return m.Flag(bounceHeaderFlag, func(m *dsn.Message) bool {
		return NullSender(m.Header) || m.DaemonSender() || bounceSubject(m)
	})
}

// bounceSubject is isBounceSubject(m.Subject()), computed once per message.
func bounceSubject(m *dsn.Message) bool {
	return m.Flag(bounceSubjectFlag, func(m *dsn.Message) bool { return isBounceSubject(m.Subject()) })
}

// isBounceSubject reports whether subject is a bounce subject.
func isBounceSubject(subject string) bool {
	return bounceSubjectRe.MatchString(subject) || bounceSubjectCyrillicRe.MatchString(subject)
}

// NullSender reports whether the Return-Path is the null reverse-path "<>"
// or names the mailer daemon itself.
func NullSender(h dsn.Header) bool {
	rp := strings.ToLower(strings.TrimSpace(h.Get("Return-Path")))
	return rp == "<>" || rp == "<mailer-daemon>" || (h.Has("Return-Path") && rp == "")
}

// Block is one failed recipient of a text layout: the address and the
// lines of text that follow it, trimmed.
type Block struct {
	Addr  string
	Lines []string
}

// Diagnostic returns the block's lines joined by single spaces.
func (b Block) Diagnostic() string { return dsn.CollapseSpace(strings.Join(b.Lines, " ")) }

// LineMatcher tests one line of text; *regexp.Regexp is one.
type LineMatcher interface {
	MatchString(line string) bool
}

// mayMatch reports whether m may match a line of text: false only when m
// can tell (a *lazyre.Regexp, whose literals text lacks) that none does.
func mayMatch(m LineMatcher, text string) bool {
	g, ok := m.(interface{ MayMatch(string) bool })
	return !ok || g.MayMatch(text)
}

// Layout describes a text layout that lists failed recipients as an
// address line followed by lines of diagnostic text.
type Layout struct {
	// Start matches a line after which recipient blocks may begin; every
	// match (re)opens the section. Nil: the section starts at the top.
	Start LineMatcher
	// End matches the line that closes the section for good (usually the
	// separator before the returned message).
	End LineMatcher
	// Addr returns the address (or, for local recipients, the bare local
	// part) when line opens a recipient block, and the text after it on
	// the same line; ok=false otherwise.
	Addr func(line string) (addr, rest string, ok bool)
	// Cont reports whether line continues the open block. Nil: any
	// non-blank line does.
	Cont func(line string) bool
	// Skip reports lines inside a block that are not diagnostic text.
	Skip func(line string) bool
	// KeepBlank: blank lines do not close a block (they are dropped).
	KeepBlank bool
	// EndInSection: End counts only once Start has opened the section
	// (for layouts whose separator line also appears above the list).
	EndInSection bool
}

// Read returns the recipient blocks of text in order. A recipient listed
// twice (some MTAs repeat the list in a second language) keeps its first
// block.
func (l *Layout) Read(text string) []Block {
	if l.Start != nil && !mayMatch(l.Start, text) {
		return nil // no line opens the section
	}
	end := l.End
	if end != nil && !mayMatch(end, text) {
		end = nil // no line closes it
	}
	var out []Block
	seen := map[string]bool{}
	in := l.Start == nil
	cur := -1 // index of the open block in out, -1 when none
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t")
		switch {
		case end != nil && (in || !l.EndInSection) && end.MatchString(line):
			return out
		case l.Start != nil && l.Start.MatchString(line):
			in, cur = true, -1
			continue
		case !in:
			continue
		}
		if a, rest, ok := l.Addr(line); ok {
			cur = -1
			if k := strings.ToLower(a); !seen[k] && len(out) < maxBlocks {
				seen[k] = true
				out = append(out, Block{Addr: a})
				cur = len(out) - 1
				l.add(&out[cur], rest)
			}
			continue
		}
		if cur < 0 {
			continue
		}
		if strings.TrimSpace(line) == "" && l.KeepBlank {
			continue
		}
		if !l.cont(line) {
			cur = -1
			continue
		}
		l.add(&out[cur], line)
	}
	return out
}

func (l *Layout) cont(line string) bool {
	if l.Cont != nil {
		return l.Cont(line)
	}
	return strings.TrimSpace(line) != ""
}

func (l *Layout) add(b *Block, line string) {
	line = strings.TrimSpace(line)
	if line == "" || isRule(line) || (l.Skip != nil && l.Skip(line)) {
		return
	}
	if len(b.Lines) < 200 {
		b.Lines = append(b.Lines, line)
	}
}

// Recipients turns blocks into failed (or, with delayed, delayed)
// recipients whose diagnostic is the block text, with the remote host and
// reply code the text names.
func Recipients(blocks []Block, delayed bool) []dsn.Recipient {
	out := make([]dsn.Recipient, 0, len(blocks))
	for _, b := range blocks {
		rc := dsn.Recipient{Recipient: b.Addr, Action: dsn.ActionFailed, Diagnostic: b.Diagnostic()}
		if delayed {
			rc.Action = dsn.ActionDelayed
		}
		rc.RemoteMTA = RemoteHost(rc.Diagnostic)
		rc.ReplyCode = LeadingReply(b.Lines)
		rc.Action = successAction(rc, rc.Action)
		out = append(out, rc)
	}
	return out
}

// relayedRe marks a success notice for a message passed on to a system
// that does not send notices itself.
var relayedRe = lazyre.New(`(?i)\brelayed\b`)

// successAction returns delivered (or relayed) when the recipient's
// diagnostic is a 2xx reply or a 2.x.x status (success notices written
// in a failure layout, as Postfix and OpenSMTPD do on request), else a.
func successAction(rc dsn.Recipient, a dsn.Action) dsn.Action {
	st := dsn.FindStatus(rc.Diagnostic)
	if !strings.HasPrefix(st, "2.") && !(st == "" && strings.HasPrefix(rc.ReplyCode, "2")) {
		return a
	}
	if relayedRe.MatchString(rc.Diagnostic) {
		return dsn.ActionRelayed
	}
	return dsn.ActionDelivered
}

// remoteHostRe finds the remote host in the prose of text bounces:
// "host mx.example.jp [192.0.2.1]", "mx.example.jp [192.0.2.1] did not
// like", "host mx.example.jp[192.0.2.1] said:".
var remoteHostRe = lazyre.New(`(?i)(?:^|\bhost:?\s+|\s)([a-z0-9][a-z0-9.-]*\.[a-z]{2,})\s*[\[(]\d{1,3}(?:\.\d{1,3}){3}[\])]`)

// RemoteHost returns the remote host name a diagnostic text names, or "".
func RemoteHost(text string) string {
	if !bracketedDigit(text) {
		return "" // every match has "[" or "(" before the address's first digit
	}
	if sm := remoteHostRe.FindStringSubmatch(text); sm != nil {
		return strings.ToLower(sm[1])
	}
	return ""
}

// bracketedDigit reports whether text has "[" or "(" followed by a digit.
func bracketedDigit(text string) bool {
	for i := 0; ; i++ {
		k := strings.IndexAny(text[i:], "[(")
		if k < 0 {
			return false
		}
		i += k
		if i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9' {
			return true
		}
	}
}

// replyLineRe matches a line that is a remote SMTP reply, possibly after a
// "host name [ip]:" prefix or a label such as "Remote host said:".
var replyLineRe = lazyre.New(`(?i)^(?:(?:host\s+)?\S+\s*\[[0-9a-f:.]+\]:?\s*|remote host said:\s*|delay reason:\s*|reason:\s*|<<<\s*)?([245][0-5]\d)(?:[ -]|$)`)

// LeadingReply returns the SMTP reply code (RFC 5321 §4.2) that starts
// one of lines, or "".
func LeadingReply(lines []string) string {
	for _, l := range lines {
		if sm := replyLineRe.FindStringSubmatch(strings.TrimSpace(l)); sm != nil {
			return sm[1]
		}
	}
	return ""
}

// failedHeaderAddrs returns the addresses of the X-Failed-Recipients
// header fields (Exim and its relatives), in order.
func failedHeaderAddrs(h dsn.Header) []string {
	var out []string
	for _, v := range h.Values("X-Failed-Recipients") {
		out = append(out, dsn.FindAddresses(v)...)
	}
	return out
}

// completeLocal replaces a bare local part (a recipient written without
// its domain) by the one address of candidates with that local part.
func completeLocal(addr string, candidates []string) string {
	if strings.Contains(addr, "@") {
		return addr
	}
	var hit string
	for _, c := range candidates {
		if local, _, _ := strings.Cut(c, "@"); strings.EqualFold(local, addr) {
			if hit != "" {
				return addr
			}
			hit = c
		}
	}
	if hit == "" && len(candidates) == 1 {
		return candidates[0]
	}
	if hit == "" {
		return addr
	}
	return hit
}

// inlineOriginal returns the header of a returned message written inline
// after the first line of text that sep matches (qmail, Exim, Sendmail
// without MIME), or an empty header.
func inlineOriginal(text string, sep *lazyre.Regexp) dsn.Header {
	loc := sep.FindStringIndex(text)
	if loc == nil {
		return dsn.Header{}
	}
	rest := text[loc[1]:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[i+1:]
	}
	rest = strings.TrimLeft(rest, "\n")
	return dsn.ParseHeaderText(rest)
}

// ownStatusReport reads the delivery-status parts of the bounce itself
// (not those inside a returned message) into a Report, or nil when they
// name no recipient.
func ownStatusReport(m *dsn.Message) *dsn.Report {
	r := &dsn.Report{}
	for _, p := range m.Status {
		if p.Embedded == 0 {
			m.ReadDeliveryStatus(p.Text, r)
		}
	}
	if len(r.Recipients) == 0 {
		return nil
	}
	return r
}

// preferRemoteStatus replaces a recipient's Status field by the enhanced
// code of the remote reply in its SMTP Diagnostic-Code when the two differ
// and the reply's class agrees with that code: some MTAs write their own
// mapping of the reply code into Status (5.1.1 for any 550), while the
// remote server's code is the more specific one. The code is ignored when
// it is only x.0.0.
func preferRemoteStatus(rc *dsn.Recipient) {
	if !isSMTPType(rc.DiagnosticType) {
		return
	}
	ds := dsn.FindStatus(rc.Diagnostic)
	reply := dsn.FindReplyCode(rc.Diagnostic)
	if ds != "" && ds != rc.Status && !strings.HasSuffix(ds, ".0.0") && reply != "" && reply[0] == ds[0] {
		rc.Status = ds
	}
}

// isRule reports whether line is a separator rule ("=====", "-----",
// "*****"), never diagnostic text.
func isRule(line string) bool {
	return len(line) >= 4 && strings.Trim(line, "=-_*~#+ ") == ""
}
