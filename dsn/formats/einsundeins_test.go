package formats

import "testing"

func TestEinsUndEinsSamples(t *testing.T) {
	checkFamily(t, "einsundeins", []string{"einsundeins"}, 0.9)
}

func TestGMXSamples(t *testing.T) { checkFamily(t, "gmx", []string{"gmx"}, 0.9) }
