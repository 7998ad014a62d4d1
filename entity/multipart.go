package entity

import "bytes"

// splitMultipart returns the spans of the body parts of the multipart body
// src[start:end] (RFC 2046 §5.1.1), each without the line ending before its
// delimiter, and the spans of the delimiter lines; nil when no part is
// found. QUIRK: real bounces have missing boundary parameters, missing
// close delimiters and white space after delimiters; all are tolerated.
// When the boundary parameter is absent or never appears, the first line
// that looks like a delimiter ("--" and a token) is taken as the boundary
// (sample rhost-google-02, TestQuirkGuessedBoundary).
// It stops after max parts.
func splitMultipart(src []byte, start, end int, boundary string, max int) (parts, delims []Span) {
	body := src[start:end]
	if boundary == "" || !bytes.Contains(body, []byte("--"+boundary)) {
		boundary = guessBoundary(src, start, end)
		if boundary == "" {
			return nil, nil
		}
	}
	delim := []byte("--" + boundary)
	ps := -1 // start of the current part's body, -1 in the preamble
	for pos := start; pos < end; {
		line, next := LineAt(src, pos, end)
		if isDelimiter(line, delim) {
			delims = append(delims, Span{pos, next})
			if ps >= 0 {
				parts = append(parts, Span{ps, trimLastNewline(src, ps, pos)})
				if len(parts) >= max {
					return parts, delims
				}
			}
			rest := bytes.TrimRight(line[len(delim):], " \t")
			if bytes.HasPrefix(rest, []byte("--")) {
				if parts == nil {
					return nil, nil
				}
				return parts, delims
			}
			ps = next
		}
		pos = next
	}
	if ps >= 0 && ps < end {
		parts = append(parts, Span{ps, end}) // QUIRK: no close delimiter (truncated bounce; sample lhost-activehunter-01, TestQuirkNoCloseDelimiter)
	}
	if parts == nil {
		return nil, nil
	}
	return parts, delims
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

// trimLastNewline returns the end of src[start:end] without its final line
// ending (LF or CRLF).
func trimLastNewline(src []byte, start, end int) int {
	if end > start && src[end-1] == '\n' {
		end--
		if end > start && src[end-1] == '\r' {
			end--
		}
	}
	return end
}

// guessBoundary returns the boundary of the first line of src[start:end]
// shaped like a delimiter ("--" then a token of 1..70 characters without
// spaces) that occurs at least twice, or "". Only the first maxGuesses
// candidates are tried, so that the search stays linear.
func guessBoundary(src []byte, start, end int) string {
	const maxGuesses = 8
	body := src[start:end]
	tries := 0
	for pos := start; pos < end && tries < maxGuesses; {
		line, next := LineAt(src, pos, end)
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
