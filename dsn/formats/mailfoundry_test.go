package formats

import "testing"

func TestMailFoundrySamples(t *testing.T) {
	checkFamily(t, "mailfoundry", []string{"mailfoundry"}, 0.6)
}
