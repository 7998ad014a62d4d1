package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// ezweb reads the returned-mail notices of au by KDDI's EZweb mobile mail
// (Postmaster@ezweb.ne.jp, later Postmaster@au.com). A Japanese paragraph
// comes first, then English lines in one of these layouts:
//
//	The user(s) account is disabled.
//	<user@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)
//
//	Each of the following recipients was rejected by a remote mail server.
//	    Recipient: <user@ezweb.ne.jp>
//	    >>> RCPT TO:<user@ezweb.ne.jp>
//	    <<< 550 <user@ezweb.ne.jp>: User unknown
//
//	Your message was not delivered within 0 days and 1 hours.
//	Remote host is not responding.
//	The following recipients did not receive this message:
//	<user@ezweb.ne.jp>
//
// Newer notices are multipart/report with a delivery-status part that says
// only 5.0.0; the English sentence then gives the reason, so the family is
// tried before the standard reader. A header "X-SPASIGN: NG" marks mail the
// recipient's spam filter refused.
type ezweb struct{}

func init() { dsn.Register(orderProviderReport, ezweb{}) }

func (ezweb) Name() string { return "ezweb" }

// ezwebReasons are EZweb's own sentences and the reason each states.
var ezwebReasons = []struct{ phrase, reason string }{
	{"the user(s) account is temporarily over quota", "mailboxfull"},
	{"the user(s) account is disabled", "suspend"},
	{"the user(s) account is temporarily limited", "suspend"},
	{"your message was not delivered within ", "expired"},
}

var (
	// ezwebRcptRe matches the recipient lines: "<a@b>", "<a@b>: reply",
	// "    Recipient: <a@b>".
	ezwebRcptRe = lazyre.New(`^(?:Recipient:\s*)?<([^<>\s]+@[^<>\s]+)>:?\s*(.*)$`)
	ezwebEndRe  = lazyre.New(`^-{20,}\s*$`)
)

func (ezweb) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if n, own := ezwebMarks(m); n < 2 || !own {
		return nil, false
	}
	notice, perRcpt, order := ezwebText(pvLines(m))
	var r *dsn.Report
	if len(m.Status) > 0 || len(pvStatusInText(m)) > 0 {
		r = pvStatusReport(m)
	} else if len(order) > 0 {
		r = &dsn.Report{}
		for _, a := range order {
			r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: a, Action: dsn.ActionFailed})
		}
	}
	if r == nil || len(r.Recipients) == 0 {
		return nil, false
	}
	filtered := strings.EqualFold(strings.TrimSpace(m.Header.Get("X-SPASIGN")), "NG")
	for i := range r.Recipients {
		ezwebFill(&r.Recipients[i], notice, perRcpt[strings.ToLower(r.Recipients[i].Recipient)], filtered)
	}
	pvDefaultStatuses(r)
	return r, true
}

// ezwebMarks counts EZweb's telltales: its postmaster as From, its
// subject, its Received and Message-Id host names. own reports whether one
// of them is the notice's own (From or Subject): ordinary mail from EZweb
// users carries the other two.
func ezwebMarks(m *dsn.Message) (n int, own bool) {
	if pvFromHas(m, "postmaster@ezweb.ne.jp", "postmaster@au.com") {
		n++
		own = true
	}
	if strings.EqualFold(m.Subject(), "Mail System Error - Returned Mail") {
		n++
		own = true
	}
	for _, rcv := range m.Header.Values("Received") {
		if strings.Contains(rcv, "(EZweb Mail) with") || strings.Contains(rcv, ".au.com (") {
			n++
			break
		}
	}
	mid := strings.ToLower(m.Header.Get("Message-Id"))
	if strings.HasSuffix(mid, ".ezweb.ne.jp>") || strings.HasSuffix(mid, ".au.com>") {
		n++
	}
	return n, own
}

// ezwebRcptText is what the notice says about one recipient.
type ezwebRcptText struct {
	command dsn.Command
	reply   []string
}

// ezwebText reads the English part of the notice: the sentences that are
// not about one recipient, and per recipient the reply and the command of
// the ">>>"/"<<<" transcript, in the order the recipients appear.
func ezwebText(lines []string) (string, map[string]*ezwebRcptText, []string) {
	var notice []string
	per := map[string]*ezwebRcptText{}
	var order []string
	var cur *ezwebRcptText
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case ezwebEndRe.MatchString(t):
			return strings.Join(notice, " "), per, order
		case t == "" || !pvASCII(t):
			continue
		}
		if sm := ezwebRcptRe.FindStringSubmatch(t); sm != nil {
			key := strings.ToLower(sm[1])
			if per[key] == nil {
				per[key] = &ezwebRcptText{}
				order = append(order, sm[1])
			}
			cur = per[key]
			if sm[2] != "" {
				cur.reply = append(cur.reply, sm[2])
			}
			continue
		}
		switch {
		case strings.HasPrefix(t, ">>>") && cur != nil:
			cur.command = dsn.FindCommand(t)
		case strings.HasPrefix(t, "<<<") && cur != nil:
			cur.reply = append(cur.reply, strings.TrimSpace(t[3:]))
		default:
			notice = append(notice, t)
		}
	}
	return strings.Join(notice, " "), per, order
}

// ezwebFill sets the diagnostic, command and (when EZweb's layout says
// it) the reason of one recipient.
func ezwebFill(rc *dsn.Recipient, notice string, rt *ezwebRcptText, filtered bool) {
	if rt != nil {
		if rt.command != "" && rc.Command == "" {
			rc.Command = string(rt.command)
		}
		if len(rt.reply) > 0 && dsn.FindReplyCode(rc.Diagnostic) == "" {
			rc.Diagnostic = strings.Join(rt.reply, " ")
		}
	}
	if rc.Diagnostic == "" {
		rc.Diagnostic = notice
	}
	if filtered {
		rc.Reason = "filtered"
		return
	}
	low := strings.ToLower(notice)
	for _, e := range ezwebReasons {
		if strings.Contains(low, e.phrase) {
			rc.Reason = e.reason
			return
		}
	}
}
