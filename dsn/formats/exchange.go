package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// exchange reads the text part of the non-delivery reports of Microsoft
// Exchange 2007 and later and of Exchange Online (Office 365, Outlook.com):
//
//	Delivery has failed to these recipients or groups:
//
//	user@example.com<mailto:user@example.com>
//	The email address wasn't found at the destination domain. ...
//
//	Diagnostic information for administrators:
//
//	Generating server: EXAMPLE.prod.outlook.com
//
//	user@example.com
//	Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; ...'
//
//	Original message headers:
//
// Older servers write the reply as "#550 5.1.1 RESOLVER.ADR.RecipNotFound;
// not found ##"; retried deliveries list one dated line per attempt, "<date>
// - Remote Server at mx (ip) returned '...'", newest first. Reports without
// a delivery-status part are read from this text; with one, the text fills
// a missing diagnostic. QUIRK: when Exchange finally gives up it lists its
// own "4.4.7 QUEUE.Expired" first; an earlier attempt's reply from the
// remote server says what went wrong and wins.
type exchange struct{}

func init() { dsn.Register(orderProviderReport, exchange{}) }

func (exchange) Name() string { return "exchange" }

const (
	exchHeading  = "delivery has failed to these recipients or "
	exchAdmin    = "diagnostic information for administrators:"
	exchOriginal = "original message headers:"
	exchExpired  = "queue.expired"
)

var (
	exchReplyRe  = lazyre.New(`(?i)Remote Server (?:at \S+(?: \([^)]*\))? )?\s*returned '(.+?)'?\s*$`)
	exchHashRe   = lazyre.New(`^#([245]\d\d .*?)\s*##`)
	exchAddrRe   = lazyre.New(`^<?([^\s<>@]+@[^\s<>@]+?)>?(?:<mailto:[^>]*>)?$`)
	exchServerRe = lazyre.New(`(?i)^(?:generating|receiving) server:\s*(\S+)`)
)

// exchText is what the text part says about one recipient.
type exchText struct {
	replies []string // remote replies in the order listed
	notice  []string // the sentence under the address in the user section
	remote  string   // receiving server
}

func (exchange) Parse(m *dsn.Message) (*dsn.Report, bool) {
	lines := pvLinesWith(m, exchHeading, exchAdmin)
	if pvIndex(lines, 0, exchHeading, exchAdmin) < 0 || !exchMarked(m) {
		return nil, false
	}
	per, order := exchRead(lines)
	if len(m.Status) > 0 || len(pvStatusInText(m)) > 0 {
		r := pvStatusReport(m)
		if r == nil || !exchRefine(r, per) {
			return nil, false // nothing to add: the standard reader does the rest
		}
		return r, true
	}
	r := &dsn.Report{}
	for _, a := range order {
		rc := dsn.Recipient{Recipient: a, Action: dsn.ActionFailed}
		exchFill(&rc, per[strings.ToLower(a)], true)
		r.Recipients = append(r.Recipients, rc)
	}
	return r, len(r.Recipients) > 0
}

// exchMarked reports whether the message is an Exchange NDR: marked so by
// Exchange, or sent by a mail system (X-MS-Exchange-* fields alone are on
// all mail Exchange Online relays).
func exchMarked(m *dsn.Message) bool {
	return m.Header.Has("X-MS-Exchange-Message-Is-Ndr") || pvBounceSignal(m)
}

// exchRead collects, per recipient (lower-case address), the replies of
// the administrators' section and the notice of the user section, and the
// recipients in order of first appearance.
func exchRead(lines []string) (map[string]*exchText, []string) {
	per := map[string]*exchText{}
	var order []string
	var cur *exchText
	admin, remote := false, ""
	for _, l := range lines {
		t := strings.TrimSpace(l)
		low := strings.ToLower(t)
		switch {
		case strings.HasPrefix(low, exchOriginal):
			return per, order
		case strings.HasPrefix(low, exchAdmin):
			admin, cur = true, nil
			continue
		case t == "":
			continue
		}
		if sm := exchServerRe.FindStringSubmatch(t); sm != nil {
			remote = sm[1]
			continue
		}
		if sm := exchAddrRe.FindStringSubmatch(t); sm != nil {
			key := strings.ToLower(sm[1])
			if per[key] == nil {
				per[key] = &exchText{}
				order = append(order, sm[1])
			}
			cur = per[key]
			continue
		}
		if cur == nil {
			continue
		}
		switch sm, hm := exchReplyRe.FindStringSubmatch(t), exchHashRe.FindStringSubmatch(t); {
		case sm != nil:
			cur.replies, cur.remote = append(cur.replies, sm[1]), remote
		case hm != nil:
			cur.replies, cur.remote = append(cur.replies, hm[1]), remote
		case !admin:
			cur.notice = append(cur.notice, t)
		}
	}
	return per, order
}

// exchReply picks the reply that says what went wrong: the first one, or
// the first remote reply after Exchange's own QUEUE.Expired.
func exchReply(replies []string) string {
	if len(replies) == 0 {
		return ""
	}
	if strings.Contains(strings.ToLower(replies[0]), exchExpired) {
		for _, r := range replies[1:] {
			if !strings.Contains(strings.ToLower(r), exchExpired) {
				return r
			}
		}
	}
	return replies[0]
}

// exchFill sets rc's diagnostic from the text: the chosen reply (with its
// codes when codes is set), else the notice.
func exchFill(rc *dsn.Recipient, t *exchText, codes bool) {
	if t == nil {
		return
	}
	if reply := exchReply(t.replies); reply != "" {
		rc.Diagnostic, rc.DiagnosticType = reply, "smtp"
		if codes {
			rc.Status, rc.ReplyCode = dsn.FindStatus(reply), dsn.FindReplyCode(reply)
		}
		if rc.RemoteMTA == "" {
			rc.RemoteMTA = t.remote
		}
		return
	}
	rc.Diagnostic = strings.Join(t.notice, " ")
}

// exchRefine applies the text to a report's recipients: a missing
// diagnostic is filled, Exchange's own QUEUE.Expired yields to the remote
// reply of an earlier attempt. It reports whether anything changed.
func exchRefine(r *dsn.Report, per map[string]*exchText) bool {
	changed := false
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		t := per[strings.ToLower(rc.Recipient)]
		if t == nil {
			continue
		}
		reply := exchReply(t.replies)
		switch {
		case rc.Diagnostic == "" && (reply != "" || len(t.notice) > 0):
			exchFill(rc, t, false)
			changed = true
		case strings.Contains(strings.ToLower(rc.Diagnostic), exchExpired) && reply != "" &&
			!strings.Contains(strings.ToLower(reply), exchExpired):
			exchFill(rc, t, true)
			changed = true
		}
	}
	return changed
}
