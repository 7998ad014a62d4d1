package catalog

import (
	"strings"
	"testing"
)

// TestGateNeverRefusesAMatch: the packed gates only pass over entries that
// codeScore refuses, for every built-in entry and queries of every code
// shape (exact, other subject, other class, X.Y.0, none, a subject above 63).
func TestGateNeverRefusesAMatch(t *testing.T) {
	queries := []Query{
		{ReplyCode: "550", Status: "5.1.1"}, {ReplyCode: "550", Status: "5.7.1"},
		{ReplyCode: "421", Status: "4.7.0"}, {ReplyCode: "452", Status: "4.2.2"},
		{Status: "5.7.515"}, {Status: "5.4.7"}, {Status: "5.0.0"}, {Status: "2.0.0"},
		{ReplyCode: "554"}, {ReplyCode: "250"}, {ReplyCode: "354"}, {},
		{Status: "5.65.1"}, {Status: "5.1.10"}, {ReplyCode: "550", Status: "4.4.1"},
	}
	c := Builtin()
	gs := c.gates.get(c.entries)
	refused := 0
	for _, q := range queries {
		t.Run(q.ReplyCode+"_"+q.Status, func(t *testing.T) {
			p := prepare(q)
			qg := newQueryGate(&p)
			for i, e := range c.entries {
				_, ok := e.m.codeScore(&p)
				switch may := gs[i].may(qg); {
				case ok && !may:
					t.Errorf("entry %s matches the codes but its gate refuses it", e.ID)
				case !may:
					refused++
				}
			}
		})
	}
	if refused == 0 {
		t.Error("the gates never refuse an entry")
	}
}

// TestTextGatesNeverRefuseAMatch: every wording entry that mayMatch lets
// through for a text is marked by textGates, for texts that hit many
// entries' needles and literals, and some are left out.
func TestTextGatesNeverRefuseAMatch(t *testing.T) {
	c := Builtin()
	set := c.text.needles(c.entries)
	var texts []string
	for _, e := range c.entries { // every text rule as a text, with its neighbours' words
		texts = append(texts, e.m.texts...)
		for _, lits := range e.m.prefilt {
			texts = append(texts, strings.Join(lits, " "))
		}
	}
	texts = append(texts, "550 5.1.1 <bob@example.net>: recipient address rejected: user unknown in local recipient table",
		"421 4.7.0 tls handshake failed", "mailbox full", "x")
	skipped := 0
	for _, text := range texts {
		found := c.text.scan(set, text)
		marks := c.textGts.get(c.entries, set).marks(found, len(c.entries))
		for i, e := range c.entries {
			if !e.m.hasText() {
				continue
			}
			marked := marks[i/64]&(1<<(i%64)) != 0
			if e.m.mayMatch(found, set.textIDs[i], set.litIDs[i]) && !marked {
				t.Fatalf("%q: entry %s may match but is not marked", text, e.ID)
			}
			if !marked {
				skipped++
			}
		}
	}
	if skipped == 0 {
		t.Error("textGates never leaves an entry out")
	}
}

// TestLowerASCIIRegexpSameMatches: every built-in regexp that has one
// (107 of 111), made
// case-sensitive for lower-case ASCII texts, matches such texts exactly
// when the case-insensitive one does: texts made of every catalog needle
// and literal, alone and around each other, and lines from the tests.
func TestLowerASCIIRegexpSameMatches(t *testing.T) {
	c := Builtin()
	var texts []string
	for _, e := range c.entries {
		texts = append(texts, e.m.texts...)
		for _, lits := range e.m.prefilt {
			texts = append(texts, lits...)
		}
	}
	for _, bq := range benchQueries {
		texts = append(texts, bq.q.Text)
	}
	n := len(texts)
	for i := 0; i < n; i++ { // neighbours joined: phrases that span rules
		texts = append(texts, texts[i]+" "+texts[(i+1)%n], "x "+texts[i]+" failed (dt:spm) [cs01] ofr_104 lpn107")
	}
	checked, matched := 0, 0
	for _, e := range c.entries {
		for _, re := range e.m.regexps {
			lower := lowerASCIIRegexp(re.src)
			if lower == nil { // a large class ([^;], \S): the (?i) form is used
				continue
			}
			for _, s := range texts {
				s = strings.ToLower(s)
				if !isASCII(s) {
					continue
				}
				checked++
				want := re.MatchString(s)
				if want {
					matched++
				}
				if got := lower.MatchString(s); got != want {
					t.Errorf("%s: %q on %q: lower-case form %v, (?i) %v", e.ID, re.src, s, got, want)
				}
			}
		}
	}
	if matched == 0 {
		t.Error("no text matched any regexp")
	}
	t.Logf("%d regexp/text pairs, %d matches", checked, matched)
}

// TestAsciiFoldMember: the ASCII member of a fold orbit, in lower case.
func TestAsciiFoldMember(t *testing.T) {
	for r, want := range map[rune]rune{'a': 'a', 'A': 'a', 'K': 'k', '\u212a': 'k', '\u017f': 's', '1': '1', '-': '-', 'é': 'é', '中': '中'} {
		if got := asciiFoldMember(r); got != want {
			t.Errorf("asciiFoldMember(%q) = %q, want %q", r, got, want)
		}
	}
}
