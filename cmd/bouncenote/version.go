package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

func init() {
	register(command{
		name:    "version",
		summary: "print the version, VCS revision and build details (also --version)",
		run:     runVersion,
	})
}

// buildTime may be set when linking:
// go build -ldflags "-X main.buildTime=$(date -u +%Y-%m-%dT%H:%M:%SZ)" ./cmd/bouncenote
// The go command records no build time of its own.
var buildTime string

func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	cl := newCmdLine("bouncenote version", "usage: bouncenote version\n       bouncenote --version",
		"Prints the module version, the VCS revision the binary was built from (and\nwhether the work tree had changes), the commit and build times when known,\nand the Go version.")
	rest, code, ok := cl.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return cl.usageError(stderr, "unexpected argument %q", rest[0])
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	fmt.Fprint(stdout, versionText(bi, buildTime))
	return 0
}

// versionText describes a build from its build information (nil when the
// binary has none) and the linker-set build time:
//
//	bouncenote v1.2.0
//	revision: 263e4701b0c7... (modified: built with uncommitted changes)
//	commit time: 2026-05-01T10:00:00Z
//	build time: 2026-05-02T08:00:00Z
//	go: go1.26.8 linux/amd64
func versionText(bi *debug.BuildInfo, built string) string {
	var b strings.Builder
	version := "(unknown)"
	goVersion := runtime.Version()
	settings := map[string]string{}
	if bi != nil {
		if bi.Main.Version != "" {
			version = bi.Main.Version
		}
		if bi.GoVersion != "" {
			goVersion = bi.GoVersion
		}
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
	}
	fmt.Fprintf(&b, "bouncenote %s\n", version)
	if rev := settings["vcs.revision"]; rev != "" {
		state := ""
		if settings["vcs.modified"] == "true" {
			state = " (modified: built with uncommitted changes)"
		}
		fmt.Fprintf(&b, "revision: %s%s\n", rev, state)
	} else {
		fmt.Fprintln(&b, "revision: unknown (built without VCS information)")
	}
	if t := settings["vcs.time"]; t != "" {
		fmt.Fprintf(&b, "commit time: %s\n", t)
	}
	if built != "" {
		fmt.Fprintf(&b, "build time: %s\n", built)
	}
	fmt.Fprintf(&b, "go: %s %s/%s\n", goVersion, runtime.GOOS, runtime.GOARCH)
	return b.String()
}
