package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/bouncenote/bouncenote/annotate"
	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/dsn"
)

func init() {
	register(command{
		name:    "explain",
		summary: "explain a reply code, status code or diagnostic line in plain words",
		run:     runExplain,
	})
}

const explainSynopsis = `usage: bouncenote explain [--lang en|zh-CN] [--json] [--host HOST] [--final] [--command CMD] [--reason R]
                          [--catalog FILE]... [REPLY] [STATUS] [TEXT...]`

const explainDetails = `Explains an SMTP reply code, an enhanced status code or a whole diagnostic
line in plain words. Options may come anywhere; after -- everything is text.
  e.g. bouncenote explain 550 5.7.1 We do not relay
       bouncenote explain "550-5.1.1 The email account that you tried to reach does not exist"
       bouncenote explain --lang zh-CN 4.4.7`

func runExplain(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	cl := newCmdLine("bouncenote explain", explainSynopsis, explainDetails)
	fs := cl.fs
	cf := addCatalogFlags(fs)
	asJSON := fs.Bool("json", false, "print the explanation as JSON")
	host := fs.String("host", "", "reporting or remote mail server `HOST`, to recognise a vendor")
	final := fs.Bool("final", false, "delivery was given up (the report says Action: failed): temporary codes are read as final")
	command := fs.String("command", "", "the SMTP `COMMAND` that was refused (MAIL, RCPT, DATA, ...)")
	reason := fs.String("reason", "", "the `REASON` name, instead of classifying the text")
	words, code, ok := cl.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(words) == 0 {
		return cl.usageError(stderr, "nothing to explain: give a reply code, a status code or a diagnostic line")
	}
	cat, ok := cf.load(stderr)
	if !ok {
		return 2
	}
	q := explainQuery(words)
	q.Host, q.Final = *host, *final
	q.Command, q.Reason = strings.ToUpper(*command), *reason
	// The same classifier as for a parsed bounce, so that a line gets the
	// words it would get in a bounce.
	q = annotate.Classified(catalog.FillCodes(q))
	x := cat.Explain(q, cf.lang)
	general := isGeneral(cat, x, *reason != "")
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(x); err != nil {
			fmt.Fprintln(stderr, "bouncenote explain: writing output:", err)
			return 1
		}
		return 0
	}
	writeExplanation(stdout, x, general, catalog.HasWords(strings.ToLower(q.Text)))
	return 0
}

// isGeneral reports whether x explains nothing specific: its entry only
// matches whole classes of codes or nothing (a fallback or the last
// resort), or, without --reason (byReason), the words gave no reason
// ("onhold": text that says nothing we know; "undefined").
func isGeneral(cat *catalog.Catalog, x catalog.Explanation, byReason bool) bool {
	if e := cat.ByID(x.ID); e == nil || e.Fallback() {
		return true
	}
	return !byReason && (x.Reason == dsn.ReasonOnHold || x.Reason == dsn.ReasonUndefined)
}

// explainQuery builds a query from any mix of a reply code, an enhanced
// status code and text, or a whole line. Leading arguments that are codes
// are used in any order; codes found in the text fill in what is missing.
func explainQuery(args []string) catalog.Query {
	var q catalog.Query
	for _, a := range args {
		a = strings.TrimSpace(a)
		switch {
		case q.ReplyCode == "" && catalog.IsReplyCode(a):
			q.ReplyCode = a
		case q.Status == "" && catalog.IsStatusCode(a):
			q.Status = a
		default:
			return fillFromLine(q, strings.Join(args, " "))
		}
	}
	return fillFromLine(q, strings.Join(args, " "))
}

func fillFromLine(q catalog.Query, line string) catalog.Query {
	p := catalog.ParseLine(line)
	if q.ReplyCode == "" {
		q.ReplyCode = p.ReplyCode
	}
	if q.Status == "" {
		q.Status = p.Status
	}
	q.Text = p.Text
	return q
}

// labels are the headings of the text output, per language.
type labels struct {
	remedy, who, reason, entry, admin, link, permanent, temporary string
	noWords, noCode                                               string // a general explanation
	colon, open, close                                            string // the language's punctuation
	whos                                                          map[catalog.Who]string
}

var outputLabels = map[string]labels{
	catalog.LangEN: {
		remedy: "What to do", who: "Who must act", reason: "Reason", entry: "Entry",
		admin: "Admin note", link: "More", permanent: "permanent failure", temporary: "temporary, may clear up",
		noWords: "No entry matches these words; this is the general explanation.",
		noCode:  "No entry is written for this code; this is the general explanation of its class.",
		colon:   ": ", open: " (", close: ")",
		whos: map[catalog.Who]string{
			catalog.WhoSender:         "the sender (you)",
			catalog.WhoSenderAdmin:    "the sender's mail administrator",
			catalog.WhoRecipient:      "the recipient",
			catalog.WhoRecipientAdmin: "the recipient's mail administrator",
			catalog.WhoNobody:         "nobody for now (delivery is retried automatically)",
		},
	},
	catalog.LangZHCN: {
		remedy: "怎么办", who: "需要谁处理", reason: "原因分类", entry: "条目",
		admin: "邮件管理员备注", link: "参考", permanent: "永久性失败", temporary: "暂时性问题，可能自行恢复",
		noWords: "没有与这些文字相符的条目；以下是一般性的说明。",
		noCode:  "没有专为这个代码编写的条目；以下是这一类代码的一般性说明。",
		colon:   "：", open: "（", close: "）",
		whos: map[catalog.Who]string{
			catalog.WhoSender:         "发件人（您）",
			catalog.WhoSenderAdmin:    "发件方的邮件管理员",
			catalog.WhoRecipient:      "收件人",
			catalog.WhoRecipientAdmin: "收件方的邮件管理员",
			catalog.WhoNobody:         "暂时无需任何人处理（系统会自动重试）",
		},
	},
}

// writeExplanation prints x as text: title, explanation, remedy, then who
// must act, reason, entry id and the admin note. A general explanation
// (nothing specific matched the words, or the code) starts with a line
// that says so.
func writeExplanation(w io.Writer, x catalog.Explanation, general, words bool) {
	l := outputLabels[x.Lang]
	if l.whos == nil {
		l = outputLabels[catalog.LangEN]
	}
	kind := l.temporary
	if x.Permanent {
		kind = l.permanent
	}
	c := l.colon
	switch {
	case general && words:
		fmt.Fprintf(w, "%s\n\n", l.noWords)
	case general:
		fmt.Fprintf(w, "%s\n\n", l.noCode)
	}
	fmt.Fprintf(w, "%s\n\n%s\n\n%s%s%s\n\n", x.Title, x.Explanation, l.remedy, c, x.Remedy)
	fmt.Fprintf(w, "%s%s%s\n", l.who, c, l.whos[x.Who])
	fmt.Fprintf(w, "%s%s%s%s%s%s\n", l.reason, c, x.Reason, l.open, kind, l.close)
	fmt.Fprintf(w, "%s%s%s\n", l.entry, c, x.ID)
	if x.AdminNote != "" {
		fmt.Fprintf(w, "%s%s%s\n", l.admin, c, x.AdminNote)
	}
	if x.Link != "" {
		fmt.Fprintf(w, "%s%s%s\n", l.link, c, x.Link)
	}
}

// explainedRecipient is a recipient of a report with its explanation, for
// `inspect --json`: the recipient's fields plus "explanation" (the shape of
// `explain --json`), present for failed and delayed recipients.
type explainedRecipient struct {
	dsn.Recipient
	Explanation *catalog.Explanation `json:"explanation,omitempty"`
}

// explainRecipients explains every failed or delayed recipient of r, and
// gives each the verdict's reason (annotate.Explain). The result is never
// nil, so that JSON shows an empty list.
func explainRecipients(r *dsn.Report, cat *catalog.Catalog, lang string) []explainedRecipient {
	out := make([]explainedRecipient, 0, len(r.Recipients))
	for _, rc := range r.Recipients {
		er := explainedRecipient{Recipient: rc}
		if annotate.NeedsExplanation(r, rc) {
			x := annotate.Explain(r, rc, cat, lang)
			er.Explanation = &x
			er.Reason = x.Reason
		}
		out = append(out, er)
	}
	return out
}
