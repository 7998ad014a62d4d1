// Package annotate adds plain-language explanations to bounce messages
// (RFC 3464, RFC 6522) without changing anything else in them: it adds
// X-Bounce-* header fields (RFC 5322, RFC 2047) and splices a block into the
// first human-readable MIME part (RFC 2045, RFC 2046), keeping every other
// byte.
package annotate

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/dsn"
	_ "github.com/bouncenote/bouncenote/dsn/formats" // text bounce formats register themselves
	"github.com/bouncenote/bouncenote/entity"
)

// Options configure Annotate. The zero value means the defaults.
type Options struct {
	Lang        string           // "en" (default), "zh-CN" or "auto"
	Catalog     *catalog.Catalog // nil means catalog.Builtin()
	Parse       *dsn.Options     // nil means dsn defaults
	HeadersOnly bool             // add headers but leave the body alone

	explain explainer // tests: replaces Catalog
}

// Field is one header field; Value is ready to be written (sanitised,
// RFC 2047-encoded where needed, folded). Folded lines are joined with the
// message's own line ending followed by a space.
type Field struct {
	Name  string
	Value string
}

// Result is what Annotate did.
type Result struct {
	Report  *dsn.Report
	Changed bool   // false: the message passes through byte-identical
	Output  []byte // the whole annotated message (the input itself when !Changed)

	// For the milter, the same change as a list of edits:
	RemoveHeaders []string // names of incoming header fields to delete (X-Bounce-*), all occurrences
	AddHeaders    []Field  // fields to add, in order, at the top of the header
	SetHeaders    []Field  // top-level fields to replace or add (e.g. Content-Type when re-encoded)
	Body          []byte   // the new body (after the blank line); nil when the body is unchanged

	Lang      string // the language used ("en" or "zh-CN"), set when Changed
	BodyParts int    // how many MIME parts got the block (0: headers only)
	BodyNote  string // why the body was left alone, when it was ("" otherwise)

	bodySplices []splice // the body edits annotateBody found, until applyEdits writes them
}

// Languages.
const (
	LangEN   = "en"
	LangZH   = "zh-CN"
	LangAuto = "auto"
)

// Annotate parses raw and, for failures and delays, adds the explanation.
// Any other message, and any message Parse cannot read, comes back with
// Changed false and Output equal to raw; a parse error is also returned, so
// that callers can pass the message through and report it. A message whose
// lines all end with a bare CR is annotated with CR line endings; one that
// mixes bare CR and LF endings gives ErrLineEndings.
func Annotate(raw []byte, opts Options) (*Result, error) {
	res := &Result{Output: raw}
	lang, err := checkLang(opts.Lang)
	if err != nil {
		return res, err
	}
	switch {
	case crOnly(raw):
		return annotateCR(raw, opts)
	case bareCRFirst(raw):
		return res, ErrLineEndings
	}
	t, treeErr := dsn.ReadTree(raw, opts.Parse)
	if t == nil {
		return res, fmt.Errorf("annotate: %w", treeErr)
	}
	dec := decodedParts{}
	rep, own, err := parseOwn(raw, t, treeErr, explainerOf(opts), opts.Parse, dec)
	if err != nil {
		return res, fmt.Errorf("annotate: %w", err)
	}
	res.Report = rep
	if !isFailureOrDelay(rep) {
		return res, nil
	}
	if treeErr != nil {
		// dsn read it without our blocks but the MIME structure is over
		// the limits: headers only.
		res.BodyNote = fmt.Sprintf("body left alone: %v", treeErr)
		opts.HeadersOnly = true
	}
	annotateReport(raw, t.Root, lang, opts, own, dec, res)
	return res, nil
}

// explainerOf is the catalog opts name.
func explainerOf(opts Options) explainer {
	switch {
	case opts.explain != nil:
		return opts.explain
	case opts.Catalog == nil:
		return catalog.Builtin()
	}
	return opts.Catalog
}

// annotateReport fills res for a failure or delay report res.Report. own
// are annotate's own blocks already in the message (see ownBlocks), which
// the new block replaces; dec holds the parts already decoded.
func annotateReport(raw []byte, root *entity.Entity, lang string, opts Options, own map[*entity.Entity]string, dec decodedParts, res *Result) {
	rep := res.Report
	if lang == LangAuto {
		lang = detectLang(root, rep)
	}
	res.Lang = lang
	blk := newBlock(rep, explainerOf(opts), lang)
	eol := entity.LineEnding(raw, headStart(root))
	res.RemoveHeaders = bounceHeaderNames(root)
	res.AddHeaders = headerFields(blk, eol)
	if !opts.HeadersOnly {
		annotateBody(raw, root, blk, own, dec, res)
	} else if res.BodyNote == "" {
		res.BodyNote = "headers only requested"
	}
	res.Output = applyEdits(raw, root, res)
	res.Changed = !bytes.Equal(res.Output, raw)
	if !res.Changed {
		res.Output = raw
	}
}

// ParseLang checks a language option and returns its canonical spelling
// ("en", "zh-CN" or "auto"; "" means "en").
func ParseLang(l string) (string, error) { return checkLang(l) }

// checkLang validates a language option.
func checkLang(l string) (string, error) {
	switch strings.ToLower(l) {
	case "", "en":
		return LangEN, nil
	case "zh-cn", "zh":
		return LangZH, nil
	case "auto":
		return LangAuto, nil
	}
	return "", fmt.Errorf("annotate: unknown language %q (want en, zh-CN or auto)", l)
}

// headerFields renders the four X-Bounce-* fields for the first failed
// recipient, else the first delayed one.
func headerFields(blk *block, eol string) []Field {
	var e entry
	if len(blk.Entries) > 0 {
		e = blk.Entries[0]
		for _, c := range blk.Entries {
			if !c.Delayed {
				e = c
				break
			}
		}
	}
	reason := e.Exp.Reason // the verdict: the same reason as inspect --json
	if reason == "" {
		reason = "undefined"
	}
	status := e.Status
	if status == "" {
		status = "unknown"
	}
	out := make([]Field, 0, 4)
	for _, f := range []Field{{HeaderReason, reason}, {HeaderStatus, status}} {
		if sanitize(f.Value, 1) != "" {
			out = append(out, headerField(f.Name, f.Value, eol))
		}
	}
	// The explanation and the remedy are the catalog's words alone.
	for _, f := range []knownField{{HeaderExplanation, e.Exp.Title, e.Exp.Explanation, eol},
		{HeaderRemedy, "", e.Exp.Remedy, eol}} {
		if len(f.Title)+len(f.Text) > maxWrapCacheText {
			f := catalogField(f)
			if f.Value != "" {
				out = append(out, f)
			}
			continue
		}
		if f := knownFields.get(f, catalogField); f.Value != "" {
			out = append(out, f)
		}
	}
	return out
}

// knownField is a header field made of catalog texts: title and text
// joined (joinSentences).
type knownField struct {
	Name, Title, Text, eol string
}

// knownFields remembers the catalog's header fields (see knownCache).
var knownFields knownCache[knownField, Field]

// catalogField renders a knownField; its Value is "" when the field is
// left out (nothing printable in it).
func catalogField(k knownField) Field {
	v := k.Text
	if k.Name == HeaderExplanation {
		v = joinSentences(sanitize(k.Title, 200), sanitize(k.Text, MaxHeaderValue))
	}
	if sanitize(v, 1) == "" {
		return Field{}
	}
	return headerField(k.Name, v, k.eol)
}

// joinSentences puts a title and a text together, ending the title with a
// full stop (a Chinese one after Chinese text) when it has none.
func joinSentences(title, text string) string {
	switch {
	case text == "":
		return title
	case title == "":
		return text
	case strings.HasSuffix(title, "。"), strings.HasSuffix(title, "！"), strings.HasSuffix(title, "？"):
		return title + text
	case strings.ContainsAny(title[len(title)-1:], ".!?"):
		return title + " " + text
	}
	if r, _ := utf8.DecodeLastRuneInString(title); r > 0x2e80 {
		return title + "。" + text
	}
	return title + ". " + text
}

// bounceHeaderNames lists the distinct names of incoming X-Bounce-* fields.
func bounceHeaderNames(root *entity.Entity) []string {
	var names []string
	seen := map[string]bool{}
	for _, f := range root.Header.Fields {
		if !isBounceField(f.Name) {
			continue
		}
		l := strings.ToLower(f.Name)
		if !seen[l] {
			seen[l] = true
			names = append(names, f.Name)
		}
	}
	return names
}

// isBounceField reports an X-Bounce-* field name, as annotate writes them.
func isBounceField(name string) bool {
	return len(name) >= len(headerPrefix) && strings.EqualFold(name[:len(headerPrefix)], headerPrefix)
}

// applyEdits builds the output message from the edits in res: the mbox
// line, AddHeaders (at the top), the original fields without RemoveHeaders and with
// SetHeaders replacing the first field of the same name (or appended), the
// header's end, then Body or the original body. The output is written
// once, into a buffer of its final size.
func applyEdits(raw []byte, root *entity.Entity, res *Result) []byte {
	start := headStart(root)
	eol := entity.LineEnding(raw, start)
	var out bytes.Buffer
	out.Grow(editedLen(raw, res, eol))
	out.Write(raw[:start])
	for _, f := range res.AddHeaders {
		writeField(&out, f, eol)
	}
	var done uint64 // SetHeaders written, by index (there are a few)
	for _, f := range root.Header.Fields {
		if isRemoved(f.Name, res.RemoveHeaders) {
			continue
		}
		if i := setIndex(f.Name, res.SetHeaders); i >= 0 && done&(1<<i) == 0 {
			done |= 1 << i
			writeField(&out, res.SetHeaders[i], eol)
			continue
		}
		out.Write(raw[f.Start:f.End])
		if f.End == f.Start || raw[f.End-1] != '\n' {
			out.WriteString(eol)
		}
	}
	for i, f := range res.SetHeaders {
		if done&(1<<i) == 0 {
			writeField(&out, f, eol)
		}
	}
	if res.Body == nil && res.bodySplices == nil {
		out.Write(raw[root.HeaderEnd:])
		return out.Bytes()
	}
	if root.HeaderEnded() {
		out.Write(raw[root.HeaderEnd:root.BodyStart])
	} else {
		out.WriteString(eol)
	}
	if res.bodySplices != nil {
		// The body is written once, into the output, and Body is that
		// part of the output: the message is not held twice.
		from := out.Len()
		writeSpliced(&out, raw, root.BodyStart, res.bodySplices)
		res.bodySplices = nil
		res.Body = out.Bytes()[from:]
		return out.Bytes()
	}
	out.Write(res.Body)
	return out.Bytes()
}

// editedLen is at least the length of applyEdits' output: raw with the
// added and set fields, the body or the splices, and a line ending for a
// last field or a header without one.
func editedLen(raw []byte, res *Result, eol string) int {
	n := len(raw) + len(res.Body) + 2*len(eol)
	for _, fs := range [][]Field{res.AddHeaders, res.SetHeaders} {
		for _, f := range fs {
			n += len(f.Name) + len(": ") + len(f.Value) + len(eol)
		}
	}
	for _, s := range res.bodySplices {
		n += s.len() - (s.end - s.start)
	}
	return n
}

// writeField writes "Name: value" and eol.
func writeField(out *bytes.Buffer, f Field, eol string) {
	out.WriteString(f.Name)
	out.WriteString(": ")
	out.WriteString(f.Value)
	out.WriteString(eol)
}

// isRemoved reports a field name among names, in any case.
func isRemoved(name string, names []string) bool {
	for _, n := range names {
		if sameFieldName(n, name) {
			return true
		}
	}
	return false
}

// setIndex returns the index of the first field of fs named name (in any
// ASCII case), or -1.
func setIndex(name string, fs []Field) int {
	for i, f := range fs {
		if sameFieldName(f.Name, name) {
			return i
		}
	}
	return -1
}

// sameFieldName reports a and b equal in lower case (strings.ToLower,
// which, unlike strings.EqualFold, does not take the long s for an s),
// without a copy when both are ASCII, where the two agree.
func sameFieldName(a, b string) bool {
	if entity.IsASCII(a) && entity.IsASCII(b) {
		return strings.EqualFold(a, b)
	}
	//lint:ignore SA6005 the names were compared in lower case; EqualFold also matches ſ with s
	return strings.ToLower(a) == strings.ToLower(b)
}
