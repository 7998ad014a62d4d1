package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
)

// mimecast reads the plain-text delivery failure alerts of Mimecast
// (X-MC-System / X-Mimecast-* header fields, Subject: [Postmaster] Email
// Delivery Failure). Each item is a "-- " line under a fixed heading:
//
//	An email that you attempted to send to the following address could
//	not be delivered:
//	-- user@example.org
//
//	The problem appears to be :
//	-- Recipient email address is possibly incorrect
//
//	Additional information follows :
//	-- 5.4.1 Recipient address rejected: Access denied. [...]
//
// The older notice says "This is a delivery failure notification message
// indicating that an email <sender> addressed to email address :" /
// "-- user@example.org", "could not be delivered. The problem appears to
// be :" and ends with "This condition occurred after N attempt(s)".
// Mimecast's RFC 3464 reports go to the standard reader.
type mimecast struct{}

func init() { dsn.Register(dsn.OrderText+20, mimecast{}) }

func (mimecast) Name() string { return "mimecast" }

// Mimecast's headings, lower case.
const (
	mcAddress    = "an email that you attempted to send to the following address"
	mcProblem    = "the problem appears to be"
	mcAdditional = "additional information follows"
	mcAddressOld = "addressed to email address"
	mcCondition  = "this condition occurred after"
)

func (mimecast) Parse(m *dsn.Message) (*dsn.Report, bool) {
	// Mimecast marks all mail it relays; the alert also comes from a mail
	// system (null sender, postmaster).
	if !pvBounceSignal(m) || (!m.Header.Has("X-MC-System") && !m.Header.Has("X-Mimecast-Originator")) {
		return nil, false
	}
	var addrs, problem, info []string
	var cur *[]string
	for _, l := range pvLines(m) {
		t := strings.TrimSpace(l)
		low := strings.ToLower(t)
		switch {
		case strings.HasPrefix(low, mcAddress), strings.HasSuffix(strings.TrimRight(low, " :"), mcAddressOld):
			cur = &addrs
		case strings.HasPrefix(low, mcCondition):
			cur = nil
		case strings.HasPrefix(low, mcProblem), strings.Contains(low, ". "+mcProblem):
			cur = &problem
		case strings.HasPrefix(low, mcAdditional):
			cur = &info
		case strings.HasPrefix(t, "-- ") && cur != nil:
			*cur = append(*cur, strings.TrimSpace(t[3:]))
		case t == "":
			cur = nil
		case cur != nil && len(*cur) > 0 && cur != &addrs:
			(*cur)[len(*cur)-1] += " " + t // a wrapped item
		}
	}
	var found []string
	for _, a := range addrs {
		if x := dsn.FindAddress(a); x != "" {
			found = append(found, x)
		}
	}
	if len(found) == 0 {
		return nil, false
	}
	diag := strings.Join(info, " ")
	if diag == "" {
		diag = strings.Join(problem, " ")
	}
	return &dsn.Report{Recipients: pvRecipients(found, diag, false)}, true
}
