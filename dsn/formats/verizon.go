package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
)

// verizon reads the non-delivery notices of Verizon Wireless's message
// gateways: the MMS centre (From: MMSC NDR Administrator
// <sysadmin@...vzwpix.com>) and the SMS gateway (From: post_master@vtext.com),
// both relayed through *.vtext.com:
//
//	Message could not be delivered to mobile.
//	Error: No valid recipients for this MM
//
//	Original Message:
//	From: sender <sender@example.jp>
//	To: 0000000000@vzwpix.com
//
// and
//
//	Error: 550 - Requested action not taken: no such user here
//	Message details:
//	  MAIL FROM: sender@example.jp
//	  RCPT TO: 0000000000@vtext.com
type verizon struct{}

func init() { dsn.Register(dsn.OrderText+20, verizon{}) }

func (verizon) Name() string { return "verizon" }

// verizonUnknown are the gateways' sentences for a number that does not
// exist.
var verizonUnknown = []string{"no valid recipients for this mm", "requested action not taken: no such user here"}

func (verizon) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !verizonMarked(m) {
		return nil, false
	}
	lines := pvLines(m)
	var diag string
	var addrs []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		low := strings.ToLower(t)
		switch {
		case strings.HasPrefix(low, "error:") && diag == "":
			diag = strings.TrimSpace(t[len("error:"):])
		case strings.HasPrefix(low, "rcpt to:"):
			addrs = append(addrs, dsn.FindAddress(t[len("rcpt to:"):]))
		case strings.HasPrefix(low, "to:") && strings.HasPrefix(l, "To:") && diag != "":
			addrs = append(addrs, dsn.FindAddresses(t[len("to:"):])...)
		}
	}
	addrs = pvNonEmpty(addrs)
	if diag == "" || len(addrs) == 0 {
		return nil, false
	}
	r := &dsn.Report{Recipients: pvRecipients(addrs, diag, false)}
	low := strings.ToLower(diag)
	for i := range r.Recipients {
		for _, p := range verizonUnknown {
			if strings.Contains(low, p) {
				r.Recipients[i].Reason = "userunknown"
			}
		}
	}
	pvDefaultStatuses(r)
	return r, true
}

// verizonMarked reports whether the notice comes from a Verizon gateway:
// relayed through vtext.com and sent by its MMS or SMS postmaster.
func verizonMarked(m *dsn.Message) bool {
	relayed := false
	for _, rcv := range m.Header.Values("Received") {
		if strings.Contains(strings.ToLower(rcv), ".vtext.com (") {
			relayed = true
			break
		}
	}
	return relayed && (pvFromHas(m, "post_master@vtext.com") || (pvFromHas(m, "sysadmin@") && pvFromHas(m, "vzwpix.com")))
}
