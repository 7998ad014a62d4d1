package formats

import "testing"

func TestEinsUndEinsSamples(t *testing.T) {
	checkFamily(t, "einsundeins", []string{"einsundeins"}, 0.9)
}
