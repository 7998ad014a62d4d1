package main

import (
	"fmt"
	"net"
	"strings"

	"github.com/miekg/dns"
)

// Zone is what the lab's DNS server knows: names with an A record (each also
// answers for its subdomains and has an MX pointing at itself), and PTR
// names. Every other name is NXDOMAIN (RFC 1035 §4.1.1 RCODE 3), so
// nxdomain.test and anything outside the lab does not resolve.
type Zone struct {
	A   map[string]net.IP // fully qualified lower-case name -> address
	PTR map[string]string // reverse name -> target
}

// DefaultZone is sink.test and lab.test on 127.0.0.1 (where the sink and the
// MTAs listen) and refused.test on 127.0.0.2, where nothing listens.
func DefaultZone() *Zone {
	z := &Zone{A: map[string]net.IP{}, PTR: map[string]string{}}
	for name, ip := range map[string]string{"sink.test": "127.0.0.1", "lab.test": "127.0.0.1", "refused.test": "127.0.0.2"} {
		z.add(name, net.ParseIP(ip))
	}
	z.PTR["1.0.0.127.in-addr.arpa."] = "localhost."
	return z
}

func (z *Zone) add(name string, ip net.IP) {
	z.A[dns.Fqdn(strings.ToLower(name))] = ip
}

// addFlag parses a -a name=ip flag.
func (z *Zone) addFlag(v string) error {
	name, addr, ok := strings.Cut(v, "=")
	ip := net.ParseIP(addr)
	if !ok || name == "" || ip == nil || ip.To4() == nil {
		return fmt.Errorf("mtalab: -a %q: want name=IPv4", v)
	}
	z.add(name, ip)
	return nil
}

// lookup finds the zone entry for qname or one of its parents.
func (z *Zone) lookup(qname string) (owner string, ip net.IP) {
	name := strings.ToLower(qname)
	for {
		if ip, ok := z.A[name]; ok {
			return name, ip
		}
		_, rest, ok := strings.Cut(name, ".")
		if !ok || rest == "" {
			return "", nil
		}
		name = rest
	}
}

// soa is the authority record of negative answers (RFC 2308 §3).
func soa() dns.RR {
	return &dns.SOA{Hdr: dns.RR_Header{Name: "test.", Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 60},
		Ns: "ns.lab.test.", Mbox: "hostmaster.lab.test.", Serial: 1, Refresh: 60, Retry: 60, Expire: 60, Minttl: 60}
}

// ServeDNS answers one query.
func (z *Zone) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(r)
	m.Authoritative = true
	m.RecursionAvailable = true
	if len(r.Question) == 1 {
		z.answer(m, r.Question[0])
	}
	_ = w.WriteMsg(m)
}

func (z *Zone) answer(m *dns.Msg, q dns.Question) {
	hdr := func(t uint16) dns.RR_Header {
		return dns.RR_Header{Name: q.Name, Rrtype: t, Class: dns.ClassINET, Ttl: 60}
	}
	if target, ok := z.PTR[strings.ToLower(q.Name)]; ok && q.Qtype == dns.TypePTR {
		m.Answer = append(m.Answer, &dns.PTR{Hdr: hdr(dns.TypePTR), Ptr: target})
		return
	}
	owner, ip := z.lookup(q.Name)
	if ip == nil {
		m.Rcode = dns.RcodeNameError
		m.Ns = append(m.Ns, soa())
		return
	}
	switch q.Qtype {
	case dns.TypeA, dns.TypeANY:
		m.Answer = append(m.Answer, &dns.A{Hdr: hdr(dns.TypeA), A: ip.To4()})
	case dns.TypeMX:
		m.Answer = append(m.Answer, &dns.MX{Hdr: hdr(dns.TypeMX), Preference: 10, Mx: owner})
		if owner != strings.ToLower(q.Name) {
			m.Extra = append(m.Extra, &dns.A{Hdr: dns.RR_Header{Name: owner, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: ip.To4()})
		}
	default: // NODATA: the name exists, the type does not (AAAA, TXT, TLSA...).
		m.Ns = append(m.Ns, soa())
	}
}

// DNSServer is a running lab DNS server on UDP and TCP.
type DNSServer struct {
	udp, tcp *dns.Server
}

// StartDNS listens on the loopback addr (UDP and TCP) and answers from z.
func StartDNS(addr string, z *Zone) (*DNSServer, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, err
	}
	// Same port for TCP (a :0 address picks the UDP one's port).
	l, err := net.Listen("tcp", pc.LocalAddr().String())
	if err != nil {
		pc.Close()
		return nil, err
	}
	s := &DNSServer{udp: &dns.Server{PacketConn: pc, Handler: z}, tcp: &dns.Server{Listener: l, Handler: z}}
	ready := make(chan struct{}, 2)
	s.udp.NotifyStartedFunc = func() { ready <- struct{}{} }
	s.tcp.NotifyStartedFunc = func() { ready <- struct{}{} }
	go func() { _ = s.udp.ActivateAndServe() }()
	go func() { _ = s.tcp.ActivateAndServe() }()
	<-ready
	<-ready
	return s, nil
}

// Addr is the UDP (and TCP) address.
func (s *DNSServer) Addr() string { return s.udp.PacketConn.LocalAddr().String() }

// Close stops both listeners.
func (s *DNSServer) Close() error {
	err := s.udp.Shutdown()
	if err2 := s.tcp.Shutdown(); err == nil {
		err = err2
	}
	return err
}
