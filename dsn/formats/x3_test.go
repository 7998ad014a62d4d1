package formats

import "testing"

func TestX3Samples(t *testing.T) { checkFamily(t, "x3", []string{"x3"}, 0.6) }
