package main

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionText(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i+1 < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	platform := " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	tests := []struct {
		name  string
		bi    *debug.BuildInfo
		built string
		want  string
	}{
		{"release", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"},
			Settings: vcs("vcs", "git", "vcs.revision", "263e4701b0c7", "vcs.time", "2026-05-01T10:00:00Z", "vcs.modified", "false")},
			"", "bouncenote v1.2.0\nrevision: 263e4701b0c7\ncommit time: 2026-05-01T10:00:00Z\ngo: go1.26.8" + platform},
		{"dirty clone", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20260501100000-263e4701b0c7+dirty"},
			Settings: vcs("vcs.revision", "263e4701b0c7", "vcs.time", "2026-05-01T10:00:00Z", "vcs.modified", "true")},
			"", "bouncenote v0.0.0-20260501100000-263e4701b0c7+dirty\nrevision: 263e4701b0c7 (modified: built with uncommitted changes)\ncommit time: 2026-05-01T10:00:00Z\ngo: go1.26.8" + platform},
		{"build time set by the linker", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"},
			Settings: vcs("vcs.revision", "263e4701b0c7")},
			"2026-05-02T08:00:00Z", "bouncenote v1.2.0\nrevision: 263e4701b0c7\nbuild time: 2026-05-02T08:00:00Z\ngo: go1.26.8" + platform},
		{"no VCS information", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}},
			"", "bouncenote (devel)\nrevision: unknown (built without VCS information)\ngo: go1.26.8" + platform},
		{"no build information", nil, "", "bouncenote (unknown)\nrevision: unknown (built without VCS information)\ngo: " + runtime.Version() + platform},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionText(tt.bi, tt.built); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, stderr, code := runCmd(t, "", args...)
			if code != 0 || stderr != "" {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
			if !strings.HasPrefix(out, "bouncenote ") || !strings.Contains(out, "\nrevision: ") || !strings.Contains(out, "\ngo: go") {
				t.Errorf("output:\n%s", out)
			}
		})
	}
}
