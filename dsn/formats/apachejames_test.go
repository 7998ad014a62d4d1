package formats

import "testing"

func TestApacheJamesSamples(t *testing.T) {
	checkFamily(t, "apachejames", []string{"apachejames"}, 0.9)
}
