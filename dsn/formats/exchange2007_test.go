package formats

import "testing"

func TestExchange2007Samples(t *testing.T) {
	checkFamily(t, "exchange2007", []string{"exchange2007"}, 0.8)
}

func TestExchange2007TextOnly(t *testing.T) {
	checkTextOnly(t, "exchange2007", []string{"exchange", "exchange2007"}, 0.6)
}
