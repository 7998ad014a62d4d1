package annotate

import (
	"strings"

	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/dsn"
)

// Query is the catalog query for one recipient of r: everything the parser
// found (codes, the diagnostic, the failed command, the reason, whether
// delivery was given up or is still tried) and the hosts that name a
// provider (remote MTA, reporting MTA, the recipient's domain). The
// annotated block, its header fields and `inspect` all use it, so that they
// give one verdict.
func Query(r *dsn.Report, rc dsn.Recipient) catalog.Query {
	return catalog.Query{
		ReasonFromCode: dsn.FromCodes(dsn.RecipientFacts(&rc, r.ReportingMTA), rc.Reason),
		ReplyCode:      rc.ReplyCode,
		Status:         rc.Status,
		Text:           rc.Diagnostic,
		Host:           queryHosts(r, rc),
		Reason:         rc.Reason,
		Command:        rc.Command,
		Final:          Final(r, rc),
		Delayed:        Delayed(r, rc),
	}
}

// Explain returns the explanation of one failed or delayed recipient. Its
// Reason is the verdict: the same reason goes in X-Bounce-Reason and in
// `inspect --json`.
func Explain(r *dsn.Report, rc dsn.Recipient, cat *catalog.Catalog, lang string) catalog.Explanation {
	return cat.Explain(Query(r, rc), lang)
}

// Delayed reports whether delivery to rc is still being tried.
func Delayed(r *dsn.Report, rc dsn.Recipient) bool {
	return rc.Action == dsn.ActionDelayed || (rc.Action == "" && r.Kind == dsn.KindDelay)
}

// Final reports whether delivery to rc was given up.
func Final(r *dsn.Report, rc dsn.Recipient) bool {
	return rc.Action == dsn.ActionFailed || (rc.Action == "" && r.Kind == dsn.KindFailure)
}

// NeedsExplanation reports whether rc failed or is delayed.
func NeedsExplanation(r *dsn.Report, rc dsn.Recipient) bool {
	return Final(r, rc) || Delayed(r, rc)
}

// queryHosts joins the host names that may name the provider.
func queryHosts(r *dsn.Report, rc dsn.Recipient) string {
	hosts := []string{rc.RemoteMTA}
	if r.ReportingMTA != "" && r.ReportingMTA != rc.RemoteMTA {
		hosts = append(hosts, r.ReportingMTA)
	}
	if _, dom, ok := strings.Cut(rc.Recipient, "@"); ok && dom != "" {
		hosts = append(hosts, dom)
	}
	return strings.TrimSpace(strings.Join(hosts, " "))
}

// Classified returns q with its Reason filled, when empty, by the parser's
// classifier (dsn.ClassifyFacts), as it would be for a bounce with these
// codes, text, command and remote host: `explain` on a line then gives the
// words a bounce with that line gets. q's codes should already be filled
// from its text (catalog.FillCodes). A query with no words besides its codes
// (`explain 421`) is left without a reason: the entry for the code says it.
func Classified(q catalog.Query) catalog.Query {
	if q.Reason != "" || !catalog.HasWords(strings.ToLower(q.Text)) {
		return q
	}
	action := ""
	switch {
	case q.Final:
		action = string(dsn.ActionFailed)
	case q.Delayed:
		action = string(dsn.ActionDelayed)
	}
	f := dsn.Facts{
		Status: q.Status, ReplyCode: q.ReplyCode, Command: q.Command, Text: q.Text,
		Action: action, RemoteMTA: q.Host,
	}
	q.Reason = dsn.ClassifyFacts(f)
	q.ReasonFromCode = dsn.FromCodes(f, q.Reason)
	return q
}
