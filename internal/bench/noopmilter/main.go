// Command noopmilter is the baseline milter of internal/bench/run: a
// go-milter (Sendmail milter protocol v2) server that reads every event of
// every message, buffers nothing, makes no edit and accepts each message at
// its end (bench.Noop), so that what the bouncenote milter costs on top of
// the protocol itself can be measured:
//
//	go run ./internal/bench/noopmilter -listen inet:127.0.0.1:7357
//
// With -hold it keeps each body until the end of its message, uncopied:
// the memory any milter that edits a whole body must at least hold. With
// -echo it also sends each body back unchanged as the replacement body:
// the least a milter that replaces bodies sends.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"strings"

	gomilter "github.com/emersion/go-milter"

	"github.com/bouncenote/bouncenote/internal/bench"
)

func main() {
	listen := flag.String("listen", "", "socket to listen on: unix:/path/to.sock or inet:HOST:PORT (required)")
	hold := flag.Bool("hold", false, "keep each message's body chunks until its end (the least an annotating milter holds)")
	echo := flag.Bool("echo", false, "send each body back unchanged as the replacement body (the least a milter that replaces bodies sends)")
	flag.Parse()
	ln, err := listenOn(*listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "noopmilter:", err)
		os.Exit(2)
	}
	srv := &gomilter.Server{
		NewMilter: func() gomilter.Milter { return &bench.Noop{Hold: *hold, Echo: *echo} },
		// The same negotiation as the bouncenote milter (milter/server.go).
		Actions:  gomilter.OptAddHeader | gomilter.OptChangeHeader | gomilter.OptChangeBody,
		Protocol: gomilter.OptNoConnect | gomilter.OptNoHelo | gomilter.OptNoUnknown,
	}
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(os.Stderr, "noopmilter:", err)
		os.Exit(1)
	}
}

// listenOn opens a listener for a unix: or inet: address.
func listenOn(addr string) (net.Listener, error) {
	switch {
	case strings.HasPrefix(addr, "unix:"):
		p := strings.TrimPrefix(addr, "unix:")
		_ = os.Remove(p)
		return net.Listen("unix", p)
	case strings.HasPrefix(addr, "inet:"):
		return net.Listen("tcp", strings.TrimPrefix(addr, "inet:"))
	}
	return nil, fmt.Errorf("-listen %q: want unix:PATH or inet:HOST:PORT", addr)
}
