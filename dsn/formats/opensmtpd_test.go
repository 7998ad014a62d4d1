package formats

import "testing"

func TestOpenSMTPDSamples(t *testing.T) { checkFamily(t, "opensmtpd", []string{"opensmtpd"}, 0.9) }
