package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// dateRE matches an RFC 5322 §3.3 date-time as MTAs write it.
var dateRE = regexp.MustCompile(`(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), +)?[0-3]?[0-9] (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}(?::[0-9]{2})? [+-][0-9]{4}`)

// Normalizer makes a bounce stable across runs: every date becomes labDate
// and every token a volatile pattern captures (queue ids, boundaries,
// process ids) is replaced, in order of first appearance, by a fixed token
// of the same shape (digits stay digits, letters stay letters).
type Normalizer struct {
	IDs []IDPattern
}

// IDPattern is a volatile token: the first capture group (or the match) of
// Re. Alphabet is the replacement's; "" infers it from the token (digits,
// upper-case hex, lower-case hex, else base 62), which a random token can
// defeat (a hex queue id that happens to be all digits).
type IDPattern struct {
	Re       *regexp.Regexp
	Alphabet string
	Len      int // >0: replacements have this length (random numbers of varying width)
}

// alphabets are the names -id accepts before a colon: "hex:REGEXP", or
// with a fixed length, "digits/10:REGEXP".
var alphabets = map[string]string{"digits": digits, "HEX": upperHex, "hex": lowerHex, "b62": base62}

// Normalize returns msg with dates and volatile tokens replaced.
func (n Normalizer) Normalize(msg []byte) []byte {
	s := dateRE.ReplaceAllString(string(msg), labDate)
	seen := map[string]bool{}
	var pairs []string
	for _, p := range n.IDs {
		for _, m := range p.Re.FindAllStringSubmatch(s, -1) {
			tok := m[0]
			if len(m) > 1 {
				tok = m[1]
			}
			if tok != "" && !seen[tok] {
				seen[tok] = true
				rep := tok
				if p.Len > 0 {
					rep = strings.Repeat("0", p.Len)
				}
				pairs = append(pairs, tok, fixedToken(rep, len(pairs)/2, p.Alphabet))
			}
		}
	}
	return []byte(strings.NewReplacer(pairs...).Replace(s))
}

// Alphabets of fixedToken, by the characters a token uses.
const (
	digits   = "0123456789"
	upperHex = "0123456789ABCDEF"
	lowerHex = "0123456789abcdef"
	base62   = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

// fixedToken is the i-th replacement for tok: the same length, the same
// punctuation, letters and digits from the alphabet tok's class uses (all
// digits, upper-case hex, lower-case hex, else base 62), so that the
// replacement does not depend on the random characters of tok.
func fixedToken(tok string, i int, alpha string) string {
	switch {
	case alpha != "":
	case strings.Trim(tok, digits+"-.") == "":
		alpha = digits
	case strings.Trim(tok, upperHex+"-.") == "":
		alpha = upperHex
	case strings.Trim(tok, lowerHex+"-.") == "":
		alpha = lowerHex
	default:
		alpha = base62
	}
	b := []byte(tok)
	for j, c := range b {
		if strings.IndexByte(base62, c) >= 0 {
			b[j] = alpha[(i*7+j)%len(alpha)]
		}
	}
	return string(b)
}

type idList []IDPattern

func (l *idList) String() string { return fmt.Sprint(*l) }

// Set parses "[digits|HEX|hex|b62[/LEN]:]REGEXP".
func (l *idList) Set(v string) error {
	var p IDPattern
	if spec, rest, ok := strings.Cut(v, ":"); ok {
		name, n, _ := strings.Cut(spec, "/")
		if alphabets[name] != "" {
			p.Alphabet, v = alphabets[name], rest
			if n != "" {
				if _, err := fmt.Sscanf(n, "%d", &p.Len); err != nil || p.Len < 1 {
					return fmt.Errorf("mtalab: -id %q: bad length", spec)
				}
			}
		}
	}
	re, err := regexp.Compile(v)
	if err != nil {
		return err
	}
	p.Re = re
	*l = append(*l, p)
	return nil
}

func runNormalize(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("normalize", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var ids idList
	fs.Var(&ids, "id", "`regexp` whose first group is a volatile token, optionally after digits:, HEX:, hex: or b62: (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	n := Normalizer{IDs: ids}
	for _, path := range fs.Args() {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.WriteFile(path, n.Normalize(b), 0o644); err != nil {
			return err
		}
	}
	return nil
}
