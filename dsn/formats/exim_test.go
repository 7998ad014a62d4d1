package formats

import "testing"

func TestEximSamples(t *testing.T) { checkFamily(t, "exim", []string{"exim"}, 0.9) }

func TestMailRuSamples(t *testing.T) { checkFamily(t, "mailru", []string{"mailru"}, 0.85) }
