// Package catalog holds plain-language explanations of SMTP replies and
// enhanced status codes (RFC 5321, RFC 3463, RFC 7504) and finds the one that fits.
//
// Entries live in human-editable YAML files: the built-in ones in
// catalog/data/*.yaml (compiled into Go at build time by go generate, see
// builtin.go), site ones given to Load. Each entry has
// match rules, a reason, who must act, and texts in English ("en") and
// Simplified Chinese ("zh-CN"):
//
//	entries:
//	  - id: site.relay-denied          # unique, lowercase <source>.<slug>
//	    match:                         # all kinds given must match, any value within a kind
//	      reply: ["550"]               # reply codes; class "5xx" allowed
//	      status: ["5.7.1"]            # enhanced codes; "5.7.x", "5.x.x" allowed
//	      text: ["we do not relay"]    # case-insensitive substrings of the diagnostic
//	      regexp: ['relay(ing)? denied'] # RE2, case-insensitive
//	      host: ["mx.example.org"]     # substrings of the reporting or remote host
//	      reason: [norelaying]         # the reason the parser found
//	      command: [RCPT]              # the SMTP command that was refused
//	    priority: 0                    # optional, breaks ties, higher wins
//	    reason: norelaying             # one of Reasons
//	    permanent: true                # required
//	    who: sender                    # sender, sender-admin, recipient, recipient-admin, nobody
//	    en:    {title: ..., explanation: ..., remedy: ..., admin_note: ..., link: ...}
//	    zh-CN: {title: ..., explanation: ..., remedy: ..., admin_note: ..., link: ...}
//
// Unknown fields, a missing language or text, an unknown reason, a bad code
// or regexp, and a duplicate id are errors naming file:line (ErrInvalid).
// Title, explanation and remedy are written for people who have never heard
// of SMTP, without codes; codes go in admin_note.
//
// # Matching
//
// All kinds of rule an entry gives (reply, status, text, regexp, host,
// reason, command) must match; within a kind any one value is enough. The
// matching entries are then filtered and ranked in tiers (wording, reason,
// status, X.Y.0 subject, reply, class), as select.go documents in one
// place. Within a tier the most specific wins. Specificity is the sum of:
//
//	text or regexp matched                  +1000
//	enhanced status exact (5.7.1)            +300
//	enhanced status with one x (5.7.x)       +200
//	the X.Y.0 entry for X.Y.Z                +199
//	enhanced status with two x (5.x.x)        +10
//	reply code exact (550)                   +100
//	reply code class (5xx)                     +5
//	failed command matched                   +150
//	host matched                              +50
//
// An entry with an empty match scores 0: it is the last resort.
//
// Site entries take precedence: any matching entry of a custom catalog wins
// over every built-in entry, and the scores above choose among the custom
// entries (so a site catch-all with an empty match replaces every built-in
// explanation). Ties are broken, in this order, by the higher priority
// field, then custom files in the order given (a directory's files by
// name), then the earlier built-in file (sorted by name), then the earlier
// entry in the file. Map order never plays a part.
//
// Before matching, codes missing from a query are taken from its text
// (FillCodes, ParseLine), a final report's temporary codes are read as
// permanent (Finalize), and the codes of multi-line replies are removed
// from the text (CleanReply).
//
// A site file may also set the heading of the explanation block:
//
//	heading: {en: "A note from the helpdesk", zh-CN: "技术支持的说明"}
package catalog
