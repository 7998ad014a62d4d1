package formats

import "testing"

func TestFmlSamples(t *testing.T) { checkFamily(t, "fml", []string{"fml"}, 0.9) }
