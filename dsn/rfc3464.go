package dsn

import (
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/bouncenote/bouncenote/entity"
	"github.com/bouncenote/bouncenote/internal/lazyre"
	"github.com/bouncenote/bouncenote/internal/literal"
)

// rfc3464Format reads message/delivery-status (RFC 3464 §2, RFC 6522) and
// message/global-delivery-status (RFC 6533) parts wherever they are.
type rfc3464Format struct{}

func (rfc3464Format) Name() string { return "rfc3464" }

func (rfc3464Format) Parse(m *Message) (*Report, bool) {
	texts := statusTexts(m)
	if len(texts) == 0 {
		return nil, false
	}
	r := &Report{}
	for _, t := range texts {
		parseDeliveryStatus(t, r, m.Limits.MaxRecipients)
	}
	switch n := len(r.Recipients); {
	case n == 0:
		return nil, false
	case n > m.Limits.MaxRecipients:
		return r, true // over the limit: ParseMessage refuses it, nothing more is read
	}
	qualifyFromOriginal(m, r)
	refineFromText(m, r)
	return r, true
}

// qualifyFromOriginal replaces a Final-Recipient that is no Internet
// address (a bare local part, user@ims-ms-daemon) by the returned
// message's To or Cc address with the same local part, when there is
// exactly one. QUIRK: local delivery agents report the mailbox they
// delivered to, not the address the sender used.
func qualifyFromOriginal(m *Message, r *Report) {
	if m.Original == nil {
		return
	}
	var cands []string
	for _, name := range []string{"To", "Cc"} {
		cands = append(cands, FindAddresses(m.Original.Get(name))...)
	}
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		if qualified(rc.Recipient) {
			continue
		}
		local, _, _ := strings.Cut(rc.Recipient, "@")
		match := ""
		for _, c := range cands {
			if cl, _, _ := strings.Cut(c, "@"); strings.EqualFold(cl, local) && qualified(c) {
				if match != "" && !strings.EqualFold(match, c) {
					match = ""
					break
				}
				match = c
			}
		}
		if match != "" {
			rc.Recipient = match
		}
	}
}

// maxRefine bounds how many recipients refineFromText looks up in the
// text, so that a report with many recipients and a long text stays linear.
const maxRefine = 100

// refineFromText fills, from the bounce's own text, what a report leaves
// out: the diagnostic of recipients whose report gives no code beyond
// x.0.0, from a line that names the recipient with a reply or enhanced
// code (the text is more specific: "550 5.1.1" there, 5.0.0 in the
// report); and the SMTP command, from the first block naming the
// recipient that names a command.
func refineFromText(m *Message, r *Report) {
	type found struct{ cmd, diag, block string }
	var lines []string
	seen := map[string]found{}
	for i := range r.Recipients {
		if i >= maxRefine {
			return
		}
		rc := &r.Recipients[i]
		needText := rc.Diagnostic == ""
		needCmd := rc.Command == "" && FindCommand(rc.Diagnostic) == ""
		needCode := FindStatus(rc.Diagnostic) == "" && FindReplyCode(rc.Diagnostic) == "" &&
			(rc.Status == "" || strings.HasSuffix(rc.Status, ".0.0"))
		if !needCmd && !needCode && !needText {
			continue
		}
		f, ok := seen[rc.Recipient]
		if !ok {
			if lines == nil {
				lines = strings.Split(m.BodyText(), "\n")
			}
			blocks := blocksFor(lines, rc.Recipient)
			for _, b := range blocks {
				if c := FindCommand(b); c != "" {
					f.cmd = string(c)
					break
				}
			}
			f.block = firstExplanation(blocks)
			f.diag = diagnosticFromLines(lines, rc.Recipient)
			seen[rc.Recipient] = f
		}
		if needCmd {
			rc.Command = f.cmd
		}
		if needCode && f.diag != "" {
			rc.Diagnostic = f.diag
		} else if needText && f.block != "" {
			// No Diagnostic-Code at all (Exim's local deliveries): the
			// human-readable part's lines about the recipient say why.
			rc.Diagnostic = f.block
		}
	}
}

// headerLineRe is a line of a quoted header or status field ("To: a@b",
// "Final-Recipient: rfc822; a@b"): it names the recipient but says nothing
// about the failure.
var headerLineRe = lazyre.New(`^(?i)(?:to|cc|bcc|from|reply-to|sender|delivered-to|envelope-to|return-path|received|for|x-[a-z0-9-]+|(?:final|original)-recipient)\s*:`)

// firstExplanation returns the first block that is not a quoted header
// field, or "".
func firstExplanation(blocks []string) string {
	for _, b := range blocks {
		if !headerLineRe.MatchString(strings.TrimSpace(b)) {
			return b
		}
	}
	return ""
}

// TextBlocksFor returns each line of text that contains addr
// (ASCII case-insensitively) together with the indented lines that
// continue it, joined by spaces, in order; at most the first 10. Postfix and Sendmail write a
// recipient's remote reply this way.
func TextBlocksFor(text, addr string) []string {
	return blocksFor(strings.Split(text, "\n"), addr)
}

// maxBlocks bounds how many blocks blocksFor returns.
const maxBlocks = 10

func blocksFor(lines []string, addr string) []string {
	if addr == "" {
		return nil
	}
	la := literal.NewFoldNeedle(asciiLower(addr))
	var out []string
	for i, line := range lines {
		if la.Index(line) < 0 {
			continue
		}
		block := []string{line}
		for _, next := range lines[i+1:] {
			if next == "" || (next[0] != ' ' && next[0] != '\t') {
				break
			}
			block = append(block, next)
		}
		out = append(out, CollapseSpace(strings.Join(block, " ")))
		if len(out) == maxBlocks {
			break
		}
	}
	return out
}

// DiagnosticFromText returns the first line of text that contains addr
// (ASCII case-insensitively) and an SMTP reply or enhanced status code;
// when the line starts with the address, the address and the punctuation
// after it are removed. "" when there is none.
func DiagnosticFromText(text, addr string) string {
	return diagnosticFromLines(strings.Split(text, "\n"), addr)
}

func diagnosticFromLines(lines []string, addr string) string {
	if addr == "" {
		return ""
	}
	la := literal.NewFoldNeedle(asciiLower(addr))
	for _, line := range lines {
		i := la.Index(line)
		if i < 0 {
			continue
		}
		after := line[i+len(la.String()):]
		if FindStatus(line) == "" && FindReplyCode(after) == "" {
			continue
		}
		if before := strings.TrimSpace(line[:i]); before == "" || before == "<" {
			return CollapseSpace(strings.TrimLeft(after, ">:;,.) \t"))
		}
		return CollapseSpace(line)
	}
	return ""
}

// asciiLower lower-cases ASCII letters only, so byte offsets are kept.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// statusTexts returns the delivery-status texts to read: those of the
// bounce itself, else those inside a returned (forwarded) message, else
// (QUIRK) a text part that is plainly a delivery-status body mislabelled.
func statusTexts(m *Message) []string {
	var own, inner []string
	for _, p := range m.Status {
		if p.Embedded == 0 {
			own = append(own, p.Text)
		} else {
			inner = append(inner, p.Text)
		}
	}
	if len(own) > 0 {
		return own
	}
	if len(inner) > 0 {
		return inner
	}
	for _, p := range m.Parts {
		if p.Embedded == 0 && p.IsText() && looksLikeStatusBody(p.Text) {
			return []string{p.Text}
		}
	}
	return nil
}

var (
	dsRecipientLine = lazyre.New(`(?im)^(?:final|original)-recipient\s*:\s*\S+`)
	dsStatusLine    = lazyre.New(`(?im)^(?:status\s*:\s*[245]\.\d{1,3}\.\d{1,3}|action\s*:\s*(?:failed|delayed|delivered|relayed|expanded))`)
)

// looksLikeStatusBody reports whether text holds RFC 3464 per-recipient
// fields: a Final-/Original-Recipient line and a Status or Action line.
func looksLikeStatusBody(text string) bool {
	return dsRecipientLine.MatchString(text) && dsStatusLine.MatchString(text)
}

// dsField is one field of a delivery-status body; blank marks the first
// field after a blank line.
type dsField struct {
	name, value string
	blank       bool
}

// statusFields yields the fields of a delivery-status body one at a
// time, so that a reader can stop early. QUIRK: lines that are neither
// fields nor indented continuations are taken as continuations (over-long
// diagnostic lines wrapped without indentation).
func statusFields(text string) iter.Seq[dsField] {
	return func(yield func(dsField) bool) {
		var cur dsField
		have := false
		var cont []string // continuation lines of cur, joined when it is yielded
		done := func() bool {
			if len(cont) > 0 {
				cur.value += " " + strings.Join(cont, " ")
				cont = cont[:0]
			}
			return yield(cur)
		}
		blank := false
		for line := range strings.Lines(text) {
			line = strings.TrimSuffix(line, "\n")
			if strings.TrimSpace(line) == "" {
				blank = true
				continue
			}
			if line[0] != ' ' && line[0] != '\t' {
				if name, value, ok := entity.SplitFieldString(line); ok {
					if have && !done() {
						return
					}
					cur, have = dsField{lowerFieldName(name), value, blank}, true
					blank = false
					continue
				}
			}
			if have {
				cont = append(cont, strings.TrimSpace(line))
			}
			blank = false
		}
		if have {
			done()
		}
	}
}

// statusFieldNames are the field names of RFC 3464 §2.2 and §2.3 and the
// extensions isRecipientField knows, in lower case.
var statusFieldNames = []string{"reporting-mta", "arrival-date", "received-from-mta", "dsn-gateway", "x-postfix-queue-id",
	"x-postfix-sender", "original-envelope-id", "original-recipient", "final-recipient", "action", "status",
	"remote-mta", "diagnostic-code", "last-attempt-date", "will-retry-until", "final-log-id", "x-actual-recipient"}

// lowerFieldName is strings.ToLower(name), without a copy for the names
// delivery-status parts are made of.
func lowerFieldName(name string) string {
	for _, n := range statusFieldNames {
		if len(n) == len(name) && strings.EqualFold(n, name) {
			return n
		}
	}
	return strings.ToLower(name)
}

// rcptState tracks the per-recipient group being read.
type rcptState struct {
	rc                                Recipient
	final, orig, action, status, open bool
	statusNote                        string // comment of the Status field
	foreignFinal                      bool   // Final-Recipient of a non-Internet address type (x400)
}

// ParseDeliveryStatus reads the text of a delivery-status part (RFC 3464
// §2.1: a per-message group, then per-recipient groups) and appends its
// recipients to r, filling r's per-message fields when still empty. It is
// lenient about missing blank lines between groups, field order, comments
// and case. Exported for formats that find status fields in text parts.
func ParseDeliveryStatus(text string, r *Report) { parseDeliveryStatus(text, r, 0) }

// ReadDeliveryStatus is ParseDeliveryStatus within m's limits: it stops
// reading once r holds more than Limits.MaxRecipients recipients, as the
// RFC 3464 reader does, so that a format reading a huge status block of
// its own does not read it whole (ParseMessage then refuses the report).
func (m *Message) ReadDeliveryStatus(text string, r *Report) {
	parseDeliveryStatus(text, r, m.Limits.MaxRecipients)
}

// parseDeliveryStatus is ParseDeliveryStatus that stops reading once r
// holds more than max recipients (0: no limit), so that a report far over
// Limits.MaxRecipients is not read whole.
func parseDeliveryStatus(text string, r *Report, max int) {
	var cur rcptState
	flush := func() {
		if cur.open && (cur.rc.Recipient != "" || cur.rc.OriginalRecipient != "") {
			if cur.rc.Recipient == "" || (cur.foreignFinal || !qualified(cur.rc.Recipient)) && qualified(cur.rc.OriginalRecipient) {
				// QUIRK: Sun/Oracle Messaging Server writes its internal
				// channel address (user@ims-ms-daemon) and X.400 gateways an
				// O/R address as Final-Recipient; the Original-Recipient is
				// the Internet address the sender used.
				cur.rc.Recipient = cur.rc.OriginalRecipient
			}
			if cur.rc.Diagnostic == "" {
				// QUIRK: some MTAs explain a failure only in a comment of
				// the Status field: "4.0.0 (mx.example.net: host name
				// lookup failure)". It is the best text there is.
				cur.rc.Diagnostic = cur.statusNote
			}
			r.Recipients = append(r.Recipients, cur.rc)
		}
		cur = rcptState{}
	}
	// each field is handled when the next one is known (see startsNewRecipient)
	handle := func(f dsField, next string) {
		if f.blank {
			flush()
		}
		if !isRecipientField(f.name) {
			setMessageField(r, f.name, f.value)
			return
		}
		if startsNewRecipient(&cur, f.name, next) {
			flush()
		}
		cur.open = true
		setRecipientField(&cur, f.name, f.value)
	}
	var prev dsField
	have := false
	for f := range statusFields(text) {
		if have {
			next := ""
			if !f.blank {
				next = f.name
			}
			handle(prev, next)
			if max > 0 && len(r.Recipients) > max {
				return
			}
		}
		prev, have = f, true
	}
	if have {
		handle(prev, "")
	}
	flush()
}

// isRecipientField reports whether name is a per-recipient field (RFC 3464
// §2.3) or a common extension of one.
func isRecipientField(name string) bool {
	switch name {
	case "original-recipient", "final-recipient", "action", "status", "remote-mta",
		"diagnostic-code", "last-attempt-date", "will-retry-until", "final-log-id",
		"x-actual-recipient":
		return true
	}
	return false
}

// startsNewRecipient reports whether field name (followed by field next)
// cannot belong to the open group: a field the group already has, or an
// Original-Recipient right before a Final-Recipient in a group that
// already has its address. QUIRK: some MTAs leave out the blank line
// between groups, others put Action or Original-Recipient first.
func startsNewRecipient(cur *rcptState, name, next string) bool {
	if !cur.open {
		return false
	}
	switch name {
	case "final-recipient":
		return cur.final
	case "original-recipient":
		return cur.orig || (cur.final && next == "final-recipient")
	case "action":
		return cur.action
	case "status":
		return cur.status
	}
	return false
}

// setMessageField stores a per-message field (RFC 3464 §2.2).
func setMessageField(r *Report, name, value string) {
	switch name {
	case "reporting-mta": // RFC 3464 §2.2.2
		if r.ReportingMTA == "" {
			r.ReportingMTA = typedValue(value)
		}
	case "arrival-date": // RFC 3464 §2.2.5
		if r.ArrivalDate == "" {
			r.ArrivalDate = CollapseSpace(StripComments(value))
		}
	}
}

// setRecipientField stores a per-recipient field (RFC 3464 §2.3).
func setRecipientField(cur *rcptState, name, value string) {
	rc := &cur.rc
	switch name {
	case "original-recipient": // RFC 3464 §2.3.1
		cur.orig = true
		rc.OriginalRecipient = addressValue(value)
	case "final-recipient": // RFC 3464 §2.3.2
		cur.final = true
		rc.Recipient = addressValue(value)
		if t, _ := splitTyped(value); t != "" && !strings.EqualFold(t, "rfc822") && !strings.EqualFold(t, "utf-8") {
			cur.foreignFinal = true
		}
	case "x-actual-recipient":
		if rc.Recipient == "" {
			rc.Recipient = addressValue(value)
		}
	case "action": // RFC 3464 §2.3.3
		cur.action = true
		rc.Action = parseAction(value)
	case "status": // RFC 3464 §2.3.4
		cur.status = true
		rc.Status = FindStatus(StripComments(value))
		cur.statusNote = statusComment(value)
	case "remote-mta": // RFC 3464 §2.3.5
		rc.RemoteMTA = typedValue(value)
	case "diagnostic-code": // RFC 3464 §2.3.6
		t, text := splitTyped(value)
		rc.DiagnosticType = strings.ToLower(t)
		if strings.Contains(text, "=?") {
			text = DecodeHeaderValue(text) // QUIRK: RFC 2047 words in a diagnostic
		}
		rc.Diagnostic = CollapseSpace(text)
	case "last-attempt-date": // RFC 3464 §2.3.7
		rc.LastAttempt = CollapseSpace(StripComments(value))
	case "will-retry-until": // RFC 3464 §2.3.8
		rc.WillRetryUntil = CollapseSpace(StripComments(value))
	}
}

// statusComment returns the text of the comments of a Status field value,
// or "" when they only restate the class of the code ("permanent failure").
func statusComment(v string) string {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '(':
			if depth > 0 {
				b.WriteByte(c)
			}
			depth++
		case c == ')' && depth > 0:
			depth--
			if depth > 0 {
				b.WriteByte(c)
			} else {
				b.WriteByte(' ')
			}
		case depth > 0:
			b.WriteByte(c)
		}
	}
	note := CollapseSpace(b.String())
	switch strings.ToLower(note) {
	case "", "permanent failure", "temporary failure", "persistent transient failure", "success",
		"permanent error", "temporary error", "transient failure", "other undefined status", "undefined status":
		return ""
	}
	return note
}

// splitTyped splits "type; value" (address-type, mta-name-type,
// diagnostic-type). A value without a type gives "".
func splitTyped(v string) (string, string) {
	t, rest, ok := strings.Cut(v, ";")
	if !ok || strings.ContainsAny(strings.TrimSpace(t), " \t<@") {
		return "", strings.TrimSpace(v)
	}
	return strings.TrimSpace(t), strings.TrimSpace(rest)
}

// typedValue returns the value of an "mta-name-type; name" field without
// its type and comments.
func typedValue(v string) string {
	_, val := splitTyped(StripComments(v))
	return CollapseSpace(val)
}

// addressValue returns the address of "addr-type; address" (RFC 3464
// §2.3.1, RFC 6533 §3 utf-8-addr with \x{..} escapes).
func addressValue(v string) string {
	t, val := splitTyped(v)
	if a := x400Internet(val); a != "" {
		return a
	}
	val = StripComments(val)
	if strings.EqualFold(t, "utf-8") {
		val = unescapeUTF8Addr(val)
	}
	if a := FindAddress(val); a != "" {
		return a
	}
	return trimAddr(CollapseSpace(val))
}

var utf8EscRe = lazyre.New(`\\x\{([0-9A-Fa-f]{1,6})\}`)

// unescapeUTF8Addr decodes the \x{HHHH} escapes of RFC 6533 §3.
func unescapeUTF8Addr(s string) string {
	return utf8EscRe.ReplaceAllStringFunc(s, func(e string) string {
		n, err := strconv.ParseUint(e[3:len(e)-1], 16, 32)
		if err != nil || n > 0x10FFFF {
			return e
		}
		return string(rune(n))
	})
}

// parseAction reads an Action value (RFC 3464 §2.3.3), any case, comments
// removed. QUIRK: some MTAs write "failure" or "delay".
func parseAction(v string) Action {
	w := strings.ToLower(strings.TrimSpace(StripComments(v)))
	if i := strings.IndexAny(w, " \t;,"); i >= 0 {
		w = w[:i]
	}
	switch w {
	case "failed", "failure", "fail":
		return ActionFailed
	case "delayed", "delay":
		return ActionDelayed
	case "delivered":
		return ActionDelivered
	case "relayed":
		return ActionRelayed
	case "expanded":
		return ActionExpanded
	}
	return ""
}

// errTooManyRecipients wraps ErrLimit.
func errTooManyRecipients(n, max int) error {
	return fmt.Errorf("%d recipients over %d: %w", n, max, ErrLimit)
}

// qualified reports whether a is an Internet address with a dotted
// domain (not a bare local part, not user@localhost-like channel names).
func qualified(a string) bool {
	at := strings.LastIndexByte(a, '@')
	return at > 0 && strings.Contains(a[at+1:], ".") && !strings.ContainsAny(a, " /=")
}

// x400RFC822Re is the RFC 822 attribute of an X.400 O/R address
// ("/RFC-822=user(a)example.org/ADMD= /C=WW/"). RFC 2156 §4.1.1 writes
// "@" as "(a)" there.
var x400RFC822Re = lazyre.New(`(?i)/RFC-?822=([^/]+)/`)

// x400Internet returns the Internet address of an X.400 address value,
// or "".
func x400Internet(v string) string {
	sm := x400RFC822Re.FindStringSubmatch(v)
	if sm == nil {
		return ""
	}
	a := strings.ReplaceAll(strings.TrimSpace(sm[1]), "(a)", "@")
	if !qualified(a) {
		return ""
	}
	return a
}
