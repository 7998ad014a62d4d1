package formats

import "testing"

func TestIMailServerSamples(t *testing.T) {
	checkFamily(t, "imailserver", []string{"imailserver"}, 0.6)
}
