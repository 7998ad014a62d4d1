package formats

import "testing"

func TestV5SendmailSamples(t *testing.T) { checkFamily(t, "v5sendmail", []string{"v5sendmail"}, 0.5) }
