package catalog

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Specificity points; see the package documentation.
const (
	scoreText        = 1000
	scoreStatusExact = 300
	scoreStatusOneX  = 200
	scoreStatusClass = 10
	scoreReplyExact  = 100
	scoreReplyClass  = 5
	scoreHost        = 50
	scoreCommand     = 150 // the failed SMTP command matched
	// scoreStatusSubject is an exact X.Y.0 pattern standing in for the
	// query's X.Y.Z (5.7.0 for 5.7.515), just below an X.Y.x pattern.
	scoreStatusSubject = scoreStatusOneX - 1
	wildcard           = -1 // an "x" component of a status pattern
	maxStatusDigits    = 3  // RFC 3463 §2: subject and detail are 1*3digit
	replyCodeLen       = 3  // RFC 5321 §4.2: three digits
	// maxMatchTextBytes is how much of a query's text is matched (default
	// 64 KiB); diagnostics are a few hundred bytes.
	maxMatchTextBytes = 64 << 10
)

// replyPat is a reply code pattern: "550", or "5xx" when class is set.
type replyPat struct {
	code  int // the whole code; for a class only the first digit counts
	class bool
}

// statusPat is an enhanced status pattern; wildcard components are -1.
type statusPat struct {
	c    [3]int
	wild int // number of x components
}

// parseReply parses a reply code pattern ("550", "5xx"); allowClass false
// accepts only exact codes (queries).
func parseReply(s string, allowClass bool) (replyPat, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) != replyCodeLen || s[0] < '2' || s[0] > '5' {
		return replyPat{}, false
	}
	if allowClass && s[1:] == "xx" {
		return replyPat{code: int(s[0]-'0') * 100, class: true}, true
	}
	if !isDigit(s[1]) || !isDigit(s[2]) {
		return replyPat{}, false
	}
	n, _ := strconv.Atoi(s)
	return replyPat{code: n}, true
}

// parseStatus parses an enhanced status code (RFC 3463 §2), with "x"
// components when allowWild is set. "x.x.x" is refused: it would say nothing.
func parseStatus(s string, allowWild bool) (statusPat, bool) {
	parts := strings.Split(strings.ToLower(strings.TrimSpace(s)), ".")
	if len(parts) != 3 {
		return statusPat{}, false
	}
	var p statusPat
	for i, part := range parts {
		switch {
		case part == "x" && allowWild:
			p.c[i] = wildcard
			p.wild++
		case i == 0 && (part == "2" || part == "4" || part == "5"):
			p.c[i] = int(part[0] - '0')
		case i > 0 && len(part) >= 1 && len(part) <= maxStatusDigits && allDigits(part):
			p.c[i], _ = strconv.Atoi(part)
		default:
			return statusPat{}, false
		}
	}
	if p.wild == 3 {
		return statusPat{}, false
	}
	return p, true
}

func (p statusPat) matches(q [3]int) bool {
	for i := range p.c {
		if p.c[i] != wildcard && p.c[i] != q[i] {
			return false
		}
	}
	return true
}

// prepared is a Query made ready for matching.
type prepared struct {
	reply     int // 0: none
	status    [3]int
	hasStatus bool
	text      string // lower case, at most maxMatchTextBytes
	host      string // lower case
	reason    string
	fromCode  bool   // the reason came from the codes alone
	command   string // upper case
	final     bool   // delivery given up
	delayed   bool   // delivery still being tried
	vague     bool   // the status gives no detail or is ambiguous (select.go)
	words     bool   // the text has words besides codes
	asciiText bool   // the text is ASCII (and lower case, as text always is)
}

func prepare(q Query) prepared {
	var p prepared
	if r, ok := parseReply(q.ReplyCode, false); ok {
		p.reply = r.code
	}
	if s, ok := parseStatus(q.Status, false); ok {
		p.status, p.hasStatus = s.c, true
	}
	p.vague = vagueStatus(p.status, p.hasStatus)
	p.final, p.delayed = q.Final, q.Delayed && !q.Final
	if !q.Final && !q.Delayed && p.codeClass() == 5 {
		// Nothing says whether delivery was given up (`explain` on a
		// line): a permanent code does. A temporary code leaves it open,
		// since final reports often carry the last temporary code.
		p.final = true
	}
	t := q.Text
	if len(t) > maxMatchTextBytes {
		t = t[:maxMatchTextBytes]
	}
	p.text = strings.ToLower(CleanReply(t))
	p.asciiText = isASCII(p.text)
	p.words = HasWords(p.text)
	p.host = strings.ToLower(q.Host)
	p.reason = strings.TrimSpace(q.Reason)
	p.fromCode = q.ReasonFromCode
	p.command = strings.ToUpper(strings.TrimSpace(q.Command))
	return p
}

// Kinds of code match, weakest first.
const (
	codeNone = iota
	codeClass
	codeSubject // X.Y.0 of the query's subject, or an X.Y.x pattern
	codeExact
)

// codeMatch is how an entry's reply, status, host, reason and command
// rules matched.
type codeMatch struct {
	score  int
	status int // codeNone, codeClass, codeSubject, codeExact
	reply  int // codeNone, codeClass, codeExact
}

// tier places the code-only entry in its tier (see select.go).
func (c codeMatch) tier() int {
	switch {
	case c.status == codeExact:
		return tierStatus
	case c.status == codeSubject:
		return tierSubject
	case c.reply == codeExact:
		return tierReply
	}
	return tierClass
}

// codeScore matches the reply, status, host, reason and command rules.
func (m *compiled) codeScore(p *prepared) (codeMatch, bool) {
	var cm codeMatch
	if len(m.replies) > 0 {
		best := 0
		for _, r := range m.replies {
			switch {
			case p.reply == 0:
			case !r.class && r.code == p.reply:
				best = max(best, scoreReplyExact)
				cm.reply = codeExact
			case r.class && r.code/100 == p.reply/100:
				best = max(best, scoreReplyClass)
				cm.reply = max(cm.reply, codeClass)
			}
		}
		if best == 0 {
			return cm, false
		}
		cm.score += best
	}
	if len(m.statuses) > 0 {
		best, kind := 0, codeNone
		for _, s := range m.statuses {
			sc, k := s.matchKind(p, !m.hasText())
			if sc > best {
				best, kind = sc, k
			}
		}
		if best == 0 {
			return cm, false
		}
		cm.score += best
		cm.status = kind
	}
	if len(m.reasons) > 0 && !contains(m.reasons, p.reason) {
		return cm, false
	}
	if len(m.commands) > 0 {
		if !contains(m.commands, p.command) {
			return cm, false
		}
		cm.score += scoreCommand
	}
	if len(m.hosts) > 0 {
		if p.host == "" || !containsAny(p.host, m.hosts) {
			return cm, false
		}
		cm.score += scoreHost
	}
	return cm, true
}

// matchKind matches one status pattern against the query's status, or,
// when subject is set (entries without wording), its X.Y.0 subject entry
// when an exact pattern names the subject.
func (s statusPat) matchKind(p *prepared, subject bool) (int, int) {
	if !p.hasStatus {
		return 0, codeNone
	}
	if s.matches(p.status) {
		switch s.wild {
		case 0:
			return scoreStatusExact, codeExact
		case 1:
			return scoreStatusOneX, codeSubject
		}
		return scoreStatusClass, codeClass
	}
	if subject && s.wild == 0 && s.c[2] == 0 && p.status[2] != 0 && s.c[0] == p.status[0] && s.c[1] == p.status[1] {
		return scoreStatusSubject, codeSubject
	}
	return 0, codeNone
}

// mayMatch is the cheap part of textMatch: the text rules are found, and
// some regexp's required literals occur in the text (found holds both, see
// newTextIndex).
func (m *compiled) mayMatch(found []uint64, texts []int32, lits [][]int32) bool {
	if len(m.texts) > 0 && !anyFound(found, texts) {
		return false
	}
	if len(m.regexps) == 0 {
		return true
	}
	for _, ids := range lits {
		if ids == nil || anyFound(found, ids) {
			return true
		}
	}
	return false
}

// textMatch matches the text and regexp rules; found is the set of the
// catalog's needles present in the query text, texts the entry's text
// rules and lits its regexps' required literals among them.
func (m *compiled) textMatch(p *prepared, found []uint64, texts []int32, lits [][]int32) bool {
	if len(m.texts) > 0 && !anyFound(found, texts) {
		return false
	}
	if len(m.regexps) > 0 {
		ok := false
		for i, re := range m.regexps {
			if lits[i] != nil && !anyFound(found, lits[i]) {
				continue
			}
			if (p.asciiText && re.matchLowerASCII(p.text)) || (!p.asciiText && re.MatchString(p.text)) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func (m *compiled) hasText() bool { return len(m.texts)+len(m.regexps) > 0 }

// lookup returns the chosen entry (select.go) and its specificity score.
func (c *Catalog) lookup(q Query) (*Entry, int) {
	c = c.orBuiltin()
	p := prepare(q)
	cands := c.candidates(&p)
	best, ok := choose(cands, &p)
	if !ok {
		return nil, -1
	}
	return best.e, best.score
}

// candidates returns the entries whose rules all match p, with their
// tier, score and catalog order. Every entry without wording is in it.
// Wording entries (text or regexp rules, the costly part) are tried best
// first, and the ones that could no longer outrank an eligible wording
// entry already found are left out: they would never be chosen.
func (c *Catalog) candidates(p *prepared) []candidate {
	var cands, pending []candidate
	var found, marks []uint64
	var set *needleSet
	if p.text != "" {
		set = c.text.needles(c.entries)
		found = c.text.scan(set, p.text)
		if c.text.scanned.Load() > naiveScanBudget {
			// Like the automaton, the index pays off once many texts
			// are looked up, not for one `explain`.
			marks = c.textGts.get(c.entries, set).marks(found, len(c.entries))
		}
	}
	qg := newQueryGate(p)
	gs := c.gates.get(c.entries)
	for i := range gs {
		g := &gs[i]
		// No text rule matches empty text (validate refuses those); the
		// wording entries no needle found lets through cannot match.
		if g.text && (p.text == "" || (marks != nil && marks[i/64]&(1<<(i%64)) == 0)) {
			continue
		}
		if !g.may(qg) || (g.text && !c.entries[i].m.mayMatch(found, set.textIDs[i], set.litIDs[i])) {
			continue
		}
		e := c.entries[i]
		cm, ok := e.m.codeScore(p)
		if !ok {
			continue
		}
		cand := candidate{e: e, tier: cm.tier(), score: cm.score, order: i}
		switch {
		case g.text:
			cand.tier, cand.score = tierWording, cm.score+scoreText
			pending = append(pending, cand)
			continue
		case len(e.m.reasons) > 0:
			cand.tier = p.reasonTier()
		}
		cands = append(cands, cand)
	}
	return append(cands, c.wordingMatches(pending, p, set, found)...)
}

// wordingMatches returns the pending wording candidates whose text rules
// match, tried in the order in which they would be chosen (outranks); it
// stops at the first that matches and passes every filter, since no later
// one could outrank it.
func (c *Catalog) wordingMatches(pending []candidate, p *prepared, set *needleSet, found []uint64) []candidate {
	if len(pending) == 0 {
		return nil
	}
	slices.SortFunc(pending, func(a, b candidate) int { // outranks is a total order (catalog order last)
		switch {
		case a.order == b.order:
			return 0
		case outranks(a, b):
			return -1
		}
		return 1
	})
	strict := relaxations[0]
	var out []candidate
	for _, cand := range pending {
		if !cand.e.m.textMatch(p, found, set.textIDs[cand.order], set.litIDs[cand.order]) {
			continue
		}
		out = append(out, cand)
		if eligible(cand, p, strict) {
			break
		}
	}
	return out
}

// codeClass is the class of the query's status, else of its reply code,
// or 0.
func (p *prepared) codeClass() int {
	if p.hasStatus {
		return p.status[0]
	}
	return p.reply / 100
}

// reasonTier is the tier of reason entries for p (select.go).
func (p *prepared) reasonTier() int {
	switch {
	case p.reason == "onhold" || !p.words:
		return tierReasonWeak
	case p.vague:
		return tierReasonFirst
	}
	return tierReason
}

// HasWords reports whether text holds a word besides codes: a run of at
// least three letters.
func HasWords(text string) bool {
	run := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c >= 'a' && c <= 'z' || c >= 0x80 {
			run++
			if run >= 3 {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}

// FillCodes returns q with a missing reply code or status, or a status that
// only gives the class (X.0.0), taken from q.Text when it holds them.
func FillCodes(q Query) Query {
	_, statusOK := parseStatus(q.Status, false)
	if q.Text == "" || (q.ReplyCode != "" && statusOK && !genericStatus(q.Status)) {
		return q
	}
	t := ParseLine(q.Text)
	if strings.TrimSpace(q.ReplyCode) == "" {
		q.ReplyCode = t.ReplyCode
	}
	if t.Status == "" {
		return q
	}
	if !statusOK || (genericStatus(q.Status) && strings.TrimSpace(q.Status)[0] == t.Status[0]) {
		q.Status = t.Status
	}
	return q
}

// Finalize adjusts a Final query whose codes are temporary (class 4):
// the status becomes its class 5 twin (4.2.2 -> 5.2.2) and a class 4 reply
// code is dropped; with neither a status nor another reply left, the status
// becomes 5.4.7 (delivery time expired, RFC 3463 §3.5). Other queries are
// returned unchanged.
//
// QUIRK: Postfix, Sendmail and others keep the last temporary code in the
// final bounce they send when the queue lifetime runs out (Status: 4.4.1
// with Action: failed). Explained as it stands, such a report would say
// that delivery is still being tried.
func Finalize(q Query) Query {
	if !q.Final {
		return q
	}
	temporary := false
	if s := strings.TrimSpace(q.Status); len(s) > 1 && s[0] == '4' {
		if _, ok := parseStatus(s, false); ok {
			q.Status = "5" + s[1:]
			temporary = true
		}
	}
	if r, ok := parseReply(q.ReplyCode, false); ok && r.code/100 == 4 {
		q.ReplyCode = ""
		temporary = true
	}
	if temporary && strings.TrimSpace(q.Status) == "" && strings.TrimSpace(q.ReplyCode) == "" {
		q.Status = statusExpired
	}
	return q
}

// statusExpired is "Delivery time expired", RFC 3463 §3.5 (X.4.7).
const statusExpired = "5.4.7"

// genericStatus reports whether s is a class-only status such as 5.0.0.
func genericStatus(s string) bool {
	p, ok := parseStatus(s, false)
	return ok && p.c[1] == 0 && p.c[2] == 0
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isASCII reports s made of 7-bit bytes only.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
