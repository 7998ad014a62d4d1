package milter_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/bouncenote/bouncenote/milter"
)

// A milter on loopback, as `bouncenote milter --listen inet:127.0.0.1:8891`
// runs it, stopped the way SIGTERM stops it.
func Example() {
	log := logrus.New()
	log.SetOutput(io.Discard)
	// In production: milter.ParseAddress("inet:127.0.0.1:8891"); here any free port.
	addr := milter.Address{Network: "tcp", Address: "127.0.0.1:0"}
	ln, err := milter.Listen(addr, milter.SocketOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := milter.New(milter.Config{Lang: "en", MaxBody: 10 << 20, Logger: log})
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()

	// ... Postfix connects, bounces get annotated ...
	if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		c.Close()
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	fmt.Println("shutdown:", srv.Shutdown(ctx))
	fmt.Println("serve:", <-done)
	// Output:
	// shutdown: <nil>
	// serve: <nil>
}
