package catalog

import "strings"

// CleanReply returns a server reply as one readable line: the codes of a
// multi-line reply (RFC 5321 §4.2.1: "550-5.7.26 first line", "550-5.7.26
// next", "550 5.7.26 last") are kept once, at the start, and removed from
// every continuation line, and runs of white space become one space. Text
// without such prefixes is returned with its white space folded.
//
// QUIRK: Gmail splits its replies into many short lines, each with the
// code, and MTAs unfold them into one diagnostic: "550-5.1.1 The email
// account that you tried to reach does not exist. Please try 550-5.1.1
// double-checking ... 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser".
func CleanReply(s string) string {
	if cleanAlready(s) {
		return s // most replies: no copy
	}
	return cleanWords(s)
}

// cleanWords is CleanReply, building the result word by word.
func cleanWords(s string) string {
	words := strings.Fields(s)
	out := make([]string, 0, len(words))
	lead := "" // the reply code of the reply's first line, once known
	for i := 0; i < len(words); i++ {
		w := words[i]
		code, cont := replyPrefix(w)
		next := i+1 < len(words) && IsStatusCode(words[i+1])
		switch {
		case code == "":
			out = append(out, w)
		case lead == "" && !cont:
			// "550 5.1.1 ..." on one line: keep it as it is.
			out = append(out, w)
			if next {
				lead = code
			}
		case lead == "":
			// The first line of a multi-line reply: its codes, once.
			lead = code
			out = append(out, code)
			if st := w[replyCodeLen+1:]; st != "" {
				out = append(out, st)
			} else if next {
				out = append(out, words[i+1])
				i++
			}
		case cont:
			// A continuation line's prefix ("550-5.7.26" or "550-" "5.7.26"),
			// whatever its code: dropped with its status.
			if len(w) == replyCodeLen+1 && next {
				i++
			}
		case next && code == lead:
			i++ // the last line's "550 5.7.26"
		default:
			out = append(out, w) // another code, or a number ("550 bytes")
		}
	}
	return strings.Join(out, " ")
}

// replyPrefix returns the reply code of a word that begins a reply line:
// "550-" or "550-5.7.26" (cont true), or a bare "550" (cont false).
func replyPrefix(w string) (code string, cont bool) {
	if len(w) < replyCodeLen || !IsReplyCode(w[:replyCodeLen]) {
		return "", false
	}
	switch {
	case len(w) == replyCodeLen:
		return w, false
	case w[replyCodeLen] != '-':
		return "", false
	case len(w) == replyCodeLen+1 || IsStatusCode(w[replyCodeLen+1:]):
		return w[:replyCodeLen], true
	}
	return "", false
}

// cleanAlready reports whether CleanReply(s) is s itself: ASCII words
// separated by single spaces, none of which cleanWords drops or changes
// (it keeps a word with no reply prefix, the first reply code and any
// code after it but the same code followed by a status).
func cleanAlready(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || (c <= ' ' && (c != ' ' || i == 0 || i == len(s)-1 || s[i-1] == ' ')) {
			return false // other white space, or runs of it, may be folded
		}
	}
	lead := ""
	w, rest, _ := strings.Cut(s, " ")
	for w != "" {
		nw, nrest, _ := strings.Cut(rest, " ")
		code, cont := replyPrefix(w)
		next := nw != "" && IsStatusCode(nw)
		switch {
		case code == "":
		case cont:
			return false // a continuation line's prefix
		case lead == "":
			if next {
				lead = code
			}
		case next && code == lead:
			return false // the last line's repeated code and status
		}
		w, rest = nw, nrest
	}
	return true
}
