package formats

import "testing"

func TestX6Samples(t *testing.T) { checkFamily(t, "x6", []string{"x6"}, 0.5) }
