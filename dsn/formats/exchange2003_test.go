package formats

import "testing"

func TestExchange2003Samples(t *testing.T) {
	checkFamily(t, "exchange2003", []string{"exchange2003"}, 0.9)
}
