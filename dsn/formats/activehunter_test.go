package formats

import "testing"

func TestActiveHunterSamples(t *testing.T) {
	checkFamily(t, "activehunter", []string{"activehunter"}, 0.9)
}
