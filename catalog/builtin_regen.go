//go:build catalog_regen

package catalog

// Stand-ins for builtin_gen.go while go generate rewrites it: the package is
// then built with the catalog_regen tag, without the old generated file, so
// that regenerating works even when that file no longer compiles (after a
// change of Entry or compiled).
var (
	builtinEntries []*Entry
	builtinNeedles needleSet
)
