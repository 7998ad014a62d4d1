package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progressThreshold: inspect, annotate and catalog check show a progress
// bar on standard error once a run has more items (messages, or catalog
// files) than this, and only when standard error is a terminal. Runs this
// small finish before a bar would tell anything.
const progressThreshold = 200

// progressThrottle bounds how often the bar is redrawn.
const progressThrottle = 100 * time.Millisecond

// terminal is a writer that knows whether it is a terminal. Tests pass a
// fake one; a real *os.File is asked with term.IsTerminal.
type terminal interface {
	io.Writer
	IsTerminal() bool
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	switch t := w.(type) {
	case terminal:
		return t.IsTerminal()
	case *os.File:
		return term.IsTerminal(int(t.Fd()))
	}
	return false
}

// progress tracks a run over items whose number grows as they are found
// (an mbox's messages are known once it is read). The bar appears when
// the known total passes progressThreshold and w is a terminal; until then,
// and for ever when w is no terminal, progress writes nothing.
type progress struct {
	w           io.Writer
	tty         bool
	desc        string
	total, done int
	bar         *progressbar.ProgressBar
}

func newProgress(w io.Writer, desc string) *progress {
	return &progress{w: w, tty: isTerminal(w), desc: desc}
}

// add counts n more items to do.
func (p *progress) add(n int) {
	if p == nil || n <= 0 {
		return
	}
	p.total += n
	switch {
	case p.bar != nil:
		p.bar.ChangeMax(p.total)
	case p.tty && p.total > progressThreshold:
		p.bar = progressbar.NewOptions(p.total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(p.desc),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(progressThrottle),
			progressbar.OptionSetRenderBlankState(true),
			progressbar.OptionClearOnFinish(),
		)
		if p.done > 0 {
			_ = p.bar.Set(p.done)
		}
	}
}

// step counts one item done.
func (p *progress) step() {
	if p == nil {
		return
	}
	p.done++
	if p.bar != nil {
		_ = p.bar.Add(1)
	}
}

// clear erases the bar before a warning is written to the same terminal;
// the next step draws it again.
func (p *progress) clear() {
	if p != nil && p.bar != nil {
		_ = p.bar.Clear()
	}
}

// shown reports whether the bar was drawn.
func (p *progress) shown() bool { return p != nil && p.bar != nil }

// finish completes and erases the bar, leaving the line free for the
// summary.
func (p *progress) finish() {
	if p.shown() {
		_ = p.bar.Finish() // OptionClearOnFinish erases it
	}
}

// summaryf writes a run's summary line to the progress writer when the bar
// was shown.
func (p *progress) summaryf(prefix, format string, a ...any) {
	if p.shown() {
		fmt.Fprintf(p.w, "%s: %s\n", prefix, fmt.Sprintf(format, a...))
	}
}
