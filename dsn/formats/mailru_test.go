package formats

import "testing"

func TestMailRuSamples(t *testing.T) { checkFamily(t, "mailru", []string{"mailru"}, 0.85) }
