package catalog

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/bouncenote/bouncenote/internal/lazyre"
	"github.com/bouncenote/bouncenote/internal/literal"
)

// Reasons are the 36 reason names an entry may give (Sisimai's set,
// testdata/reference/reasons.tsv).
var Reasons = []string{
	"authfailure", "badreputation", "blocked", "contenterror", "delivered",
	"exceedlimit", "expired", "feedback", "filtered", "hasmoved",
	"hostunknown", "mailboxfull", "mailererror", "mesgtoobig", "networkerror",
	"norelaying", "notaccept", "notcompliantrfc", "onhold", "policyviolation",
	"rejected", "requireptr", "securityerror", "spamdetected", "speeding",
	"suspend", "syntaxerror", "systemerror", "systemfull", "toomanyconn",
	"undefined", "userunknown", "vacation", "virusdetected", "failedstarttls",
	"suppressed",
}

// ValidReason reports whether r is one of Reasons.
func ValidReason(r string) bool {
	for _, x := range Reasons {
		if x == r {
			return true
		}
	}
	return false
}

// idRE is the id form: lowercase <source>.<slug>. Compiled on first use:
// only site catalogs are validated at run time.
var idRE = lazyre.New(`^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_.-]*)+$`)

// maxRegexpLen limits a match regexp (default 1000 bytes).
const maxRegexpLen = 1000

// validate checks one decoded entry and compiles its match. node is the
// entry's YAML node, for line numbers (may be nil).
func validate(e *Entry, node *yaml.Node) []error {
	v := validator{e: e, node: node}
	v.checkID()
	v.checkFields()
	v.compileReplies()
	v.compileStatuses()
	v.compileTexts()
	v.compileRegexps()
	v.compileHosts()
	v.compileReasons()
	v.compileCommands()
	v.checkPermanent()
	v.checkText(LangEN, e.EN)
	v.checkText(LangZHCN, e.ZHCN)
	return v.errs
}

type validator struct {
	e    *Entry
	node *yaml.Node
	errs []error
}

func (v *validator) fail(cause string, keys ...string) {
	v.errs = append(v.errs, &Error{File: v.e.File, Line: lineOf(v.node, keys...), Cause: cause})
}

func (v *validator) where() string {
	if v.e.ID == "" {
		return "entry"
	}
	return fmt.Sprintf("entry %q", v.e.ID)
}

func (v *validator) checkID() {
	switch {
	case v.e.ID == "":
		v.fail("entry has no id")
	case !idRE.MatchString(v.e.ID):
		v.fail(fmt.Sprintf("id %q: want lowercase <source>.<slug> (letters, digits, - _ .)", v.e.ID), "id")
	}
}

func (v *validator) checkFields() {
	if v.e.Reason == "" {
		v.fail(v.where()+": reason is missing", "reason")
	} else if !ValidReason(v.e.Reason) {
		v.fail(fmt.Sprintf("%s: unknown reason %q (want one of the 36 reason names)", v.where(), v.e.Reason), "reason")
	}
	if !v.e.Who.Valid() {
		v.fail(fmt.Sprintf("%s: who %q: want sender, sender-admin, recipient, recipient-admin or nobody", v.where(), v.e.Who), "who")
	}
	if v.node != nil && child(v.node, "permanent") == nil {
		v.fail(v.where()+": permanent is missing (true or false)", "permanent")
	}
}

func (v *validator) compileReplies() {
	for i, s := range v.e.Match.Reply {
		r, ok := parseReply(s, true)
		if !ok {
			v.fail(fmt.Sprintf("%s: reply code %q: want three digits (550) or a class (5xx)", v.where(), s), "match", "reply", strconv.Itoa(i))
			continue
		}
		v.e.m.replies = append(v.e.m.replies, r)
	}
}

func (v *validator) compileStatuses() {
	for i, s := range v.e.Match.Status {
		p, ok := parseStatus(s, true)
		if !ok {
			v.fail(fmt.Sprintf("%s: status %q: want class.subject.detail such as 5.7.1, with x wildcards (5.7.x, 5.x.x)", v.where(), s), "match", "status", strconv.Itoa(i))
			continue
		}
		v.e.m.statuses = append(v.e.m.statuses, p)
	}
}

func (v *validator) compileTexts() {
	for i, s := range v.e.Match.Text {
		if strings.TrimSpace(s) == "" {
			v.fail(v.where()+": empty text would match everything", "match", "text", strconv.Itoa(i))
			continue
		}
		v.e.m.texts = append(v.e.m.texts, strings.ToLower(s))
	}
}

func (v *validator) compileRegexps() {
	for i, s := range v.e.Match.Regexp {
		keys := []string{"match", "regexp", strconv.Itoa(i)}
		if s == "" || len(s) > maxRegexpLen {
			v.fail(fmt.Sprintf("%s: regexp must have 1 to %d bytes", v.where(), maxRegexpLen), keys...)
			continue
		}
		re, err := compileMatchRegexp(s)
		if err != nil {
			v.fail(fmt.Sprintf("%s: bad regexp %q: %v", v.where(), s, err), keys...)
			continue
		}
		if re.MatchString("") {
			v.fail(fmt.Sprintf("%s: regexp %q matches empty text, so it would match everything", v.where(), s), keys...)
			continue
		}
		v.e.m.regexps = append(v.e.m.regexps, compiledRegexp(s, re))
		v.e.m.prefilt = append(v.e.m.prefilt, literal.Required(s))
	}
}

func (v *validator) compileHosts() {
	for i, s := range v.e.Match.Host {
		if strings.TrimSpace(s) == "" {
			v.fail(v.where()+": empty host would match everything", "match", "host", strconv.Itoa(i))
			continue
		}
		v.e.m.hosts = append(v.e.m.hosts, strings.ToLower(s))
	}
}

func (v *validator) compileReasons() {
	for i, s := range v.e.Match.Reason {
		if !ValidReason(s) {
			v.fail(fmt.Sprintf("%s: match reason %q: want one of the 36 reason names", v.where(), s), "match", "reason", strconv.Itoa(i))
			continue
		}
		v.e.m.reasons = append(v.e.m.reasons, s)
	}
}

// Commands are the SMTP commands a match may name (RFC 5321 §4.1.1; CONN
// is the greeting, before any command).
var Commands = []string{"CONN", "HELO", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA"}

func (v *validator) compileCommands() {
	for i, s := range v.e.Match.Command {
		c := strings.ToUpper(strings.TrimSpace(s))
		if !contains(Commands, c) {
			v.fail(fmt.Sprintf("%s: match command %q: want one of %s", v.where(), s, strings.Join(Commands, ", ")), "match", "command", strconv.Itoa(i))
			continue
		}
		v.e.m.commands = append(v.e.m.commands, c)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkPermanent refuses permanent: true when every code is temporary
// (class 4) and permanent: false when every code is permanent (class 5).
func (v *validator) checkPermanent() {
	classes := map[int]bool{}
	for _, r := range v.e.m.replies {
		classes[r.code/100] = true
	}
	for _, s := range v.e.m.statuses {
		if s.c[0] != wildcard {
			classes[s.c[0]] = true
		}
	}
	if len(classes) != 1 {
		return
	}
	switch {
	case classes[4] && v.e.Permanent:
		v.fail(v.where()+": permanent is true but all its codes are temporary (class 4)", "permanent")
	case classes[5] && !v.e.Permanent:
		v.fail(v.where()+": permanent is false but all its codes are permanent failures (class 5)", "permanent")
	}
}

func (v *validator) checkText(lang string, t Text) {
	if v.node != nil && child(v.node, lang) == nil {
		v.fail(fmt.Sprintf("%s: language %s is missing", v.where(), lang))
		return
	}
	for _, f := range []struct{ key, val string }{
		{"title", t.Title}, {"explanation", t.Explanation}, {"remedy", t.Remedy},
	} {
		if strings.TrimSpace(f.val) == "" {
			v.fail(fmt.Sprintf("%s: %s.%s is missing", v.where(), lang, f.key), lang)
		}
	}
	if strings.ContainsAny(strings.TrimSpace(t.Title), "\r\n") {
		v.fail(fmt.Sprintf("%s: %s.title must be one line", v.where(), lang), lang, "title")
	}
	if t.Link != "" && !strings.HasPrefix(t.Link, "https://") && !strings.HasPrefix(t.Link, "http://") {
		v.fail(fmt.Sprintf("%s: %s.link must start with https:// or http://", v.where(), lang), lang, "link")
	}
}
