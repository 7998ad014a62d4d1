package catalog

import (
	"regexp"
	"strings"
	"testing"
)

// goTypeRE finds Go type names in a message: what a catalog author must
// never have to read.
var goTypeRE = regexp.MustCompile(`catalog\.|in type |into (int|bool|string|\[\]|map\[)|fileDoc`)

func TestYAMLErrorsNameNoGoTypes(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown top-level key", "entrys: []\n", `unknown field "entrys" at the top level (known fields: heading, entries)`},
		{"unknown text key", "entries:\n  - id: x\n    en: {titel: t}\n", `unknown field "titel" in a language's text (en, zh-CN) (known fields: title, explanation, remedy, admin_note, link)`},
		{"list for a string", "entries:\n  - id: [a, b]\n", "want a string, got a list"},
		{"mapping for a list", "entries:\n  - id: x\n    match: {status: {a: b}}\n", "want a list of strings, got a mapping"},
		{"string for a bool", "entries:\n  - id: x\n    permanent: maybe\n", "want true or false, got a string (maybe)"},
		{"entries not a list", "entries: 3\n", "want a list of entries, got a number (3)"},
		{"heading not a mapping", "heading: Hello\n", "want a mapping of language (en, zh-CN) to text, got a string (Hello)"},
		{"list for who", "entries:\n  - id: x\n    who: [sender]\n", "want one of sender, sender-admin, recipient, recipient-admin or nobody, got a list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseFile("site.yaml", []byte(tt.yaml), true)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", err, tt.want)
			}
			if m := goTypeRE.FindString(err.Error()); m != "" {
				t.Errorf("error %q names a Go type (%q)", err, m)
			}
		})
	}
}
