package bench

import (
	"bytes"
	"net"
	"testing"

	gomilter "github.com/emersion/go-milter"
)

// TestNoop: the no-op accepts every message without a modification; with
// Echo it sends the body back unchanged (line ends as LF) as the
// replacement body.
func TestNoop(t *testing.T) {
	body := bytes.Repeat([]byte("The quick brown fox jumps over the lazy dog.\r\n"), 3000) // 3 chunks
	tests := []struct {
		name string
		noop Noop
		want []byte // the replacement body; nil: no modification
	}{
		{"noop", Noop{}, nil},
		{"hold", Noop{Hold: true}, nil},
		{"echo", Noop{Echo: true}, bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := &gomilter.Server{
				NewMilter: func() gomilter.Milter { n := tt.noop; return &n },
				Actions:   gomilter.OptAddHeader | gomilter.OptChangeHeader | gomilter.OptChangeBody,
			}
			go srv.Serve(ln)
			defer srv.Close()
			c := gomilter.NewClientWithOptions("tcp", ln.Addr().String(), gomilter.ClientOptions{ActionMask: gomilter.OptChangeBody})
			s, err := c.Session()
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Mail("", nil); err != nil {
				t.Fatal(err)
			}
			if _, err := s.HeaderField("Subject", "x"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.HeaderEnd(); err != nil {
				t.Fatal(err)
			}
			mods, act, err := s.BodyReadFrom(bytes.NewReader(body))
			if err != nil || act.Code != gomilter.ActAccept {
				t.Fatalf("end: %v, %v", act, err)
			}
			var got []byte
			for _, m := range mods {
				if m.Code != gomilter.ActReplBody {
					t.Fatalf("modification %c", m.Code)
				}
				got = append(got, m.Body...)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("replacement body of %d bytes (%d requests), want %d", len(got), len(mods), len(tt.want))
			}
		})
	}
}
