package catalog

import (
	"regexp"
	"regexp/syntax"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Entry is one catalog entry, as written in YAML plus where it came from.
// Entries returned by a Catalog are shared and must not be modified.
type Entry struct {
	ID        string `yaml:"id" json:"id"`
	Match     Match  `yaml:"match" json:"match"`
	Priority  int    `yaml:"priority" json:"priority"`
	Reason    string `yaml:"reason" json:"reason"` // one of Reasons
	Permanent bool   `yaml:"permanent" json:"permanent"`
	Who       Who    `yaml:"who" json:"who"`
	EN        Text   `yaml:"en" json:"en"`
	ZHCN      Text   `yaml:"zh-CN" json:"zh-CN"`

	File   string `yaml:"-" json:"file"`   // file the entry was read from
	Line   int    `yaml:"-" json:"line"`   // line of the entry in File
	Custom bool   `yaml:"-" json:"custom"` // from a --catalog file, not built in

	m compiled
}

// Match holds an entry's match rules. All kinds given must match (AND);
// within a kind any value is enough (OR).
type Match struct {
	Reply  []string `yaml:"reply,omitempty" json:"reply,omitempty"`   // "550", or class "5xx"
	Status []string `yaml:"status,omitempty" json:"status,omitempty"` // "5.7.1", "5.7.x", "5.x.x"
	Text   []string `yaml:"text,omitempty" json:"text,omitempty"`     // case-insensitive substrings
	Regexp []string `yaml:"regexp,omitempty" json:"regexp,omitempty"` // RE2, case-insensitive
	Host   []string `yaml:"host,omitempty" json:"host,omitempty"`     // case-insensitive substrings of the MTA host
	// Reason matches the reason the parser found (one of Reasons).
	Reason []string `yaml:"reason,omitempty" json:"reason,omitempty"`
	// Command matches the SMTP command that failed: CONN (the greeting),
	// HELO, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA (RFC 5321 §4.1.1).
	Command []string `yaml:"command,omitempty" json:"command,omitempty"`
}

// Empty reports whether the match has no rules (the last-resort entry).
func (m Match) Empty() bool {
	return len(m.Reply)+len(m.Status)+len(m.Text)+len(m.Regexp)+len(m.Host)+len(m.Reason)+len(m.Command) == 0
}

// Text is an entry's wording in one language.
type Text struct {
	Title       string `yaml:"title" json:"title"`             // one line
	Explanation string `yaml:"explanation" json:"explanation"` // what happened, no codes
	Remedy      string `yaml:"remedy" json:"remedy"`           // what to do, whether retrying helps
	AdminNote   string `yaml:"admin_note,omitempty" json:"admin_note,omitempty"`
	Link        string `yaml:"link,omitempty" json:"link,omitempty"`
}

// compiled is the match prepared at load time (for the built-in catalog,
// at build time: builtin_gen.go). Its regexps are compiled on first use.
type compiled struct {
	replies  []replyPat
	statuses []statusPat
	texts    []string // lower case
	regexps  []*lazyRegexp
	prefilt  [][]string // per regexp: lower-case literals one of which every match contains, or nil
	hosts    []string   // lower case
	reasons  []string
	commands []string // upper case
}

// Text returns the wording in lang; an unknown language gives English.
func (e *Entry) Text(lang string) (Text, string) {
	if NormalizeLang(lang) == LangZHCN {
		return e.ZHCN, LangZHCN
	}
	return e.EN, LangEN
}

// Render returns the entry as an Explanation in lang.
func (e *Entry) Render(lang string) Explanation {
	t, l := e.Text(lang)
	return Explanation{
		ID:          e.ID,
		Reason:      e.Reason,
		Permanent:   e.Permanent,
		Who:         e.Who,
		Title:       t.Title,
		Explanation: t.Explanation,
		Remedy:      t.Remedy,
		AdminNote:   t.AdminNote,
		Link:        t.Link,
		Lang:        l,
	}
}

// Fallback reports whether the entry only matches whole classes of codes
// (4xx, 5.x.x) or nothing at all: a class fallback or the last resort, not
// an entry written for a particular code or wording.
func (e *Entry) Fallback() bool {
	m := &e.m
	if len(m.texts)+len(m.regexps)+len(m.hosts)+len(m.reasons)+len(m.commands) > 0 {
		return false
	}
	for _, r := range m.replies {
		if !r.class {
			return false
		}
	}
	for _, s := range m.statuses {
		if s.wild < 2 {
			return false
		}
	}
	return true
}

// lazyRegexp is a match regexp compiled on first use, so that a process
// that never matches text pays nothing for the built-in catalog's regexps.
type lazyRegexp struct {
	src  string // as written in the catalog, without the (?i) flag
	once sync.Once
	re   *regexp.Regexp

	lowerOnce sync.Once
	lower     *regexp.Regexp // re for lower-case ASCII texts only; nil: use re
}

// compileMatchRegexp compiles a catalog regexp: RE2, case-insensitive.
func compileMatchRegexp(src string) (*regexp.Regexp, error) {
	return regexp.Compile("(?i)" + src)
}

// compiledRegexp returns an already compiled regexp as a lazyRegexp.
func compiledRegexp(src string, re *regexp.Regexp) *lazyRegexp {
	l := &lazyRegexp{src: src}
	l.once.Do(func() { l.re = re })
	return l
}

// MatchString compiles the regexp if needed and matches s. A regexp that
// does not compile (validate refuses those, and the tests check the
// built-in ones) matches nothing.
func (l *lazyRegexp) MatchString(s string) bool {
	l.once.Do(func() { l.re, _ = compileMatchRegexp(l.src) })
	return l.re != nil && l.re.MatchString(s)
}

// matchLowerASCII is MatchString for a text of ASCII bytes without
// upper-case letters, as a query's text mostly is: it matches with the
// regexp made case-sensitive for such texts (lowerASCIIRegexp), which Go's
// regexp runs faster (no case folding, literal prefixes).
func (l *lazyRegexp) matchLowerASCII(s string) bool {
	l.lowerOnce.Do(func() { l.lower = lowerASCIIRegexp(l.src) })
	if l.lower == nil {
		return l.MatchString(s)
	}
	return l.lower.MatchString(s)
}

// lowerASCIIRegexp compiles the catalog regexp src ("(?i)" src) as a
// case-sensitive regexp that matches a text of ASCII bytes without
// upper-case letters exactly when the case-insensitive one does: each
// case-folded literal rune becomes the one member of its fold orbit such a
// text can hold (its ASCII lower case; a rune whose orbit holds no ASCII
// stays, and matches no such text either way). Character classes need
// nothing: the parser has already added every case to them. nil when the
// regexp does not compile.
func lowerASCIIRegexp(src string) *regexp.Regexp {
	re, err := syntax.Parse("(?i)"+src, syntax.Perl)
	if err != nil || !unfoldASCII(re) {
		return nil
	}
	lower, err := regexp.Compile(re.String())
	if err != nil {
		return nil
	}
	return lower
}

// unfoldASCII clears the case folding of re's literals (see
// lowerASCIIRegexp). It reports false, and the regexp keeps its (?i)
// form, when re has a character class of more than maxFoldClassRunes
// runes that fold ([^;], \S): printing such a class (syntax.Regexp.String)
// folds every rune in it, which costs a one-shot run more than the
// matching gains. The depth of re is bounded by the regexp parser's
// nesting limit.
func unfoldASCII(re *syntax.Regexp) bool {
	switch {
	case re.Op == syntax.OpCharClass && foldClassRunes(re.Rune) > maxFoldClassRunes:
		return false
	case re.Op == syntax.OpLiteral && re.Flags&syntax.FoldCase != 0:
		for i, r := range re.Rune {
			re.Rune[i] = asciiFoldMember(r)
		}
		re.Flags &^= syntax.FoldCase
	}
	for _, sub := range re.Sub {
		if !unfoldASCII(sub) {
			return false
		}
	}
	return true
}

// maxFoldClassRunes is the most runes in the case-folding range a class
// of a regexp made case-sensitive may hold.
const maxFoldClassRunes = 1024

// foldClassRunes counts the runes of the class ranges (lo, hi pairs) from
// 'A' to the last rune that folds ('\U0001E943'), where printing a class
// looks at every rune.
func foldClassRunes(ranges []rune) int {
	const minFold, maxFold = 'A', '\U0001E943'
	n := 0
	for i := 0; i+1 < len(ranges); i += 2 {
		if lo, hi := max(ranges[i], minFold), min(ranges[i+1], maxFold); lo <= hi {
			n += int(hi-lo) + 1
		}
	}
	return n
}

// asciiFoldMember returns the lower-case ASCII member of r's case-fold
// orbit (K for the Kelvin sign, s for the long s), or r when it has none.
func asciiFoldMember(r rune) rune {
	for f := r; ; {
		if f < utf8.RuneSelf {
			return unicode.ToLower(f)
		}
		if f = unicode.SimpleFold(f); f == r {
			return r
		}
	}
}
