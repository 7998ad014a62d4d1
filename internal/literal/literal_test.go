package literal

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// TestIndexMatchesContains compares the automaton with strings.Contains on
// overlapping needles and random texts over a small alphabet.
func TestIndexMatchesContains(t *testing.T) {
	needles := []string{"he", "she", "his", "hers", "a", "aa", "aab", "abab", "bab", "user unknown", "unknown", "hers"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 30; n++ {
		var b strings.Builder
		for i := 0; i < 1+rnd.IntN(6); i++ {
			b.WriteByte("abehrsu"[rnd.IntN(7)])
		}
		needles = append(needles, b.String())
	}
	bld := NewBuilder()
	ids := make([]int32, len(needles))
	for i, s := range needles {
		ids[i] = bld.Add(s)
	}
	x := bld.Build()
	if x.Len() >= len(needles) {
		t.Fatalf("Len %d: duplicate needles not merged (%d added)", x.Len(), len(needles))
	}
	for n := 0; n < 2000; n++ {
		var b strings.Builder
		for i := 0; i < rnd.IntN(40); i++ {
			b.WriteByte("abehrsu n"[rnd.IntN(9)])
		}
		text := b.String()
		found := x.Scan(text)
		for i, needle := range needles {
			if got, want := found.Has(ids[i]), strings.Contains(text, needle); got != want {
				t.Fatalf("text %q needle %q: found %v, want %v", text, needle, got, want)
			}
		}
	}
}

func TestSetAnyAll(t *testing.T) {
	b := NewBuilder()
	user, unknown, full := b.Add("user"), b.Add("unknown"), b.Add("full")
	found := b.Build().Scan("550 user unknown")
	tests := []struct {
		name     string
		ids      []int32
		any, all bool
	}{
		{"both found", []int32{user, unknown}, true, true},
		{"one found", []int32{user, full}, true, false},
		{"none found", []int32{full}, false, false},
		{"empty", nil, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := found.Any(tt.ids); got != tt.any {
				t.Errorf("Any = %v, want %v", got, tt.any)
			}
			if got := found.All(tt.ids); got != tt.all {
				t.Errorf("All = %v, want %v", got, tt.all)
			}
		})
	}
}

func TestRequiredLiterals(t *testing.T) {
	tests := []struct{ in, want string }{ // want: the literals joined with |
		{`\blisted (at|in|on|by) [a-z0-9-]+(\.[a-z0-9-]+)+`, "listed "},
		{`relay(ing)? (access )?denied`, "denied"},
		{`Mailbox .*FULL`, "mailbox "},
		{`a|b`, ""}, // a character class
		{`a|[0-9]`, ""},
		{`(?-i)Exact`, "exact"},
		{`[0-9]+`, ""},
		{`Grüße`, ""},
		{`spamhaus|spamcop`, "spam"},
		{`\b(rbl|rbls|dnsbl|rhsbl)\b`, "rbl|dnsbl|rhsbl"},
		{`certificate (has )?expired|expired certificate`, "certificate |expired certificate"},
		{`\btlsa\b|\bdane\b`, "tlsa|dane"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := strings.Join(Required(tt.in), "|"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRequiredFolded(t *testing.T) {
	tests := []struct{ in, want string }{ // want: the literals joined with |
		{`(?i)mailbox is full`, "mailbox i"},
		{`Mailbox is full`, "mailbox is full"}, // case-sensitive: k and s stay
		{`(?i)^\s*This is the MAILER-DAEMON`, " the mailer-daemon"},
		{`(?im)^Disposition:\s*automatic-action/[^;]*;\s*deleted\b`, "automatic-action/"},
		{`^[245]\d\d$`, ""},
		{`(?i)ks`, ""},
		{`(?i)foo|BAR`, "foo|bar"},
		{`(?i)создано автоматически сервером mail\.ru`, " mail.ru"},
		{`(?i)İnfo`, "İnfo"}, // İ has no other case form for the regexp
		{`İnfo`, "İnfo"},     // case-sensitive: matched byte for byte
		{`(?i)未送達|配信エラー`, "未送達|配信エラー"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := strings.Join(RequiredFolded(tt.in), "|"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRequiredFoldedIsNecessary checks on texts that match each pattern,
// including ones spelled with the Kelvin sign and the long s, that one of
// the literals occurs (ContainsFold): the gate never hides a match.
func TestRequiredFoldedIsNecessary(t *testing.T) {
	tests := []struct{ pattern, text string }{
		{`(?i)mailbox is full`, "550 MAILBOX IS FULL"},
		{`(?i)mailbox is full`, "550 mailbox iſ full"},
		{`(?i)unknown user`, "550 Unknown uſer"},
		{`(?i)mailer-daemon`, "From: MAILER-DAEMON@example.org"},
		{`(?i)(?:quota|over ?limit) exceeded`, "Quota EXCEEDED"},
		{`\b([245]\.\d{1,3}\.\d{1,3})\b`, "status 5.1.1 here"},
		{`(?i)создано автоматически сервером mail\.ru`, "Создано автоматически сервером Mail.Ru"},
		{`(?i)未送達|配信エラー`, "Mail 配信エラー"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if !regexp.MustCompile(tt.pattern).MatchString(tt.text) {
				t.Fatalf("test data: %q does not match %q", tt.text, tt.pattern)
			}
			need := RequiredFolded(tt.pattern)
			if need == nil {
				return
			}
			for _, l := range need {
				if ContainsFold(tt.text, l) {
					return
				}
			}
			t.Errorf("none of %q in %q", need, tt.text)
		})
	}
}

func TestIndexFold(t *testing.T) {
	tests := []struct {
		s, needle string
		want      int
	}{
		{"550 User Unknown", "user unknown", 4},
		{"user", "user unknown", -1},
		{"", "a", -1},
		{"abc", "", 0},
		{"xxMAILER-DAEMONxx", "mailer-daemon", 2},
		{"aaaaab", "aab", 3},
		{"zZzZ", "zz", 0},
		{"5.1.1 5.1.2", "5.1.2", 6},
		{"Ümlaut UMLAUT", "umlaut", 8},
	}
	for _, tt := range tests {
		t.Run(tt.s+"/"+tt.needle, func(t *testing.T) {
			if got := IndexFold(tt.s, tt.needle); got != tt.want {
				t.Errorf("IndexFold = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestIndexFoldMatchesLower compares IndexFold with strings.Index on an
// ASCII-lower-cased copy, on random texts.
func TestIndexFoldMatchesLower(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 5000; n++ {
		var b strings.Builder
		for i := 0; i < rnd.IntN(30); i++ {
			b.WriteByte("aAbB.-zZ \xc3"[rnd.IntN(10)])
		}
		s := b.String()
		b.Reset()
		for i := 0; i < 1+rnd.IntN(4); i++ {
			b.WriteByte("ab.-z "[rnd.IntN(6)])
		}
		needle := b.String()
		if got, want := IndexFold(s, needle), strings.Index(ASCIILower(s), needle); got != want {
			t.Fatalf("IndexFold(%q, %q) = %d, want %d", s, needle, got, want)
		}
	}
}

func FuzzIndexFold(f *testing.F) {
	f.Add("550 User Unknown", "user unknown")
	f.Add("aaaaab", "aab")
	f.Fuzz(func(t *testing.T, s, needle string) {
		needle = strings.ToLower(needle)
		for i := 0; i < len(needle); i++ {
			if needle[i] >= 0x80 {
				return
			}
		}
		got := IndexFold(s, needle)
		if want := strings.Index(ASCIILower(s), needle); got != want {
			t.Fatalf("IndexFold(%q, %q) = %d, want %d", s, needle, got, want)
		}
	})
}

func FuzzRequiredFolded(f *testing.F) {
	f.Add(`(?i)mailbox is full`, "550 MAILBOX IS FULL")
	f.Add(`a(b|c)+d`, "xabcbd")
	f.Fuzz(func(t *testing.T, pattern, text string) {
		re, err := regexp.Compile(pattern)
		if err != nil || !re.MatchString(text) {
			return
		}
		need := RequiredFolded(pattern)
		if need == nil {
			return
		}
		for _, l := range need {
			if ContainsFold(text, l) {
				return
			}
		}
		t.Fatalf("%q matches %q but holds none of %q", pattern, text, need)
	})
}

// TestLowerToASCII checks the premise of MayContainLower: the only
// non-ASCII runes strings.ToLower turns into ASCII are İ and the Kelvin
// sign.
func TestLowerToASCII(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if l := strings.ToLower(string(r)); l != string(r) && strings.ContainsAny(l, "abcdefghjlmnopqrstuvwxyz0123456789 -_.:/'\"<>") {
			t.Errorf("%U lowers to %q", r, l)
		}
	}
}

func TestMayContainLower(t *testing.T) {
	tests := []struct {
		s, needle string
		want      bool
	}{
		{"Delivery has failed to these recipients", "delivery has failed", true},
		{"DELİVERY HAS FAİLED", "delivery has failed", true}, // İ lowers to i
		{"Hello world", "delivery has failed", false},
		{"", "ik", true}, // nothing to look for
		{"配信エラー", "配信", true},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			if got := MayContainLower(tt.s, tt.needle); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if strings.Contains(strings.ToLower(tt.s), tt.needle) && !MayContainLower(tt.s, tt.needle) {
				t.Error("missed a real occurrence")
			}
		})
	}
}

// FuzzIndex compares the automaton with strings.Contains: the needles are
// the |-separated pieces of the first input, the text the second.
func FuzzIndex(f *testing.F) {
	f.Add("he|she|his|hers", "ushers")
	f.Add("a|aa|aab|abab|bab", "aabababab")
	f.Add("user unknown|unknown|mailbox full|full", "550 5.1.1 User unknown; mailbox full")
	f.Fuzz(func(t *testing.T, needles, text string) {
		bld := NewBuilder()
		parts := strings.Split(needles, "|")
		ids := make([]int32, len(parts))
		for i, p := range parts {
			ids[i] = bld.Add(p)
		}
		found := bld.Build().Scan(text)
		for i, p := range parts {
			want := strings.Contains(text, p)
			if p == "" {
				want = text != "" // found at a byte
			}
			if got := found.Has(ids[i]); got != want {
				t.Fatalf("needles %q text %q: %q found %v, want %v", needles, text, p, got, want)
			}
		}
	})
}
