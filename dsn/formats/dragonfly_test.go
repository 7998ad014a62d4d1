package formats

import "testing"

func TestDragonFlySamples(t *testing.T) { checkFamily(t, "dragonfly", []string{"dragonfly"}, 0.9) }
