package dsn

import "testing"

// TestOwnDomainUnrouteable: Exim's "Unrouteable address" is an unknown
// user in the reporting host's own domain (no remote MTA), and an
// unroutable domain anywhere else.
func TestOwnDomainUnrouteable(t *testing.T) {
	tests := []struct {
		name string
		f    Facts
		want string
	}{
		{"own domain (lab sample)", Facts{Status: "5.0.0", Text: "Unrouteable address", Action: "failed",
			ReportingMTA: "dns; mx.lab.test", Recipient: "nosuchuser@lab.test"}, ReasonUserUnknown},
		{"reporting host is the domain", Facts{Status: "5.0.0", Text: "Unrouteable address", Action: "failed",
			ReportingMTA: "example.org", Recipient: "nobody@example.org"}, ReasonUserUnknown},
		{"other domain", Facts{Status: "5.0.0", Text: "Unrouteable address", Action: "failed",
			ReportingMTA: "mx.lab.test", Recipient: "user@nxdomain.test"}, ReasonHostUnknown},
		{"a domain that only ends like ours", Facts{Status: "5.0.0", Text: "Unrouteable address", Action: "failed",
			ReportingMTA: "mx.lab.test", Recipient: "user@ab.test"}, ReasonHostUnknown},
		{"remote MTA named: not local", Facts{Status: "5.0.0", Text: "Unrouteable address", Action: "failed",
			RemoteMTA: "dns; mx.lab.test", ReportingMTA: "relay.example.net", Recipient: "user@lab.test"}, ReasonHostUnknown},
		{"no reporting host", Facts{Status: "5.0.0", Text: "Unrouteable address", Action: "failed",
			Recipient: "user@lab.test"}, ReasonHostUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ClassifyFacts(tt.f); got != tt.want {
				t.Errorf("ClassifyFacts(%+v) = %q, want %q", tt.f, got, tt.want)
			}
		})
	}
}
