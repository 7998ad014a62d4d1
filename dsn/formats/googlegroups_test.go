package formats

import (
	"testing"

	"github.com/bouncenote/bouncenote/dsn"
)

func TestGoogleGroupsCorpus(t *testing.T) {
	pvCheckFamily(t, []string{"googlegroups"}, nil, "lhost-googlegroups-")
}

// TestGoogleGroupsRecipients: the refused group comes from
// X-Failed-Recipients, else from the returned message's googlegroups.com
// recipients; a notice without either is not read.
func TestGoogleGroupsRecipients(t *testing.T) {
	const notice = "Hello s@example.jp,\n\nWe're writing to let you know that the group you tried to contact (g) may not exist.\n\nThanks,\n\nGoogle Groups\n"
	cases := []struct {
		name, header, body string
		want               string
	}{
		{"x-failed-recipients", "X-Failed-Recipients: g@googlegroups.com\n", notice, "g@googlegroups.com"},
		{"returned message", "Content-Type: multipart/mixed; boundary=b\n",
			"--b\nContent-Type: text/plain\n\n" + notice + "\n--b\nContent-Type: message/rfc822\n\nTo: g@googlegroups.com, x@example.org\nSubject: hi\n\nbody\n--b--\n", "g@googlegroups.com"},
		{"no group", "", notice, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification (Failure)\n" + c.header + "\n" + c.body
			m, err := dsn.NewMessage([]byte(raw), nil)
			if err != nil {
				t.Fatal(err)
			}
			r, ok := (googleGroups{}).Parse(m)
			switch {
			case c.want == "" && ok:
				t.Fatalf("accepted: %+v", r.Recipients)
			case c.want == "":
			case !ok || len(r.Recipients) != 1 || r.Recipients[0].Recipient != c.want || r.Recipients[0].Reason != "rejected":
				t.Fatalf("got ok=%v %+v, want %s rejected", ok, r, c.want)
			}
		})
	}
}
