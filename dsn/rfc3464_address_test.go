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

// TestDeliveryStatusQualifiedFromOriginal: a bare or channel Final-Recipient
// without Original-Recipient takes the returned message's address with
// the same local part.
func TestDeliveryStatusQualifiedFromOriginal(t *testing.T) {
	raw := "From: MAILER-DAEMON@mx.example.com\nSubject: Delivery Notification\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=B\n\n" +
		"--B\nContent-Type: text/plain\n\nQuota exceeded.\n" +
		"--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\n" +
		"Final-Recipient: rfc822; user@ims-ms-daemon\nAction: failed\nStatus: 5.2.2\n\n" +
		"--B\nContent-Type: text/rfc822-headers\n\nFrom: list@example.org\nTo: User <user@example.com>\nSubject: hi\n\n--B--\n"
	r, err := Parse([]byte(raw), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Recipients) != 1 || r.Recipients[0].Recipient != "user@example.com" {
		t.Errorf("got %+v", r.Recipients)
	}
}
