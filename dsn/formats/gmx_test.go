package formats

import "testing"

func TestGMXSamples(t *testing.T) { checkFamily(t, "gmx", []string{"gmx"}, 0.9) }
