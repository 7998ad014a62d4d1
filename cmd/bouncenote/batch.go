package main

import (
	"flag"
	"iter"
	"runtime"
	"sync"
)

// This file runs inspect and annotate over many inputs on every core while
// keeping their output in input order: items are handed to jobs workers,
// and each result is emitted once every result before it has been, so that
// standard output, standard error, the progress bar and the files written
// come out as a run with one worker would give them.

// addJobsFlag registers --jobs on fs: how many items (messages, or files)
// are worked on at once; 0, the default, means GOMAXPROCS.
func addJobsFlag(fs *flag.FlagSet, jobs *int, items string) {
	fs.IntVar(jobs, "jobs", 0, "work on `N` "+items+" at once; 0 means one per CPU (GOMAXPROCS); the output is in input order all the same")
}

// workers is the number of workers for a --jobs value: n when above 0,
// else GOMAXPROCS.
func workers(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// inFlightPerWorker bounds the items read but not yet emitted, per worker:
// enough to keep every worker busy while the emitter waits for a slow
// item, few enough that a large input is never all in memory.
const inFlightPerWorker = 4

// runOrdered calls work on each item of items on jobs goroutines and emit
// with the results in the order of the items. emit runs on the calling
// goroutine, one result at a time; it returning false stops the run: no
// further item is taken, and the items under way finish and are dropped.
// items is iterated on a goroutine of its own. With jobs 1 everything
// runs on the calling goroutine, in turn.
func runOrdered[T, R any](jobs int, items iter.Seq[T], work func(T) R, emit func(R) bool) {
	if jobs <= 1 {
		for it := range items {
			if !emit(work(it)) {
				return
			}
		}
		return
	}
	type job struct {
		item T
		out  chan R
	}
	todo := make(chan job)
	order := make(chan chan R, jobs*inFlightPerWorker)
	stop := make(chan struct{})
	go func() {
		defer close(order)
		defer close(todo)
		for it := range items {
			out := make(chan R, 1) // a worker never waits for the emitter
			select {
			case order <- out:
			case <-stop:
				return
			}
			select {
			case todo <- job{it, out}:
			case <-stop:
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for j := range todo {
				j.out <- work(j.item)
			}
		})
	}
	for out := range order {
		if !emit(<-out) {
			close(stop)
			break
		}
	}
	for range order { // let the producer see stop and end
	}
	wg.Wait()
}
