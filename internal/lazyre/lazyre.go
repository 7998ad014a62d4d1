// Package lazyre holds package-level regular expressions (RE2 syntax,
// package regexp) that compile on first use instead of at program start,
// and skip texts that lack the fixed words every match contains.
package lazyre

import (
	"regexp"
	"sync"

	"github.com/bouncenote/bouncenote/internal/literal"
)

// Regexp is a regexp.Regexp compiled on first use. Its search methods first
// check that the text holds one of the literals every match must contain
// (literal.RequiredFolded) and answer "no match" at once when it does not:
// Go's regexp engine scans the whole text otherwise, which for patterns
// without a literal prefix ((?i), ^\s*, \b) is slow on long texts. The
// answers are those of regexp.Regexp. Safe for concurrent use.
type Regexp struct {
	pattern  string
	gateOnce sync.Once
	need     []literal.FoldNeedle // one of them occurs in every match (nil: no gate)
	once     sync.Once
	re       *regexp.Regexp
}

// New returns the Regexp for pattern. Like regexp.MustCompile it is meant
// for package-level variables; a bad pattern panics on first use (every
// pattern is compiled by the package's tests, see Compiled).
func New(pattern string) *Regexp {
	r := &Regexp{pattern: pattern}
	track(r)
	return r
}

func (r *Regexp) compile() {
	r.once.Do(func() { r.re = regexp.MustCompile(r.pattern) })
}

// gate finds, on first use, the literals every match contains.
func (r *Regexp) gate() {
	r.gateOnce.Do(func() {
		for _, l := range literal.RequiredFolded(r.pattern) {
			r.need = append(r.need, literal.NewFoldNeedle(l))
		}
	})
}

// mayMatch reports whether s holds one of r's literals, and then compiles
// r: a pattern whose literals no text holds is never compiled.
func (r *Regexp) mayMatch(s string) bool {
	r.gate()
	if r.need != nil && !r.holdsNeedle(s) {
		return false
	}
	r.compile()
	return true
}

func (r *Regexp) holdsNeedle(s string) bool {
	for _, l := range r.need {
		if l.Index(s) >= 0 {
			return true
		}
	}
	return false
}

// MayMatch reports whether s holds one of the literals every match of r
// contains. False means that neither s nor any part of it (a line) can
// match: a caller that tries r on each line of a text can ask once.
func (r *Regexp) MayMatch(s string) bool { return r.mayMatch(s) }

// Regexp returns the compiled regexp.
func (r *Regexp) Regexp() *regexp.Regexp {
	r.compile()
	return r.re
}

// String returns the source text.
func (r *Regexp) String() string { return r.pattern }

// MatchString is regexp.Regexp.MatchString.
func (r *Regexp) MatchString(s string) bool { return r.mayMatch(s) && r.re.MatchString(s) }

// FindString is regexp.Regexp.FindString.
func (r *Regexp) FindString(s string) string {
	if !r.mayMatch(s) {
		return ""
	}
	return r.re.FindString(s)
}

// FindStringIndex is regexp.Regexp.FindStringIndex.
func (r *Regexp) FindStringIndex(s string) []int {
	if !r.mayMatch(s) {
		return nil
	}
	return r.re.FindStringIndex(s)
}

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch.
func (r *Regexp) FindStringSubmatch(s string) []string {
	if !r.mayMatch(s) {
		return nil
	}
	return r.re.FindStringSubmatch(s)
}

// FindStringSubmatchIndex is regexp.Regexp.FindStringSubmatchIndex.
func (r *Regexp) FindStringSubmatchIndex(s string) []int {
	if !r.mayMatch(s) {
		return nil
	}
	return r.re.FindStringSubmatchIndex(s)
}

// FindAllString is regexp.Regexp.FindAllString.
func (r *Regexp) FindAllString(s string, n int) []string {
	if !r.mayMatch(s) {
		return nil
	}
	return r.re.FindAllString(s, n)
}

// FindAllStringIndex is regexp.Regexp.FindAllStringIndex.
func (r *Regexp) FindAllStringIndex(s string, n int) [][]int {
	if !r.mayMatch(s) {
		return nil
	}
	return r.re.FindAllStringIndex(s, n)
}

// FindAllStringSubmatch is regexp.Regexp.FindAllStringSubmatch.
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	if !r.mayMatch(s) {
		return nil
	}
	return r.re.FindAllStringSubmatch(s, n)
}

// FindAllStringSubmatchIndex is regexp.Regexp.FindAllStringSubmatchIndex.
func (r *Regexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	if !r.mayMatch(s) {
		return nil
	}
	return r.re.FindAllStringSubmatchIndex(s, n)
}

// ReplaceAllString is regexp.Regexp.ReplaceAllString.
func (r *Regexp) ReplaceAllString(src, repl string) string {
	if !r.mayMatch(src) {
		return src
	}
	return r.re.ReplaceAllString(src, repl)
}

// ReplaceAllStringFunc is regexp.Regexp.ReplaceAllStringFunc.
func (r *Regexp) ReplaceAllStringFunc(src string, repl func(string) string) string {
	if !r.mayMatch(src) {
		return src
	}
	return r.re.ReplaceAllStringFunc(src, repl)
}

// Split is regexp.Regexp.Split.
func (r *Regexp) Split(s string, n int) []string {
	if n == 0 {
		return nil
	}
	if !r.mayMatch(s) {
		return []string{s}
	}
	return r.re.Split(s, n)
}

var (
	allMu sync.Mutex
	all   []*Regexp
)

// track remembers r for Compiled.
func track(r *Regexp) {
	allMu.Lock()
	all = append(all, r)
	allMu.Unlock()
}

// Compiled compiles every Regexp made so far (those of the packages
// imported) and returns the first error, so that a test catches a bad
// pattern that New would only reveal on first use.
func Compiled() error {
	allMu.Lock()
	defer allMu.Unlock()
	for _, r := range all {
		if _, err := regexp.Compile(r.pattern); err != nil {
			return err
		}
	}
	return nil
}
