package catalog

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// go-yaml reports problems in terms of Go types ("field stauts not found in
// type catalog.Match", "cannot unmarshal !!str `high` into int"). A catalog
// author knows the file format, not our types: plainYAMLCause rewrites those
// messages in the format's words.

// yamlPlace describes one Go type of the file format: where in a file it
// stands, what kind of value it is and, for mappings, its fields.
type yamlPlace struct {
	where  string       // "in match"
	kind   string       // "a mapping of match rules"
	fields reflect.Type // struct whose yaml tags are the allowed keys, or nil
}

var yamlPlaces = map[string]yamlPlace{
	"catalog.fileDoc":   {"at the top level", "a mapping with heading and entries", reflect.TypeFor[fileDoc]()},
	"*catalog.Entry":    {"in an entry", "an entry (a mapping)", reflect.TypeFor[Entry]()},
	"catalog.Entry":     {"in an entry", "an entry (a mapping)", reflect.TypeFor[Entry]()},
	"catalog.Match":     {"in match", "a mapping of match rules", reflect.TypeFor[Match]()},
	"catalog.Text":      {"in a language's text (en, zh-CN)", "a mapping of title, explanation, remedy, admin_note and link", reflect.TypeFor[Text]()},
	"catalog.Who":       {"", "one of sender, sender-admin, recipient, recipient-admin or nobody", nil},
	"[]*catalog.Entry":  {"", "a list of entries", nil},
	"[]string":          {"", "a list of strings", nil},
	"map[string]string": {"", "a mapping of language (en, zh-CN) to text", nil},
	"string":            {"", "a string", nil},
	"int":               {"", "a whole number", nil},
	"bool":              {"", "true or false", nil},
}

// yamlTags names what a YAML node tag holds.
var yamlTags = map[string]string{
	"!!str": "a string", "!!seq": "a list", "!!map": "a mapping", "!!int": "a number",
	"!!float": "a number", "!!bool": "true or false", "!!null": "nothing", "!!timestamp": "a date",
	"!!binary": "binary data",
}

// The go-yaml messages plainYAMLCause rewrites, compiled on first use: only
// a broken site file needs them.
var (
	yamlUnknownFieldRE = lazyre.New(`^field (.+) not found in type (\S+)$`)
	yamlFieldTwiceRE   = lazyre.New(`^field (.+) already set in type (\S+)$`)
	yamlWrongTypeRE    = lazyre.New("^cannot unmarshal (!!\\w+)(?: `(.*)`)? into (\\S+)$")
)

// plainYAMLCause rewrites one go-yaml message (without its "line N: ") so
// that it names no Go type; messages it does not know lose the package name.
func plainYAMLCause(msg string) string {
	if m := yamlUnknownFieldRE.FindStringSubmatch(msg); m != nil {
		if p, ok := yamlPlaces[m[2]]; ok && p.fields != nil {
			return fmt.Sprintf("unknown field %q %s (known fields: %s)", m[1], p.where, strings.Join(yamlFields(p.fields), ", "))
		}
	}
	if m := yamlFieldTwiceRE.FindStringSubmatch(msg); m != nil {
		if p, ok := yamlPlaces[m[2]]; ok {
			return fmt.Sprintf("field %q given twice %s", m[1], p.where)
		}
	}
	if m := yamlWrongTypeRE.FindStringSubmatch(msg); m != nil {
		p, ok := yamlPlaces[m[3]]
		got, known := yamlTags[m[1]]
		if ok && known {
			if m[2] != "" {
				got += " (" + m[2] + ")"
			}
			return fmt.Sprintf("wrong kind of value: want %s, got %s", p.kind, got)
		}
	}
	return strings.ReplaceAll(msg, "catalog.", "")
}

// yamlFields lists the YAML keys of a struct, in declaration order.
func yamlFields(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out = append(out, name)
	}
	return out
}
