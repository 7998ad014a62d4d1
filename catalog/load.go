package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// ErrInvalid is wrapped by every error about a catalog file.
var ErrInvalid = errors.New("catalog: invalid catalog file")

// Limits on catalog files.
const (
	// MaxFileBytes is the largest catalog file read (default 8 MiB).
	MaxFileBytes = 8 << 20
	// maxErrorsPerFile stops the error list of one broken file (default 20).
	maxErrorsPerFile = 20
)

// Error is one problem in a catalog file. It wraps ErrInvalid.
type Error struct {
	File  string
	Line  int // 0 when unknown
	Cause string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Cause)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Cause)
}

func (e *Error) Unwrap() error { return ErrInvalid }

// fileDoc is the top level of a catalog file.
type fileDoc struct {
	// Heading replaces the heading of the explanation block, per language
	// ("en", "zh-CN"), e.g. "A note from the Example Corp helpdesk". Only
	// site files may set it; the first file that does wins.
	Heading map[string]string `yaml:"heading,omitempty"`
	Entries []*Entry          `yaml:"entries"`
}

// maxHeading is the longest heading accepted, in bytes (default 200).
const maxHeading = 200

// loadPaths reads custom files and directories in the order given. The
// heading is the first one a file sets.
func loadPaths(paths []string) ([]*Entry, map[string]string, error) {
	var all []*Entry
	var heading map[string]string
	for _, p := range paths {
		files, err := expand(p)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range files {
			doc, err := readFile(f)
			if err != nil {
				return nil, nil, err
			}
			all = append(all, doc.Entries...)
			if heading == nil && len(doc.Heading) > 0 {
				heading = doc.Heading
			}
		}
	}
	return all, heading, nil
}

// expand turns a directory into its *.yaml and *.yml files, by name.
func expand(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, &Error{File: p, Cause: causeOf(err)}
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	des, err := os.ReadDir(p)
	if err != nil {
		return nil, &Error{File: p, Cause: causeOf(err)}
	}
	var files []string
	for _, de := range des {
		ext := strings.ToLower(filepath.Ext(de.Name()))
		if !de.IsDir() && (ext == ".yaml" || ext == ".yml") {
			files = append(files, filepath.Join(p, de.Name()))
		}
	}
	if len(files) == 0 {
		return nil, &Error{File: p, Cause: "directory holds no .yaml or .yml files"}
	}
	sort.Strings(files)
	return files, nil
}

func causeOf(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func readFile(name string) (*fileDoc, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, &Error{File: name, Cause: causeOf(err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, &Error{File: name, Cause: causeOf(err)}
	}
	if len(data) > MaxFileBytes {
		return nil, &Error{File: name, Cause: fmt.Sprintf("file larger than %d bytes", MaxFileBytes)}
	}
	return parseFile(name, data, true)
}

// parseFile decodes and validates one file. An empty file has no entries.
func parseFile(name string, data []byte, custom bool) (*fileDoc, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return &fileDoc{}, nil
		}
		return nil, yamlError(name, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, &Error{File: name, Line: extra.Line, Cause: "more than one YAML document"}
	case !errors.Is(err, io.EOF):
		return nil, yamlError(name, err)
	}
	var doc fileDoc
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(&doc); err != nil {
		return nil, yamlError(name, err)
	}
	items := entryNodes(&root)
	var errs []error
	for i, e := range doc.Entries {
		var node *yaml.Node
		if i < len(items) {
			node = deref(items[i])
		}
		if e == nil {
			errs = append(errs, &Error{File: name, Line: lineOf(node), Cause: "empty entry"})
			continue
		}
		e.File, e.Custom, e.Line = name, custom, lineOf(node)
		for _, v := range validate(e, node) {
			if len(errs) < maxErrorsPerFile {
				errs = append(errs, v)
			}
		}
	}
	errs = append(errs, checkHeading(name, &root, doc.Heading, custom)...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &doc, nil
}

// checkHeading validates a file's heading: site files only, known
// languages, one line of at most maxHeading bytes.
func checkHeading(name string, root *yaml.Node, h map[string]string, custom bool) []error {
	if len(h) == 0 {
		return nil
	}
	line := lineOf(deref(root), "heading")
	if !custom {
		return []error{&Error{File: name, Line: line, Cause: "heading: only site catalogs may set it"}}
	}
	var errs []error
	for lang, v := range h {
		v = strings.TrimSpace(v)
		switch {
		case lang != LangEN && lang != LangZHCN:
			errs = append(errs, &Error{File: name, Line: line, Cause: fmt.Sprintf("heading: unknown language %q (want en or zh-CN)", lang)})
		case v == "" || len(v) > maxHeading || strings.ContainsAny(v, "\r\n"):
			errs = append(errs, &Error{File: name, Line: line, Cause: fmt.Sprintf("heading %s: want one line of 1 to %d bytes", lang, maxHeading)})
		}
	}
	return errs
}

// yamlLineRE takes the line out of a go-yaml error; compiled on first use.
var yamlLineRE = lazyre.New(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError turns a go-yaml error into file:line: cause errors.
func yamlError(name string, err error) error {
	var lines []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		lines = te.Errors
	} else {
		lines = []string{err.Error()}
	}
	var errs []error
	for _, l := range lines {
		l = strings.TrimPrefix(l, "yaml: ")
		e := &Error{File: name, Cause: l}
		if m := yamlLineRE.FindStringSubmatch(l); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			e.Cause = m[2]
		}
		e.Cause = plainYAMLCause(e.Cause)
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}

// entryNodes returns the nodes of the items of the top-level entries list.
func entryNodes(root *yaml.Node) []*yaml.Node {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if list := child(n, "entries"); list != nil && list.Kind == yaml.SequenceNode {
		return list.Content
	}
	return nil
}

// child returns the value node of key in a mapping node, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// deref follows an alias (*name) to its anchored node, once: go-yaml
// refuses alias cycles when decoding, before this is used.
func deref(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// lineOf returns the line of the node at the path of mapping keys below n
// (a number selects a list item), or the line of the deepest node found.
func lineOf(n *yaml.Node, keys ...string) int {
	if n == nil {
		return 0
	}
	line := n.Line
	for _, k := range keys {
		var next *yaml.Node
		n = deref(n)
		if i, err := strconv.Atoi(k); err == nil && n.Kind == yaml.SequenceNode {
			if i >= 0 && i < len(n.Content) {
				next = n.Content[i]
			}
		} else {
			next = child(n, k)
		}
		if next == nil {
			return line
		}
		n, line = next, next.Line
	}
	return line
}

// checkIDs reports ids used twice among entries, or used by an entry of base.
func checkIDs(entries, base []*Entry) error {
	seen := make(map[string]*Entry, len(entries)+len(base))
	for _, e := range base {
		seen[e.ID] = e
	}
	var errs []error
	for _, e := range entries {
		if prev, ok := seen[e.ID]; ok {
			cause := fmt.Sprintf("duplicate id %q (first at %s:%d)", e.ID, prev.File, prev.Line)
			if !prev.Custom && e.Custom {
				cause = fmt.Sprintf("duplicate id %q: the built-in catalog has it (%s:%d); custom entries need ids of their own", e.ID, prev.File, prev.Line)
			}
			errs = append(errs, &Error{File: e.File, Line: e.Line, Cause: cause})
			continue
		}
		seen[e.ID] = e
	}
	return errors.Join(errs...)
}
