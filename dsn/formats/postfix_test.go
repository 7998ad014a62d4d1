package formats

import "testing"

func TestPostfixSamples(t *testing.T) { checkFamily(t, "postfix", []string{"postfix"}, 0.9) }

func TestPostfixTextOnly(t *testing.T) { checkTextOnly(t, "postfix", []string{"postfix"}, 0.5) }
