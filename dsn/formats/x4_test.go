package formats

import "testing"

func TestX4Samples(t *testing.T) { checkFamily(t, "x4", []string{"x4"}, 0.5) }
