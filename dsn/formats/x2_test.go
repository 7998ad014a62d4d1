package formats

import "testing"

func TestX2Samples(t *testing.T) { checkFamily(t, "x2", []string{"x2"}, 0.5) }
