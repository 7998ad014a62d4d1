package formats

import "testing"

func TestQmailSamples(t *testing.T) { checkFamily(t, "qmail", []string{"qmail"}, 0.9) }
