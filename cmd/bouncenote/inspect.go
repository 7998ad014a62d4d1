package main

import (
	"encoding/json"
	"flag"
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

func runInspect(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON Lines, one object per message")
	cf := addCatalogFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: bouncenote inspect [--json] [--lang en|zh-CN] [--catalog FILE]... PATH...")
		fmt.Fprintln(stderr, "PATH is a message file, - for stdin, a directory of messages, a Maildir or an mbox.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	cat, ok := cf.load(stderr)
	if !ok {
		return 2
	}
	status := 0
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	walkInputs(fs.Args(), stdin, func(it inputItem) bool {
		res := inspectOne(it)
		res.Recipients = explainRecipients(res.Report, cat, cf.lang)
		if res.Error != "" {
			fmt.Fprintf(stderr, "bouncenote: %s: %s\n", it.Name, res.Error)
			status = 1
		}
		if *asJSON {
			if err := enc.Encode(res); err != nil {
				fmt.Fprintf(stderr, "bouncenote: writing output: %v\n", err)
				status = 1
				return false
			}
			return true
		}
		printHuman(stdout, res)
		return true
	})
	return status
}

// inspectOne parses one input item; failures become a KindNone result
// with Error set.
func inspectOne(it inputItem) inspectResult {
	err := it.Err
	var r *dsn.Report
	if err == nil {
		r, err = dsn.Parse(it.Raw, nil)
	}
	if err != nil {
		return inspectResult{File: it.Name, Report: &dsn.Report{Kind: dsn.KindNone, Recipients: []dsn.Recipient{}}, Error: err.Error()}
	}
	return inspectResult{File: it.Name, Report: r}
}

// printHuman writes a block per message and a line per recipient.
func printHuman(w io.Writer, res inspectResult) {
	r := res.Report
	head := fmt.Sprintf("%s: %s", res.File, r.Kind)
	if r.Format != "" && r.Kind != dsn.KindNone {
		head += " (" + r.Format + ")"
	}
	if res.Error != "" {
		head += " error: " + res.Error
	}
	fmt.Fprintln(w, head)
	if r.ReportingMTA != "" {
		fmt.Fprintf(w, "  reporting MTA: %s\n", r.ReportingMTA)
	}
	o := r.Original
	if o.Subject != "" || o.MessageID != "" || o.To != "" {
		fmt.Fprintf(w, "  original: subject %q, to %s, message-id %s\n", o.Subject, orDash(o.To), orDash(o.MessageID))
	}
	for _, er := range res.Recipients {
		fmt.Fprintf(w, "  %s\n", recipientLine(er.Recipient))
		if er.Explanation != nil {
			fmt.Fprintf(w, "    => %s\n", er.Explanation.Title)
		}
	}
	fmt.Fprintln(w)
}

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
	line := strings.Join(parts, "  ")
	if rc.RemoteMTA != "" {
		line += "  from " + rc.RemoteMTA
	}
	if rc.Diagnostic != "" {
		line += "\n    " + rc.Diagnostic
	}
	return line
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
