package dsn

import "testing"

func TestStripAnnotation(t *testing.T) {
	tests := []struct {
		name, ct, in, want string
	}{
		{"text block", TypePlain,
			"\n" + AnnotationTextBegin + "why -----\n\nRecipient: a@b.example\n  gone\n\n" + AnnotationTextEnd + ": the original notice follows -----\n\nHi!\n",
			"\nHi!\n"},
		{"html block", TypeHTML,
			"<html><body>" + AnnotationHTMLBegin + "<p>explained</p>" + AnnotationHTMLEnd + "\n<p>Delivery failed</p>",
			"<html><body><p>Delivery failed</p>"},
		{"begin without end stays", TypePlain, AnnotationTextBegin + "x\nHi!\n", AnnotationTextBegin + "x\nHi!\n"},
		{"marker not at line start stays", TypePlain, "quoted " + AnnotationTextBegin + "\n" + AnnotationTextEnd + "\n", "quoted " + AnnotationTextBegin + "\n" + AnnotationTextEnd + "\n"},
		{"block not at the start stays", TypePlain, "Hi\n" + AnnotationTextBegin + "x -----\n" + AnnotationTextEnd + "\nrest\n", "Hi\n" + AnnotationTextBegin + "x -----\n" + AnnotationTextEnd + "\nrest\n"},
		{"no block", TypePlain, "This is the mail system\n", "This is the mail system\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stripAnnotation(tt.in, tt.ct); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
