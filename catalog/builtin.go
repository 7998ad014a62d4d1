package catalog

//go:generate go test -tags catalog_regen -run TestBuiltinGenerated -update .

// The built-in catalog is written in data/*.yaml and compiled at build time
// into builtin_gen.go: the entries with their compiled match rules and the
// needles of their text rules, as Go composite literals the linker lays out
// as static data. Loading it costs nothing at run time; its regexps are
// compiled on first use and the text automaton is built on demand
// (textRules). `go generate ./catalog` rewrites builtin_gen.go after an
// edit of the YAML (it builds the package with the catalog_regen tag,
// without the old file: builtin_regen.go); TestBuiltinGenerated fails while
// the file is out of date, and the generator refuses data that the
// validator (validate.go) or the duplicate-id check refuses, as for a site
// catalog.

// builtinCat is the built-in catalog. Its needle ids are generated too.
var builtinCat = &Catalog{entries: builtinEntries, text: textRules{static: &builtinNeedles}}

// Builtin returns the built-in catalog (catalog/data/*.yaml, compiled into
// the binary at build time).
func Builtin() *Catalog {
	return builtinCat
}

// BuiltinError reports why the built-in catalog could not be loaded. It is
// always nil: the built-in data is validated when it is generated, and the
// tests check that the generated form matches the YAML.
func BuiltinError() error {
	return nil
}
