package main

import (
	"errors"
	"net/smtp"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func startSink(t *testing.T, opts SinkOptions) string {
	t.Helper()
	l, err := listenLoopback("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	k := NewSink(opts)
	go func() { _ = k.Serve(l) }()
	t.Cleanup(func() { k.Close() })
	return l.Addr().String()
}

// send runs one SMTP transaction and returns the first error with the
// command it answered.
func send(t *testing.T, addr, rcpt, body string) (stage string, err error) {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("sender@lab.test"); err != nil {
		return "MAIL", err
	}
	if err := c.Rcpt(rcpt); err != nil {
		return "RCPT", err
	}
	w, err := c.Data()
	if err != nil {
		return "DATA", err
	}
	if _, err := w.Write([]byte(body)); err != nil {
		return "DATA", err
	}
	if err := w.Close(); err != nil {
		return "DOT", err
	}
	return "", c.Quit()
}

func TestSinkScripts(t *testing.T) {
	dir := t.TempDir()
	addr := startSink(t, SinkOptions{Dir: dir, Hang: 50 * time.Millisecond})
	body := "Subject: hi\r\n\r\nhello\r\n"
	tests := []struct {
		rcpt  string
		stage string
		code  int
		text  string
	}{
		{"nouser@sink.test", "RCPT", 550, "5.1.1 <nouser@sink.test>: Recipient address rejected: User unknown"},
		{"full@x.sink.test", "RCPT", 552, "5.2.2 "},
		{"later@sink.test", "RCPT", 451, "4.3.0 "},
		{"spam@sink.test", "DOT", 554, "5.7.1 Message rejected as spam"},
		{"big@sink.test", "DOT", 552, "5.3.4 "},
		{"slow@sink.test", "RCPT", 421, "4.4.2 "},
		{"ok@sink.test", "", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.rcpt, func(t *testing.T) {
			stage, err := send(t, addr, tt.rcpt, body)
			if tt.code == 0 {
				if err != nil {
					t.Fatalf("%s: %v", stage, err)
				}
				return
			}
			var te *textproto.Error
			if !errors.As(err, &te) {
				t.Fatalf("%s: err = %v, want SMTP %d", stage, err, tt.code)
			}
			if stage != tt.stage || te.Code != tt.code || !strings.HasPrefix(te.Msg, tt.text) {
				t.Errorf("%s %d %q, want %s %d %q...", stage, te.Code, te.Msg, tt.stage, tt.code, tt.text)
			}
		})
	}
	msg, err := os.ReadFile(filepath.Join(dir, "0001.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if string(msg) != body {
		t.Errorf("stored %q, want the message bytes %q", msg, body)
	}
	env, err := os.ReadFile(filepath.Join(dir, "0001.env"))
	if err != nil || string(env) != "MAIL FROM:<sender@lab.test>\nRCPT TO:<ok@sink.test>\n" {
		t.Errorf("envelope %q, %v", env, err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.eml")); len(m) != 1 {
		t.Errorf("stored %d messages, want only the accepted one", len(m))
	}
}

func TestListenRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", "192.0.2.1:25", "sink.test:25"} {
		t.Run(addr, func(t *testing.T) {
			if _, err := listenLoopback("tcp", addr); !errors.Is(err, errNotLoopback) {
				t.Errorf("listen %s: err = %v, want errNotLoopback", addr, err)
			}
			if _, err := StartDNS(addr, DefaultZone()); !errors.Is(err, errNotLoopback) {
				t.Errorf("dns %s: err = %v, want errNotLoopback", addr, err)
			}
		})
	}
}

func TestDNS(t *testing.T) {
	z := DefaultZone()
	if err := z.addFlag("mx.example.test=127.0.0.9"); err != nil {
		t.Fatal(err)
	}
	srv, err := StartDNS("127.0.0.1:0", z)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	tests := []struct {
		name  string
		qtype uint16
		net   string
		rcode int
		want  string // the answer's data, "" for none
	}{
		{"sink.test.", dns.TypeA, "udp", dns.RcodeSuccess, "127.0.0.1"},
		{"Host.Sink.Test.", dns.TypeA, "tcp", dns.RcodeSuccess, "127.0.0.1"},
		{"sink.test.", dns.TypeMX, "udp", dns.RcodeSuccess, "sink.test."},
		{"a.sink.test.", dns.TypeMX, "udp", dns.RcodeSuccess, "sink.test."},
		{"refused.test.", dns.TypeA, "udp", dns.RcodeSuccess, "127.0.0.2"},
		{"mx.example.test.", dns.TypeA, "udp", dns.RcodeSuccess, "127.0.0.9"},
		{"sink.test.", dns.TypeAAAA, "udp", dns.RcodeSuccess, ""},
		{"nxdomain.test.", dns.TypeMX, "udp", dns.RcodeNameError, ""},
		{"example.com.", dns.TypeA, "udp", dns.RcodeNameError, ""},
		{"1.0.0.127.in-addr.arpa.", dns.TypePTR, "udp", dns.RcodeSuccess, "localhost."},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+dns.TypeToString[tt.qtype]+"/"+tt.net, func(t *testing.T) {
			m := new(dns.Msg)
			m.SetQuestion(tt.name, tt.qtype)
			c := &dns.Client{Net: tt.net, Timeout: 5 * time.Second}
			r, _, err := c.Exchange(m, srv.Addr())
			if err != nil {
				t.Fatal(err)
			}
			if r.Rcode != tt.rcode {
				t.Errorf("rcode %s, want %s", dns.RcodeToString[r.Rcode], dns.RcodeToString[tt.rcode])
			}
			got := ""
			if len(r.Answer) > 0 {
				switch rr := r.Answer[0].(type) {
				case *dns.A:
					got = rr.A.String()
				case *dns.MX:
					got = rr.Mx
				case *dns.PTR:
					got = rr.Ptr
				}
			}
			if got != tt.want {
				t.Errorf("answer %q, want %q (%v)", got, tt.want, r.Answer)
			}
		})
	}
}

func TestZoneFlag(t *testing.T) {
	for _, v := range []string{"x", "x=", "=1.2.3.4", "x=::1", "x=host"} {
		if err := DefaultZone().addFlag(v); err == nil {
			t.Errorf("-a %q accepted", v)
		}
	}
}

func TestSend(t *testing.T) {
	dir := t.TempDir()
	addr := startSink(t, SinkOptions{Dir: dir})
	o := sendOptions{Server: addr, From: "bounce+x@sink.test", To: []string{"ok@sink.test"}, Subject: "lab x", ID: "x@lab.test", Size: 2000}
	if err := o.send(); err != nil {
		t.Fatal(err)
	}
	msg, err := os.ReadFile(filepath.Join(dir, "0001.eml"))
	if err != nil {
		t.Fatal(err)
	}
	if string(msg) != string(o.Message()) || len(msg) < 2000 || !strings.Contains(string(msg), "Date: "+labDate+"\r\n") {
		t.Errorf("stored %d bytes, want the %d sent, with the lab date", len(msg), len(o.Message()))
	}
	o.To = []string{"nouser@sink.test"}
	if err := o.send(); err == nil || !strings.Contains(err.Error(), "550") {
		t.Errorf("send to nouser@: err = %v, want the sink's 550", err)
	}
}

func TestNormalize(t *testing.T) {
	var ids idList
	for _, v := range []string{`HEX:id ([0-9A-F]{10})\b`, `<([0-9]{14})\.`, `digits/6:b=([0-9]+)`} {
		if err := ids.Set(v); err != nil {
			t.Fatal(err)
		}
	}
	n := Normalizer{IDs: ids}
	tests := []struct{ name, in, want string }{
		{"date", "Date: Thu, 3 Dec 2026 10:09:45 +0000 (UTC)\n", "Date: " + labDate + " (UTC)\n"},
		{"date without weekday", "Arrival-Date: 4 Dec 2026 23:59:01 -0700\n", "Arrival-Date: " + labDate + "\n"},
		{"ids keep their shape and every occurrence", "id 4ABC12DE9F; X-Queue: 4ABC12DE9F\nid 1234567890\n<20261203101122.4ABC12DE9F@mx>",
			"id 0123456789; X-Queue: 0123456789\nid 789ABCDEF0\n<45678901234567.0123456789@mx>"},
		{"nothing volatile", "Status: 5.1.1\n", "Status: 5.1.1\n"},
		// Another run: other ids and times, the same output, also for a
		// hex id that happens to be all digits.
		{"all-digit hex id", "id 1234509876\n", "id 0123456789\n"},
		{"random number of any width", "b=12345678901\n--b=12345678901", "b=012345\n--b=012345"},
		{"random number of any width, again", "b=987\n--b=987", "b=012345\n--b=012345"},
		{"another run", "id 9F00AB12CD; X-Queue: 9F00AB12CD\nid 5555555555\n<20261204000001.9F00AB12CD@mx>",
			"id 0123456789; X-Queue: 0123456789\nid 789ABCDEF0\n<45678901234567.0123456789@mx>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(n.Normalize([]byte(tt.in)))
			if got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
