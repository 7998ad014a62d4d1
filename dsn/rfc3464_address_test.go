package dsn

import "testing"

// TestDeliveryStatusForeignFinalRecipient: a Final-Recipient that is an
// internal channel address or an X.400 O/R address gives way to the
// Internet Original-Recipient; alone, the X.400 RFC-822 attribute is
// decoded.
func TestDeliveryStatusForeignFinalRecipient(t *testing.T) {
	tests := []struct{ name, fields, want string }{
		{"channel address", "Original-recipient: rfc822;user@example.com\nFinal-recipient: rfc822;user@ims-ms-daemon\nAction: failed\nStatus: 5.0.0\n", "user@example.com"},
		{"x400 with original", "Original-Recipient: rfc822; user@example.com\nFinal-Recipient: x400; /RFC-822=other(a)example.net/ADMD= /C=WW/\nAction: failed\nStatus: 5.0.0\n", "user@example.com"},
		{"x400 alone", "Final-Recipient: x400; /RFC-822=user(a)example.net/ADMD= /C=WW/\nAction: failed\nStatus: 5.0.0\n", "user@example.net"},
		{"ordinary final wins", "Original-Recipient: rfc822; alias@example.com\nFinal-Recipient: rfc822; user@mail.example.com\nAction: failed\nStatus: 5.1.1\n", "user@mail.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Report
			ParseDeliveryStatus("Reporting-MTA: dns; mx.example.com\n\n"+tt.fields, &r)
			if len(r.Recipients) != 1 || r.Recipients[0].Recipient != tt.want {
				t.Errorf("got %+v", r.Recipients)
			}
		})
	}
}
