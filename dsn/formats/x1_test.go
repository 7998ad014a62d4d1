package formats

import "testing"

func TestX1Samples(t *testing.T) { checkFamily(t, "x1", []string{"x1"}, 0.5) }
