package formats

import "testing"

func TestMessagingServerSamples(t *testing.T) {
	checkFamily(t, "messagingserver", []string{"messagingserver"}, 0.8)
}

func TestMessagingServerTextOnly(t *testing.T) {
	checkTextOnly(t, "messagingserver", []string{"messagingserver"}, 0.6)
}
