// Command mtalab is the loopback lab in which private MTAs write their own
// bounces (RFC 3464 delivery status notifications, RFC 5321 replies): a
// scripted SMTP sink and a DNS server for the test zones.
//
//	mtalab sink [-listen 127.0.0.1:25] [-out DIR] [-hostname sink.test]
//	mtalab dns  [-listen 127.0.0.1:53] [-a name=ip ...]
//	mtalab send -server 127.0.0.1:PORT -to a@x,b@y [-from F] [-subject S] [-id ID] [-size N]
//	mtalab normalize [-id REGEXP]... FILE...
//
// Both refuse to listen on anything but a loopback address. The generator
// (testdata/mta/generate) runs them inside a network namespace that has
// only lo, so no MTA can reach anything off the machine.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
)

// errNotLoopback is returned for a listen address outside 127.0.0.0/8 and ::1.
var errNotLoopback = errors.New("mtalab: listen address is not loopback")

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}

func run(args []string, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: mtalab sink|dns|send|normalize [flags]")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "sink":
		return runSink(ctx, args[1:], stderr)
	case "dns":
		return runDNS(ctx, args[1:], stderr)
	case "send":
		return runSend(args[1:], stderr)
	case "normalize":
		return runNormalize(args[1:], stderr)
	}
	return fmt.Errorf("mtalab: unknown subcommand %q (want sink, dns, send or normalize)", args[0])
}

func runSink(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("sink", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts SinkOptions
	listen := fs.String("listen", "127.0.0.1:25", "loopback `address` to listen on")
	fs.StringVar(&opts.Dir, "out", "", "`dir`ectory for accepted messages (none: accepted mail is discarded)")
	fs.StringVar(&opts.Hostname, "hostname", "", "name in the greeting (default "+defaultSinkHostname+")")
	fs.DurationVar(&opts.Hang, "hang", 0, "how long slow@ recipients hang at RCPT (default 10m)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	l, err := listenLoopback("tcp", *listen)
	if err != nil {
		return err
	}
	s := NewSink(opts)
	fmt.Fprintf(stderr, "mtalab sink: listening on %s\n", l.Addr())
	go func() { <-ctx.Done(); s.Close() }()
	if err := s.Serve(l); err != nil && ctx.Err() == nil {
		return err
	}
	return nil
}

func runDNS(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("dns", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:53", "loopback `address` to listen on (UDP and TCP)")
	zone := DefaultZone()
	fs.Func("a", "extra `name=ip` (also answers *.name and MX name)", zone.addFlag)
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, err := StartDNS(*listen, zone)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "mtalab dns: listening on %s\n", srv.Addr())
	<-ctx.Done()
	return srv.Close()
}

// listenLoopback listens only on a loopback address.
func listenLoopback(network, addr string) (net.Listener, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	return net.Listen(network, addr)
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("mtalab: %w", err)
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w: %q", errNotLoopback, addr)
	}
	return nil
}
