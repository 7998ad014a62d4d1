package formats

import "testing"

func TestNotesSamples(t *testing.T) { checkFamily(t, "notes", []string{"notes"}, 0.6) }
