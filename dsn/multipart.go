package dsn

import "bytes"

// splitMultipart returns the bodies of the parts of a multipart body
// (RFC 2046 §5.1.1), each without the line break before its delimiter, or
// nil when no delimiter line is found. QUIRK: real bounces have missing
// boundary parameters, missing close delimiters and white space after
// delimiters; all are tolerated. When the boundary parameter is absent or
// never appears, the first line that looks like a delimiter ("--" and a
// token) is taken as the boundary.
func splitMultipart(body []byte, boundary string) [][]byte {
	if boundary == "" || !bytes.Contains(body, []byte("--"+boundary)) {
		boundary = guessBoundary(body)
		if boundary == "" {
			return nil
		}
	}
	delim := []byte("--" + boundary)
	var parts [][]byte
	start := -1 // start of the current part's body, -1 in the preamble
	pos := 0
	for pos <= len(body) {
		line, next := lineAt(body, pos)
		if isDelimiter(line, delim) {
			if start >= 0 {
				parts = append(parts, trimLastNewline(body[start:pos]))
			}
			rest := bytes.TrimRight(line[len(delim):], " \t")
			if bytes.HasPrefix(rest, []byte("--")) {
				return parts
			}
			start = next
		}
		if next >= len(body) {
			break
		}
		pos = next
	}
	if start < 0 {
		return nil
	}
	if start < len(body) {
		parts = append(parts, body[start:]) // QUIRK: no close delimiter
	}
	return parts
}

// lineAt returns the line starting at pos (without LF) and the offset of
// the next line.
func lineAt(b []byte, pos int) ([]byte, int) {
	if pos >= len(b) {
		return nil, len(b)
	}
	i := bytes.IndexByte(b[pos:], '\n')
	if i < 0 {
		return b[pos:], len(b)
	}
	return b[pos : pos+i], pos + i + 1
}

// isDelimiter reports whether line is a dash-boundary line for delim,
// optionally followed by "--" and white space.
func isDelimiter(line, delim []byte) bool {
	if !bytes.HasPrefix(line, delim) {
		return false
	}
	rest := bytes.TrimRight(line[len(delim):], " \t")
	return len(rest) == 0 || bytes.Equal(rest, []byte("--"))
}

func trimLastNewline(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		return b[:n-1]
	}
	return b
}

// guessBoundary returns the boundary of the first line shaped like a
// delimiter ("--" then a token of 1..70 characters without spaces) that
// occurs at least twice, or "". Only the first maxGuesses candidates are
// tried, so that the search stays linear.
func guessBoundary(body []byte) string {
	const maxGuesses = 8
	pos, tries := 0, 0
	for pos < len(body) && tries < maxGuesses {
		line, next := lineAt(body, pos)
		pos = next
		t := bytes.TrimRight(line, " \t")
		if len(t) < 3 || len(t) > 72 || !bytes.HasPrefix(t, []byte("--")) || bytes.ContainsAny(t, " \t") {
			continue
		}
		b := bytes.TrimSuffix(t[2:], []byte("--"))
		if len(bytes.Trim(b, "-")) == 0 {
			continue
		}
		tries++
		n := bytes.Count(body, append([]byte("\n--"), b...))
		if bytes.HasPrefix(body, t) {
			n++
		}
		if n >= 2 {
			return string(b)
		}
	}
	return ""
}
