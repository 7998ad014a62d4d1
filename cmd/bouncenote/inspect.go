package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	_ "github.com/bouncenote/bouncenote/dsn/formats" // text bounce formats register themselves
)

func init() {
	register(command{
		name:    "inspect",
		summary: "print what each bounce says (kind, recipients, codes, reason)",
		run:     runInspect,
	})
}

// inspectResult is one line of `inspect --json`.
type inspectResult struct {
	File string `json:"file"`
	*dsn.Report
	Recipients []explainedRecipient `json:"recipients"` // the report's, with explanations (explain.go)
	Error      string               `json:"error,omitempty"`
}

const inspectSynopsis = `usage: bouncenote inspect [--json] [--lang en|zh-CN] [--catalog FILE]... [--jobs N] PATH...`

const inspectDetails = `Prints what each message says: its kind, the reporting server, the returned
message and a line per recipient with the codes, the reason and the
explanation's title. PATH is a message file, - for standard input, a
directory of message files (not its subdirectories), a Maildir or an mbox.
Text from the messages is printed with control characters escaped (\x1b,
\u202e); --json prints JSON Lines, one object per message.
On a terminal, a run over 200 messages draws a progress bar on standard
error and ends with a summary line there. Messages are read on every CPU
(--jobs); the output is in input order all the same.`

func runInspect(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cl := newCmdLine("bouncenote inspect", inspectSynopsis, inspectDetails)
	asJSON := cl.fs.Bool("json", false, "print JSON Lines, one object per message")
	cf := addCatalogFlags(cl.fs)
	var jobs int
	addJobsFlag(cl.fs, &jobs, "messages")
	paths, code, ok := cl.parse(args, stdout, stderr)
	if !ok {
		return code
	}
	if len(paths) == 0 {
		return cl.usageError(stderr, "no PATH given")
	}
	cat, ok := cf.load(stderr)
	if !ok {
		return 2
	}
	status := 0
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	prog := newProgress(stderr, "inspect")
	var count inspectTally
	warn := func(msg string) {
		prog.clear()
		fmt.Fprintf(stderr, "bouncenote inspect: %s\n", termSafe(msg))
	}
	work := func(it inputItem) inspectResult {
		res := inspectOne(it)
		res.Recipients = explainRecipients(res.Report, cat, cf.lang)
		return res
	}
	walkInputs(paths, stdin, warn, prog, workers(jobs), work, func(it inputItem, res inspectResult) bool {
		count.add(res)
		if res.Error != "" {
			// Once: on stderr. The text output has no block for it;
			// --json has its object, with "error".
			warn(fmt.Sprintf("%s: %s", it.Name, res.Error))
			status = 1
		}
		if *asJSON {
			if err := enc.Encode(res); err != nil {
				fmt.Fprintf(stderr, "bouncenote inspect: writing output: %v\n", err)
				status = 1
				return false
			}
			return true
		}
		if res.Error == "" {
			printHuman(stdout, res)
		}
		return true
	})
	prog.finish()
	prog.summaryf("bouncenote inspect", "%s", count)
	return status
}

// inspectTally counts the messages of an inspect run by what they are.
type inspectTally struct {
	bounces int // failure or delay reports
	other   int // every other kind: ordinary mail, auto-replies, success notices, feedback
	failed  int // not read or not parsed
}

func (t *inspectTally) add(res inspectResult) {
	switch {
	case res.Error != "":
		t.failed++
	case res.Kind == dsn.KindFailure || res.Kind == dsn.KindDelay:
		t.bounces++
	default:
		t.other++
	}
}

// String is the summary line, e.g. "3 message(s): 1 bounce(s), 1 not a
// bounce, 1 failed".
func (t inspectTally) String() string {
	return fmt.Sprintf("%d message(s): %d bounce(s), %d not a bounce, %d failed", t.bounces+t.other+t.failed, t.bounces, t.other, t.failed)
}

// inspectOne parses one input item; failures become a KindNone result
// with Error set.
func inspectOne(it inputItem) inspectResult {
	err := it.Err
	var r *dsn.Report
	if err == nil {
		r, err = dsn.Parse(it.Raw(), nil)
	}
	if err != nil {
		return inspectResult{File: it.Name, Report: &dsn.Report{Kind: dsn.KindNone, Recipients: []dsn.Recipient{}}, Error: errText(it.Name, err)}
	}
	return inspectResult{File: it.Name, Report: r}
}

// printHuman writes a block per message and a line per recipient. Every
// value is passed through termSafe: bounce text cannot move the cursor,
// recolour the terminal, reorder the line or start a line of its own.
func printHuman(w io.Writer, res inspectResult) {
	r := res.Report
	head := fmt.Sprintf("%s: %s", termSafe(res.File), termSafe(string(r.Kind)))
	if r.Format != "" && r.Kind != dsn.KindNone {
		head += " (" + termSafe(r.Format) + ")"
	}
	fmt.Fprintln(w, head)
	if r.ReportingMTA != "" {
		fmt.Fprintf(w, "  reporting MTA: %s\n", termSafe(r.ReportingMTA))
	}
	o := r.Original
	if o.Subject != "" || o.MessageID != "" || o.To != "" {
		fmt.Fprintf(w, "  original: subject \"%s\", to %s, message-id %s\n", termSafe(strings.ReplaceAll(o.Subject, `"`, `\"`)),
			termSafe(orDash(o.To)), termSafe(orDash(o.MessageID)))
	}
	for _, er := range res.Recipients {
		fmt.Fprintf(w, "  %s\n", recipientLine(er.Recipient))
		if er.Explanation != nil {
			fmt.Fprintf(w, "    => %s\n", termSafe(er.Explanation.Title))
		}
	}
	fmt.Fprintln(w)
}

// recipientLine is a recipient's line, and its diagnostic on a second line,
// with every value escaped by termSafe.
func recipientLine(rc dsn.Recipient) string {
	parts := []string{orDash(rc.Recipient), orDash(string(rc.Action)), orDash(rc.Status)}
	if rc.ReplyCode != "" {
		parts = append(parts, "reply "+rc.ReplyCode)
	}
	if rc.Command != "" {
		parts = append(parts, "at "+rc.Command)
	}
	if rc.Reason != "" {
		parts = append(parts, rc.Reason)
	}
	if rc.HardBounce {
		parts = append(parts, "hard bounce")
	}
	for i, p := range parts {
		parts[i] = termSafe(p)
	}
	line := strings.Join(parts, "  ")
	if rc.RemoteMTA != "" {
		line += "  from " + termSafe(rc.RemoteMTA)
	}
	if rc.Diagnostic != "" {
		line += "\n    " + termSafe(rc.Diagnostic)
	}
	return line
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
