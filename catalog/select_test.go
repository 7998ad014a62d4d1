package catalog

import "testing"

// TestSelect checks each rule of select.go on a small catalog.
func TestSelect(t *testing.T) {
	site := loadTestCatalog(t, "testdata/select.yaml")
	// As built-in entries: site entries are exempt from the reason filter.
	var entries []*Entry
	for _, e := range site.entries {
		b := *e
		b.Custom = false
		entries = append(entries, &b)
	}
	c := newCatalog(entries)
	tests := []struct {
		name   string
		q      Query
		id     string
		reason string // the verdict
	}{
		{"specific status agreeing with the reason beats the reason",
			Query{Status: "5.1.1", ReplyCode: "550", Text: "550 5.1.1 no such person", Reason: "userunknown", Final: true}, "s.status-511", "userunknown"},
		{"a status entry of another reason does not count",
			Query{Status: "5.1.1", Text: "550 5.1.1 over quota", Reason: "mailboxfull", Final: true}, "s.reason-mailboxfull", "mailboxfull"},
		{"ambiguous status: the reason comes first",
			Query{Status: "5.7.1", Text: "550 5.7.1 message content rejected", Reason: "spamdetected", Final: true}, "s.reason-spamdetected", "spamdetected"},
		{"vague status X.0.0 with a reason",
			Query{Status: "5.0.0", ReplyCode: "550", Text: "550 we could not deliver to this user", Reason: "userunknown", Final: true}, "s.reason-userunknown", "userunknown"},
		{"reason beats the bare reply code",
			Query{ReplyCode: "550", Text: "550 refused, see our policy", Reason: "securityerror", Final: true}, "s.reason-securityerror", "securityerror"},
		{"wording beats the reason and the status",
			Query{Status: "5.7.1", Text: "554 5.7.1 Message content rejected, UBE", Reason: "spamdetected", Final: true}, "s.text-ube", "spamdetected"},
		{"wording of another reason does not count",
			Query{Status: "5.7.1", Text: "554 5.7.1 blocked using spamhaus; UBE", Reason: "spamdetected", Final: true}, "s.text-ube", "spamdetected"},
		{"X.Y.0 of the subject for an unknown detail",
			Query{Status: "5.7.515", Text: "550 5.7.515 access denied", Final: true}, "s.status-570", "securityerror"},
		{"the reason beats the X.Y.0 of the subject",
			Query{Status: "5.7.515", Text: "550 5.7.515 access denied", Reason: "securityerror", Final: true}, "s.reason-securityerror", "securityerror"},
		{"final never gets temporary wording",
			Query{Status: "4.2.2", Text: "452 4.2.2 mailbox full", Reason: "mailboxfull", Final: true}, "s.text-full", "mailboxfull"},
		{"delay never gets final wording",
			Query{Status: "4.2.2", Text: "452 4.2.2 mailbox full", Reason: "mailboxfull", Delayed: true}, "s.text-full-delay", "mailboxfull"},
		{"delay with a final-only wording entry takes the delay reason entry",
			Query{Status: "4.2.2", Text: "452 4.2.2 over quota", Reason: "mailboxfull", Delayed: true}, "s.reason-mailboxfull-delay", "mailboxfull"},
		{"MAIL FROM: recipient-side wording does not count",
			Query{Status: "5.1.8", Text: "553 5.1.8 sender address rejected: domain not found", Reason: "rejected", Command: "MAIL", Final: true}, "s.reason-rejected", "rejected"},
		{"command rule",
			Query{Status: "5.7.1", Text: "554 5.7.1 listed at spamhaus", Reason: "blocked", Command: "MAIL", Final: true}, "s.text-spamhaus-mail", "blocked"},
		{"onhold is refined by wording",
			Query{Text: "mailbox full, sorry", Reason: "onhold", Final: true}, "s.text-full", "mailboxfull"},
		{"onhold: a status entry of another reason does not count",
			Query{Status: "5.1.2", Text: "something odd happened", Reason: "onhold", Final: true}, "s.reason-onhold", "onhold"},
		{"no reason: the entry's reason is the verdict",
			Query{Status: "5.1.2", Final: true}, "s.status-512", "hostunknown"},
		{"site entries are exempt from the reason filter",
			Query{Status: "5.1.1", Text: "550 5.1.1 over quota", Reason: "mailboxfull", Final: true}, "s.status-511", "mailboxfull"},
		{"relaxed when nothing agrees",
			Query{Status: "5.3.0", Text: "554 5.3.0 weird", Reason: "mailererror", Final: true}, "s.class5", "mailererror"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat := c
			if tt.name == "site entries are exempt from the reason filter" {
				cat = site
			}
			x := cat.Explain(tt.q, LangEN)
			if x.ID != tt.id || x.Reason != tt.reason {
				t.Errorf("got %s (%s), want %s (%s)", x.ID, x.Reason, tt.id, tt.reason)
			}
			if tt.q.Final && !x.Permanent || tt.q.Delayed && x.Permanent {
				t.Errorf("permanent %v for final %v / delayed %v", x.Permanent, tt.q.Final, tt.q.Delayed)
			}
		})
	}
}
