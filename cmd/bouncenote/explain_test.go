package main

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
)

var explanationKeys = []string{"admin_note", "explanation", "id", "lang", "link", "permanent", "reason", "remedy", "title", "who"}

func keysOf(m map[string]any) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}

func TestExplainArgs(t *testing.T) {
	tests := []struct {
		name string
		args []string
		id   string
		lang string
	}{
		{"reply status text", []string{"550", "5.1.1", "User", "unknown", "in", "local", "recipient", "table"}, "server.user-unknown", "en"},
		{"whole line", []string{"550-5.1.1 <kim@example.org>: Recipient address rejected: User unknown in local recipient table"}, "server.user-unknown", "en"},
		{"bare status", []string{"4.4.7"}, "std.4.4.7", "en"},
		{"bare reply", []string{"--lang", "zh-CN", "421"}, "reply.421", "zh-CN"},
		{"codes in any order", []string{"5.2.2", "552"}, "std.5.2.2", "en"},
		{"language alias", []string{"--lang", "zh_Hans", "556"}, "reply.556", "zh-CN"},
		{"text only", []string{"Relay access denied"}, "server.relay-denied", "en"},
		{"final turns a delay final", []string{"--final", "4.2.2", "mailbox full"}, "server.mailbox-full", "en"},
		{"same delay not final", []string{"4.2.2", "mailbox full"}, "server.mailbox-full-delayed", "en"},
		{"flags after the words", []string{"4.2.2", "--lang", "zh-CN"}, "std.4.2.2", "zh-CN"},
		{"after -- all are words", []string{"--lang", "zh-CN", "--", "--lang", "4.2.2"}, "std.4.2.2", "zh-CN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := runCmd(t, "", append([]string{"explain", "--json"}, tt.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(out), &m); err != nil {
				t.Fatal(err)
			}
			if got := keysOf(m); !reflect.DeepEqual(got, explanationKeys) {
				t.Errorf("keys %v, want %v", got, explanationKeys)
			}
			if m["id"] != tt.id || m["lang"] != tt.lang {
				t.Errorf("got id %v lang %v, want %s %s", m["id"], m["lang"], tt.id, tt.lang)
			}
		})
	}
}

func TestExplainText(t *testing.T) {
	out, _, code := runCmd(t, "", "explain", "550", "5.7.1", "Relay", "access", "denied")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"What to do: ", "Who must act: ", "Reason: norelaying (permanent failure)", "Entry: server.relay-denied", "Admin note: "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = runCmd(t, "", "explain", "--lang", "zh-CN", "4.2.2")
	if !strings.Contains(out, "怎么办：") && !strings.Contains(out, "怎么办: ") {
		t.Errorf("zh-CN output lacks its labels:\n%s", out)
	}
}

func TestExplainUsage(t *testing.T) {
	if _, _, code := runCmd(t, "", "explain"); code != 2 {
		t.Errorf("no arguments: exit %d, want 2", code)
	}
}

func TestCatalogFlag(t *testing.T) {
	const site = "../../catalog/testdata/site/helpdesk.yaml"
	out, _, code := runCmd(t, "", "explain", "--json", "--catalog", site, "5.9.9")
	if code != 0 || !strings.Contains(out, `"site.any-permanent"`) {
		t.Errorf("custom catalog not used (exit %d): %s", code, out)
	}
	const bad = "../../catalog/testdata/invalid/bad-regexp.yaml"
	for _, args := range [][]string{
		{"explain", "--catalog", bad, "550"},
		{"inspect", "--catalog", bad, sample},
		{"catalog", "list", "--catalog", bad},
		{"catalog", "check", bad},
	} {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			out, stderr, code := runCmd(t, "", args...)
			if code != 2 || out != "" {
				t.Errorf("exit %d with output %q, want 2 and nothing", code, out)
			}
			if !strings.Contains(stderr, bad+":6: ") || !strings.Contains(stderr, "bad regexp") {
				t.Errorf("stderr %q lacks file:line and cause", stderr)
			}
		})
	}
}

func TestCatalogCheckAndList(t *testing.T) {
	out, stderr, code := runCmd(t, "", "catalog", "check", "../../catalog/testdata/site")
	if code != 0 || !strings.Contains(out, "ok: 1 entries") {
		t.Errorf("check: exit %d, %q %q", code, out, stderr)
	}
	if _, _, code = runCmd(t, "", "catalog", "check", "../../catalog/testdata/invalid/builtin-id.yaml"); code != 2 {
		t.Errorf("check of an id clashing with a built-in one: exit %d, want 2", code)
	}
	if _, _, code = runCmd(t, "", "catalog", "check", "--standalone", "../../catalog/testdata/invalid/builtin-id.yaml"); code != 0 {
		t.Errorf("standalone check: exit %d, want 0", code)
	}
	out, _, code = runCmd(t, "", "catalog", "list", "--json")
	if code != 0 {
		t.Fatalf("list: exit %d", code)
	}
	var entries []map[string]any
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, e := range entries {
		ids[e["id"].(string)] = true
		if _, ok := e["zh-CN"]; !ok {
			t.Errorf("entry %v without zh-CN", e["id"])
		}
	}
	for _, id := range []string{"fallback.last-resort", "reply.550", "server.user-unknown"} {
		if !ids[id] {
			t.Errorf("list lacks %s", id)
		}
	}
	out, _, _ = runCmd(t, "", "catalog", "list")
	if !strings.Contains(out, "server.user-unknown") || !strings.Contains(out, "catalog/data/servers.yaml:") {
		t.Errorf("text list lacks entries or their file:line")
	}
}

func TestInspectExplanation(t *testing.T) {
	out, stderr, code := runCmd(t, "", "inspect", "--json", "--lang", "zh-CN", sample)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	o := decodeLines(t, out)[0]
	rc := o["recipients"].([]any)[0].(map[string]any)
	x, ok := rc["explanation"].(map[string]any)
	if !ok {
		t.Fatalf("recipient has no explanation: %v", rc)
	}
	if got := keysOf(x); !reflect.DeepEqual(got, explanationKeys) {
		t.Errorf("explanation keys %v, want %v", got, explanationKeys)
	}
	if x["lang"] != "zh-CN" || x["reason"] != "userunknown" || x["title"] == "" {
		t.Errorf("explanation %v", x)
	}
	out, _, _ = runCmd(t, "", "inspect", sample)
	if !strings.Contains(out, "=> The recipient's address does not exist") {
		t.Errorf("text output lacks the title line:\n%s", out)
	}
}
