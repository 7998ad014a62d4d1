package formats

import "testing"

func TestBiglobeSamples(t *testing.T) { checkFamily(t, "biglobe", []string{"biglobe"}, 0.6) }
