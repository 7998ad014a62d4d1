package formats

import "testing"

func TestDominoSamples(t *testing.T) { checkFamily(t, "domino", []string{"domino"}, 0.6) }
