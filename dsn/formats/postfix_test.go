package formats

import "testing"

func TestPostfixSamples(t *testing.T) { checkFamily(t, "postfix", []string{"postfix"}, 0.9) }
