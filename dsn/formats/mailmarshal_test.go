package formats

import "testing"

// The corpus sample has no row in expected.tsv; check what the layout
// states: the recipient list and the reason above it.
func TestMailMarshalSample(t *testing.T) {
	rep := parseSample(t, "lhost-mailmarshal-02.eml")
	if rep.Format != "mailmarshal" || len(rep.Recipients) != 1 {
		t.Fatalf("format %q with %d recipients", rep.Format, len(rep.Recipients))
	}
	rc := rep.Recipients[0]
	tests := []struct{ name, got, want string }{
		{"recipient", rc.Recipient, "kijitora@nyaan.example.com"},
		{"status", rc.Status, "5.1.1"},
		{"reply", rc.ReplyCode, "550"},
		{"reason", rc.Reason, "userunknown"},
		{"remote", rc.RemoteMTA, "203.0.113.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
			}
		})
	}
}
