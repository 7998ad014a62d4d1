package catalog

import "strings"

// Paths is a repeatable command-line flag (flag.Value) collecting custom
// catalog files or directories: fs.Var(&paths, "catalog", "...").
type Paths []string

// String returns the paths separated by commas.
func (p *Paths) String() string {
	if p == nil {
		return ""
	}
	return strings.Join(*p, ",")
}

// Set adds one path.
func (p *Paths) Set(s string) error {
	*p = append(*p, s)
	return nil
}

// Load returns the built-in catalog with the paths on top; with no paths,
// the built-in catalog itself.
func (p Paths) Load() (*Catalog, error) {
	return Load(p...)
}
