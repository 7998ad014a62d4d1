package main

import (
	"go/build"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/bouncenote/bouncenote"

// TestFloorImports checks that floor imports exactly the library packages
// that the bouncenote binary's own packages import (their non-test files,
// for this GOOS), so that the floor stays what the binary links.
func TestFloorImports(t *testing.T) {
	want := binaryImports(t, "../../..", module+"/cmd/bouncenote")
	got := floorImports(t)
	for _, p := range want {
		if !slices.Contains(got, p) {
			t.Errorf("floor does not import %s, which bouncenote imports", p)
		}
	}
	for _, p := range got {
		if !slices.Contains(want, p) {
			t.Errorf("floor imports %s, which bouncenote does not", p)
		}
	}
}

// binaryImports returns, sorted, the imports from outside the module of
// main and of every package of the module it reaches, leaving out the
// packages no other module may import (internal, vendor).
func binaryImports(t *testing.T, root, main string) []string {
	t.Helper()
	seen := map[string]bool{}
	var libs []string
	queue := []string{main}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		dir := filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(p, module)))
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, imp := range pkg.Imports {
			switch {
			case strings.HasPrefix(imp, module+"/"):
				queue = append(queue, imp)
			case imp == "C" || strings.HasPrefix(imp, "internal/") || strings.HasPrefix(imp, "vendor/") || strings.Contains(imp, "/internal/"):
			case !slices.Contains(libs, imp):
				libs = append(libs, imp)
			}
		}
	}
	slices.Sort(libs)
	return libs
}

// floorImports returns, sorted, the imports of main.go.
func floorImports(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var imps []string
	for _, s := range f.Imports {
		p, err := strconv.Unquote(s.Path.Value)
		if err != nil {
			t.Fatal(err)
		}
		imps = append(imps, p)
	}
	slices.Sort(imps)
	return imps
}
