package entity

import (
	"mime"
	"strings"
)

// parseMediaType is mime.ParseMediaType (RFC 2045 §5.1, RFC 2231) with a
// fast path for the common shape of a Content-Type value, "type/subtype;
// name=value; name="value"", in ASCII: quoted values are cut out of v
// instead of copied byte by byte into a builder, and the map is sized for
// the parameters. Every other value (continuations, escapes, bad syntax)
// goes to mime.ParseMediaType; TestParseMediaType and FuzzParseMediaType
// compare the two.
func parseMediaType(v string) (string, map[string]string, error) {
	if mt, params, ok := simpleMediaType(v); ok {
		return mt, params, nil
	}
	return mime.ParseMediaType(v)
}

// simpleMediaType parses v as mime.ParseMediaType does when v is ASCII, its
// media type is token/token, and each parameter is a token name (without
// "*") and a token or a quoted string without backslash or line break,
// named once; ok is false otherwise.
func simpleMediaType(v string) (mt string, params map[string]string, ok bool) {
	if !IsASCII(v) {
		return "", nil, false
	}
	base, rest, _ := strings.Cut(v, ";")
	mt = strings.TrimSpace(strings.ToLower(base))
	typ, sub, slash := strings.Cut(mt, "/")
	if !slash || !isToken(typ) || !isToken(sub) {
		return "", nil, false
	}
	params = make(map[string]string, strings.Count(rest, "="))
	if len(base) == len(v) {
		return mt, params, true
	}
	rest = v[len(base):] // from the first ";"
	for {
		rest = trimSpaceLeft(rest)
		if rest == "" {
			return mt, params, true
		}
		if rest[0] != ';' {
			return "", nil, false
		}
		rest = trimSpaceLeft(rest[1:])
		if rest == "" {
			return mt, params, true // a trailing ";"
		}
		name, after := splitToken(rest)
		after = trimSpaceLeft(after)
		if name == "" || strings.IndexByte(name, '*') >= 0 || after == "" || after[0] != '=' {
			return "", nil, false
		}
		after = trimSpaceLeft(after[1:])
		var value string
		if value, rest, ok = simpleValue(after); !ok {
			return "", nil, false
		}
		name = strings.ToLower(name)
		if _, dup := params[name]; dup {
			return "", nil, false
		}
		params[name] = value
	}
}

// simpleValue splits a token or a quoted string without backslash or line
// break off the front of v.
func simpleValue(v string) (value, rest string, ok bool) {
	if v == "" {
		return "", "", false
	}
	if v[0] != '"' {
		value, rest = splitToken(v)
		return value, rest, value != ""
	}
	end := strings.IndexAny(v[1:], "\"\\\r\n")
	if end < 0 || v[1+end] != '"' {
		return "", "", false
	}
	return v[1 : 1+end], v[2+end:], true
}

// splitToken splits the RFC 2045 token at the start of v off.
func splitToken(v string) (token, rest string) {
	i := 0
	for i < len(v) && isTokenByte(v[i]) {
		i++
	}
	return v[:i], v[i:]
}

func isToken(s string) bool {
	t, rest := splitToken(s)
	return t != "" && rest == ""
}

// isTokenByte reports an RFC 2045 token character: printable ASCII but
// the tspecials.
func isTokenByte(c byte) bool {
	return c > ' ' && c < 0x7f && !strings.ContainsRune(`()<>@,;:\"/[]?=`, rune(c))
}

// trimSpaceLeft trims ASCII white space as unicode.IsSpace knows it.
func trimSpaceLeft(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\v' || s[0] == '\f' || s[0] == '\r') {
		s = s[1:]
	}
	return s
}
