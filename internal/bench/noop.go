package bench

import (
	"net"
	"net/textproto"

	gomilter "github.com/emersion/go-milter"
)

// Noop is the baseline milter backend (go-milter, Sendmail milter protocol
// v2): it continues at every event and accepts every message at its end,
// unchanged. With Hold it keeps each message's body chunks until its end,
// as go-milter hands them over (each packet is a slice of its own): the
// memory any milter that edits a whole body must at least hold. With Echo
// it also sends each body back unchanged at its end, as the replacement
// body (go-milter's ReplaceBody, one request per chunk): the least a
// milter that replaces bodies sends.
type Noop struct {
	Hold   bool
	Echo   bool
	chunks [][]byte
}

var _ gomilter.Milter = (*Noop)(nil)

func (*Noop) Connect(string, string, uint16, net.IP, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (*Noop) Helo(string, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (*Noop) MailFrom(string, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (*Noop) RcptTo(string, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (*Noop) Header(string, string, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (*Noop) Headers(textproto.MIMEHeader, *gomilter.Modifier) (gomilter.Response, error) {
	return gomilter.RespContinue, nil
}

func (n *Noop) BodyChunk(chunk []byte, _ *gomilter.Modifier) (gomilter.Response, error) {
	if n.Hold || n.Echo {
		n.chunks = append(n.chunks, chunk)
	}
	return gomilter.RespContinue, nil
}

func (n *Noop) Body(m *gomilter.Modifier) (gomilter.Response, error) {
	if n.Echo {
		for _, c := range n.chunks {
			if err := m.ReplaceBody(c); err != nil {
				return nil, err
			}
		}
	}
	n.chunks = nil
	return gomilter.RespAccept, nil
}

func (n *Noop) Abort(*gomilter.Modifier) error {
	n.chunks = nil
	return nil
}
