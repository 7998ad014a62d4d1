package catalog

// Selection: how one entry is chosen for a query. This is the one place
// that decides it; the package documentation summarises it.
//
// Every entry whose rules all match is a candidate. Candidates are then
// filtered, ranked by tier, and within a tier by specificity score,
// priority and file order.
//
// Filters (a candidate that fails one is dropped; see eligible):
//
//  1. Final is final: for a delivery that was given up (Query.Final) only
//     permanent entries count, for a delayed one (Query.Delayed) only
//     temporary ones. An entry with an empty match (the last resort) is
//     exempt.
//  2. One verdict: when the parser found a reason (anything but "" and
//     undefined), an entry must give that same reason, so that the words
//     and the reason in the header and the JSON agree. A wording entry may
//     refine "onhold" and a reason that came from the codes alone (see
//     refines). Site entries are exempt:
//     a site that writes a catch-all means it.
//  3. The right side: a failure at MAIL FROM is about the sender, so an
//     entry whose reason is about the recipient's mailbox or domain does
//     not count for it.
//
// Tiers, highest first (codeMatch.tier, prepared.reasonTier, outranks):
//
//  1. site entries (--catalog files), whatever their rules;
//  2. provider and server wording: entries with text or regexp rules;
//  3. the reason, when the status is vague (X.Y.0) or one that providers use
//     differently from RFC 3463 (ambiguousStatus);
//  4. a specific status (5.1.1);
//  5. the reason, for other statuses (so it beats the generic entries below);
//  6. the X.Y.0 entry of the same subject, or an X.Y.x pattern (5.7.515 is a
//     policy matter, explained by 5.7.0);
//  7. the reply code (550);
//  8. the class (5.x.x, 5xx) and the last resort.
//
// The reason counts for little (just above the class) when it is "onhold"
// (the parser could not tell) or when the query has no words besides its
// codes (`explain 556`): the reason then came from the codes alone, and the
// entry written for the code says it better.
//
// When the filters leave nothing, filter 2 and 3 are dropped, then filter 1,
// so that there is always an answer.

// Tiers of candidates, lowest first.
const (
	tierClass      = iota
	tierReasonWeak // the reason tier when the parser's reason is weak evidence
	tierReply
	tierSubject
	tierReason // the reason tier for specific, unambiguous statuses
	tierStatus
	tierReasonFirst // the reason tier for vague or ambiguous statuses
	tierWording
)

// candidate is an entry that matched, with its tier and score.
type candidate struct {
	e     *Entry
	tier  int
	score int
	order int // index in the catalog: the earlier entry wins a full tie
}

// weakReason says the parser found no reason at all: no text and no code
// that tells one.
func weakReason(r string) bool { return r == "" || r == "undefined" }

// recipientSide are reasons about the recipient's mailbox or domain; they
// never explain a refusal of the sender at MAIL FROM.
var recipientSide = map[string]bool{
	"userunknown": true, "hostunknown": true, "mailboxfull": true, "suspend": true,
	"hasmoved": true, "notaccept": true,
}

// refines reports whether a wording entry's reason may replace the
// parser's reason. That is so when the parser could not tell the cause
// ("onhold"), or when its reason is only the class of the code (x.7.x is
// "securityerror", x.6.x "contenterror", x.5.x "syntaxerror") and the text
// did not change it (fromCode): the words the entry was written for are then
// more precise. Any other reason the parser found is kept, and entries must
// agree with it: the parser's reasons follow conventions measured against
// the reference corpus (score-corpus), such as "filtered" for an unknown
// user refused after DATA and "expired" for a delay.
func refines(parser, entry string, fromCode bool) bool {
	if entry == "undefined" {
		return false
	}
	return parser == "onhold" || (fromCode && classReasons[parser]) || narrower[parser][entry]
}

// narrower lists, for a reason of the parser, the more precise reasons a
// provider's or server's own words may give the same refusal: a server
// "blocked" for its poor reputation (Gmail's unusual rate of unsolicited
// mail, Yahoo's complaint deferrals) is "badreputation"; a connection limit
// that is really a daily quota is "exceedlimit"; a policy refusal of a
// broken header is "contenterror". (Pairs that cost agreement with the
// reference corpus, such as toomanyconn to speeding, are left out.)
var narrower = map[string]map[string]bool{
	"blocked":         {"badreputation": true},
	"toomanyconn":     {"exceedlimit": true},
	"policyviolation": {"contenterror": true},
}

// classReasons are the reasons the parser gives from the class of a status
// code when nothing else tells.
var classReasons = map[string]bool{"securityerror": true, "contenterror": true, "syntaxerror": true}

// ambiguousStatus lists specific statuses that providers use differently
// from RFC 3463, so that the reason the parser found from the words says
// more than the code (Microsoft's 5.7.1 RESOLVER.RST.NotAuthorized is a
// group restriction, not relaying; Gmail's 5.4.5 is a sending quota;
// iCloud's 5.7.13 is the recipient's disabled account).
var ambiguousStatus = statusSet(
	"5.7.1", "4.7.1", "5.5.1", "5.7.13", "5.4.5", "5.7.3", "5.7.27", "5.7.9", "5.1.10", "5.4.1",
	"5.2.1", "5.4.4", "5.7.26", "5.7.25", "5.1.8", "4.2.1", "5.7.2", "5.7.4", "5.7.5",
)

// statusSet parses enhanced status codes into a set keyed as prepared
// holds them, so that a lookup needs no string.
func statusSet(codes ...string) map[[3]int]bool {
	set := make(map[[3]int]bool, len(codes))
	for _, c := range codes {
		p, ok := parseStatus(c, false)
		if !ok {
			panic("catalog: bad status in statusSet: " + c)
		}
		set[p.c] = true
	}
	return set
}

// filter says which of the eligibility rules apply.
type filter struct {
	permanence, reason, side bool
}

// relaxations are the filters tried in turn: all of them, then only
// final-is-final, then none.
var relaxations = []filter{{true, true, true}, {true, false, false}, {}}

// eligible applies the filters f to candidate c for prepared query p.
func eligible(c candidate, p *prepared, f filter) bool {
	e := c.e
	if f.permanence && !e.Match.Empty() {
		if (p.final && !e.Permanent) || (p.delayed && e.Permanent) {
			return false
		}
	}
	if f.reason && !e.Custom && !weakReason(p.reason) && e.Reason != p.reason {
		if c.tier != tierWording || !refines(p.reason, e.Reason, p.fromCode) {
			return false
		}
	}
	if f.side && p.command == "MAIL" && recipientSide[e.Reason] {
		return false
	}
	return true
}

// choose returns the best candidate under the filters, going through the
// relaxations described above.
func choose(cands []candidate, p *prepared) (candidate, bool) {
	for _, f := range relaxations {
		if best, ok := bestOf(cands, p, f); ok {
			return best, true
		}
	}
	return candidate{}, false
}

// bestOf picks the best eligible candidate: site entries first, then the
// higher tier, the higher score, the higher priority; on a full tie the
// earlier entry in the catalog.
func bestOf(cands []candidate, p *prepared, f filter) (candidate, bool) {
	var best candidate
	found := false
	for _, c := range cands {
		if !eligible(c, p, f) {
			continue
		}
		if !found || outranks(c, best) {
			best, found = c, true
		}
	}
	return best, found
}

func outranks(c, best candidate) bool {
	switch {
	case c.e.Custom != best.e.Custom:
		return c.e.Custom
	case c.tier != best.tier:
		return c.tier > best.tier
	case c.score != best.score:
		return c.score > best.score
	case c.e.Priority != best.e.Priority:
		return c.e.Priority > best.e.Priority
	}
	return c.order < best.order
}

// vagueStatus reports whether a status gives no detail (X.Y.0) or is one
// of ambiguousStatus, so that the parser's reason comes before it.
func vagueStatus(st [3]int, ok bool) bool {
	if !ok {
		return true
	}
	if st[2] == 0 {
		return true
	}
	return ambiguousStatus[st]
}
