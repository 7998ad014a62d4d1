package formats

import "testing"

func TestCourierSamples(t *testing.T) { checkFamily(t, "courier", []string{"courier"}, 0.9) }

func TestCourierTextOnly(t *testing.T) { checkTextOnly(t, "courier", []string{"courier"}, 0.9) }
