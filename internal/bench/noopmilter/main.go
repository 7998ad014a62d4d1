// Command noopmilter is the baseline milter of internal/bench/run: a
// go-milter (Sendmail milter protocol v2) server that reads every event of
// every message, buffers nothing, makes no edit and accepts each message at
// its end, so that what the bouncenote milter costs on top of the protocol
// itself can be measured:
//
//	go run ./internal/bench/noopmilter -listen inet:127.0.0.1:7357
package main

import (
	"flag"
	"fmt"
	"net"
	"net/textproto"
	"os"
	"strings"

	gomilter "github.com/emersion/go-milter"
)

func main() {
	listen := flag.String("listen", "", "socket to listen on: unix:/path/to.sock or inet:HOST:PORT (required)")
	flag.Parse()
	ln, err := listenOn(*listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "noopmilter:", err)
		os.Exit(2)
	}
	srv := &gomilter.Server{
		NewMilter: func() gomilter.Milter { return noop{} },
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

// noop continues at every event and accepts at end of message.
type noop struct{}

func (noop) Connect(string, string, uint16, net.IP, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (noop) Helo(string, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (noop) MailFrom(string, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (noop) RcptTo(string, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (noop) Header(string, string, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (noop) Headers(textproto.MIMEHeader, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (noop) BodyChunk([]byte, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (noop) Body(*gomilter.Modifier) (gomilter.Response, error) { return gomilter.RespAccept, nil }

func (noop) Abort(*gomilter.Modifier) error { return nil }
