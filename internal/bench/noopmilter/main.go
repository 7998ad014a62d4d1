// Command noopmilter is the baseline milter of internal/bench/run: a
// go-milter (Sendmail milter protocol v2) server that reads every event of
// every message, buffers nothing, makes no edit and accepts each message at
// its end, so that what the bouncenote milter costs on top of the protocol
// itself can be measured:
//
//	go run ./internal/bench/noopmilter -listen inet:127.0.0.1:7357
//
// With -hold it keeps each body until the end of its message, uncopied:
// the memory any milter that edits a whole body must at least hold.
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
	hold := flag.Bool("hold", false, "keep each message's body chunks until its end (the least an annotating milter holds)")
	flag.Parse()
	ln, err := listenOn(*listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "noopmilter:", err)
		os.Exit(2)
	}
	srv := &gomilter.Server{
		NewMilter: func() gomilter.Milter {
			if *hold {
				return &holder{}
			}
			return noop{}
		},
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

// holder is noop that keeps the body chunks go-milter hands over (each
// packet is a slice of its own) until end of message: the memory floor of
// a milter that must read the whole body before it can edit it.
type holder struct {
	noop
	chunks [][]byte
}

func (h *holder) BodyChunk(chunk []byte, _ *gomilter.Modifier) (gomilter.Response, error) {
	h.chunks = append(h.chunks, chunk)
	return gomilter.RespContinue, nil
}

func (h *holder) Body(*gomilter.Modifier) (gomilter.Response, error) {
	h.chunks = nil
	return gomilter.RespAccept, nil
}

func (h *holder) Abort(*gomilter.Modifier) error {
	h.chunks = nil
	return nil
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
