package annotate

import (
	"bytes"
	"flag"
	"github.com/bouncenote/bouncenote/entity"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bouncenote/bouncenote/catalog"
	"github.com/bouncenote/bouncenote/dsn"
)

var update = flag.Bool("update", false, "rewrite golden files and examples/bounces outputs")

// fixedCatalog explains everything the same way, so that golden files test
// this package and not the catalog's current wording.
type fixedCatalog struct{}

func (fixedCatalog) Explain(q catalog.Query, lang string) catalog.Explanation {
	if lang == LangZH {
		return catalog.Explanation{ID: "test", Reason: "userunknown", Permanent: true, Who: catalog.WhoSender,
			Title: "收件人地址不存在", Explanation: "对方服务器表示没有这个邮箱（" + q.Status + "）。",
			Remedy: "请检查地址是否拼写错误，或通过其他方式向对方确认正确地址。", Lang: LangZH}
	}
	return catalog.Explanation{ID: "test", Reason: "userunknown", Permanent: true, Who: catalog.WhoSender,
		Title:       "The recipient's address does not exist",
		Explanation: "The receiving server says it has no mailbox with this address (" + q.Status + ").",
		Remedy:      "Check the address for typing mistakes, or ask the recipient for the right one another way.",
		Lang:        LangEN}
}

// annotateWith runs the annotation step on a given report, bypassing dsn.Parse.
func annotateWith(t testing.TB, raw []byte, rep *dsn.Report, lang string) *Result {
	t.Helper()
	root, err := scan(raw)
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	res := &Result{Report: rep, Output: raw}
	dec := decodedParts{}
	own := ownBlocks(candidates(root, dec), rep, fixedCatalog{})
	annotateReport(raw, root, lang, Options{explain: fixedCatalog{}}, own, dec, res)
	return res
}

func failed(addr, status, reply, diag string) dsn.Recipient {
	return dsn.Recipient{Recipient: addr, Action: dsn.ActionFailed, Status: status, ReplyCode: reply,
		Reason: "userunknown", Diagnostic: diag}
}

var goldenCases = []struct {
	file string
	rep  *dsn.Report
}{
	{"qmail-ascii.eml", &dsn.Report{Kind: dsn.KindFailure, Recipients: []dsn.Recipient{
		failed("kijitora@example.ne.jp", "5.1.1", "550", "550 5.1.1 Unknown user kijitora@example.ne.jp")}}},
	{"qmail-iso2022jp.eml", &dsn.Report{Kind: dsn.KindFailure, Recipients: []dsn.Recipient{
		failed("kijitora@example.ne.jp", "5.1.1", "550", "550 5.1.1 Unknown user")}}},
	{"html-only-qp.eml", &dsn.Report{Kind: dsn.KindFailure, Recipients: []dsn.Recipient{
		failed("kijitora@example.com", "5.1.10", "550", "550 5.1.10 RESOLVER.ADR.RecipientNotFound")}}},
	{"report-alt-base64.eml", &dsn.Report{Kind: dsn.KindFailure, Recipients: []dsn.Recipient{
		failed("kijitora@example.com", "5.1.1", "550", "550 5.1.1 The email account does not exist."),
		{Recipient: "mikeneko@example.com", Action: dsn.ActionDelayed, Status: "4.4.1", Reason: "expired"}}}},
	{"report-gb2312.eml", &dsn.Report{Kind: dsn.KindDelay, Recipients: []dsn.Recipient{
		{Recipient: "kijitora@example.cn", Action: dsn.ActionDelayed, Status: "4.2.2", ReplyCode: "452", Reason: "mailboxfull"}}}},
}

// TestGolden compares annotated outputs with testdata/golden/*.golden
// (regenerate with -update) and checks each is idempotent.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		for _, lang := range []string{LangEN, LangZH, LangAuto} {
			t.Run(c.file+"/"+lang, func(t *testing.T) {
				raw, err := os.ReadFile(filepath.Join("testdata/golden", c.file))
				if err != nil {
					t.Fatal(err)
				}
				res := annotateWith(t, raw, c.rep, lang)
				golden := filepath.Join("testdata/golden", strings.TrimSuffix(c.file, ".eml")+"."+lang+".golden")
				compareGolden(t, golden, res.Output)
				again := annotateWith(t, res.Output, c.rep, lang)
				if !bytes.Equal(again.Output, res.Output) {
					t.Errorf("not idempotent")
				}
				checkPartsPreserved(t, c.file, raw, res.Output)
				checkTopFields(t, c.file, raw, res)
				if got := applyEditsIndependently(t, raw, res); !bytes.Equal(got, res.Output) {
					t.Errorf("Output differs from applying the milter edits")
				}
			})
		}
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update after checking the change)", path)
	}
}

// TestReencode checks the charset and transfer-encoding decisions.
func TestReencode(t *testing.T) {
	rep := goldenCases[1].rep
	raw, err := os.ReadFile("testdata/golden/qmail-iso2022jp.eml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, lang string
		wantSet          []string
	}{
		{"iso-2022-jp becomes utf-8 qp even for ASCII text", "qmail-iso2022jp.eml", LangEN, []string{"Content-Type", "Content-Transfer-Encoding"}},
		{"us-ascii 7bit keeps its encoding for ASCII text", "qmail-ascii.eml", LangEN, nil},
		{"us-ascii 7bit becomes utf-8 qp for Chinese text", "qmail-ascii.eml", LangZH, []string{"Content-Type", "Content-Transfer-Encoding", "MIME-Version"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err = os.ReadFile(filepath.Join("testdata/golden", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			res := annotateWith(t, raw, rep, tc.lang)
			var got []string
			for _, f := range res.SetHeaders {
				got = append(got, f.Name)
			}
			if strings.Join(got, ",") != strings.Join(tc.wantSet, ",") {
				t.Fatalf("SetHeaders %v, want %v", got, tc.wantSet)
			}
			root, err := scan(res.Output)
			if err != nil {
				t.Fatal(err)
			}
			text, err := decodedText(res.Output, root)
			if err != nil {
				t.Fatal(err)
			}
			orig, _ := decodedText(raw, mustScan(t, raw))
			if !bytes.HasSuffix(text, orig) {
				t.Errorf("original text not intact at the end:\n%s", text)
			}
			if tc.wantSet != nil && charsetOf(root) != "utf-8" {
				t.Errorf("charset %q, want utf-8", charsetOf(root))
			}
		})
	}
}

func mustScan(t *testing.T, raw []byte) *entity.Entity {
	t.Helper()
	p, err := scan(raw)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// dsnMessage builds an RFC 3464 report whose recipient and diagnostic are given.
func dsnMessage(rcpt, diag string) []byte {
	return []byte("From: MAILER-DAEMON@mx.example.org\r\n" +
		"To: sender@example.org\r\n" +
		"X-Bounce-Reason: forged\r\n" +
		"Subject: Undelivered Mail Returned to Sender\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n" +
		"\r\n--B\r\n" +
		"Content-Type: text/html; charset=us-ascii\r\n\r\n" +
		"<html><body><p>Your message could not be delivered.</p></body></html>\r\n" +
		"--B\r\n" +
		"Content-Type: message/delivery-status\r\n\r\n" +
		"Reporting-MTA: dns; mx.example.org\r\n\r\n" +
		"Final-Recipient: rfc822; " + rcpt + "\r\n" +
		"Action: failed\r\n" +
		"Status: 5.1.1\r\n" +
		"Diagnostic-Code: smtp; " + diag + "\r\n" +
		"\r\n--B--\r\n")
}

// TestHeaderInjection checks that nothing from the bounce can add a header
// field: raw or encoded CR/LF, fake header lines, forged X-Bounce-* fields.
func TestHeaderInjection(t *testing.T) {
	tests := []struct{ name, diag string }{
		{"folded fake header line", "550 5.1.1 unknown\r\n X-Injected: yes"},
		{"encoded CR LF", "550 5.1.1 =?utf-8?q?unknown=0D=0AX-Injected:_yes?="},
		{"NUL and controls", "550 5.1.1 unknown\x00X-Injected: yes\x1b[31m"},
		{"long", "550 5.1.1 " + strings.Repeat("unknown user ", 200)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := &dsn.Report{Kind: dsn.KindFailure, Recipients: []dsn.Recipient{
				failed("a@example.com", "5.1.1", "550", tc.diag)}}
			raw := dsnMessage("a@example.com", "550 5.1.1 unknown")
			res := annotateWith(t, raw, rep, LangEN)
			checkNoInjection(t, res)
			// The same through the catalog path: its text may quote the diagnostic.
			res2, err := Annotate(dsnMessage("a@example.com", strings.ReplaceAll(tc.diag, "\r\n", "\r\n ")), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkNoInjection(t, res2)
		})
	}
	t.Run("field values", func(t *testing.T) {
		f := headerField(HeaderExplanation, "a\r\nX-Injected: yes\nb\rc\x00d\u2028e", "\r\n")
		if strings.ContainsAny(strings.ReplaceAll(f.Value, "\r\n ", ""), "\r\n\x00\u2028") {
			t.Errorf("control characters left in %q", f.Value)
		}
	})
}

func checkNoInjection(t *testing.T, res *Result) {
	t.Helper()
	root, err := scan(res.Output)
	if err != nil {
		t.Fatal(err)
	}
	bounce := 0
	for _, f := range root.Header.Fields {
		if strings.EqualFold(f.Name, "X-Injected") {
			t.Errorf("injected field found")
		}
		if strings.HasPrefix(strings.ToLower(f.Name), headerPrefix) {
			bounce++
			if f.Value == "forged" {
				t.Errorf("forged X-Bounce-Reason kept")
			}
		}
		if len(f.Value) > 4*MaxHeaderValue {
			t.Errorf("%s value of %d bytes", f.Name, len(f.Value))
		}
	}
	if res.Changed && bounce != len(res.AddHeaders) {
		t.Errorf("%d X-Bounce fields, want %d", bounce, len(res.AddHeaders))
	}
}

// TestHTMLInjection checks that markup from the bounce is escaped.
func TestHTMLInjection(t *testing.T) {
	evil := `<script>alert(1)</script>`
	rep := &dsn.Report{Kind: dsn.KindFailure, Recipients: []dsn.Recipient{
		failed(evil+"@example.com", "5.1.1", "550", "550 5.1.1 "+evil+` <img src=x onerror="alert(2)">`)}}
	for _, lang := range []string{LangEN, LangZH} {
		res := annotateWith(t, dsnMessage("a@example.com", "550 5.1.1 x"), rep, lang)
		root := mustScan(t, res.Output)
		dec, err := decodedText(res.Output, findTargets(root)[0])
		if err != nil {
			t.Fatal(err)
		}
		out := string(dec)
		i, j := strings.Index(out, htmlBegin), strings.Index(out, htmlEnd)
		if i < 0 || j < i {
			t.Fatalf("%s: no HTML block", lang)
		}
		blockHTML := out[i:j]
		if strings.Contains(blockHTML, "<script") || strings.Contains(blockHTML, "<img") {
			t.Errorf("%s: unescaped markup in block", lang)
		}
		if !strings.Contains(blockHTML, "&lt;script&gt;alert(1)&lt;/script&gt;@example.com") {
			t.Errorf("%s: escaped address missing", lang)
		}
		for _, bad := range []string{"http:", "https:", "src=", "url(", "@import"} {
			if strings.Contains(blockHTML[:strings.Index(blockHTML, "&lt;")], bad) {
				t.Errorf("%s: external resource %q in block", lang, bad)
			}
		}
	}
}

// TestFold checks header folding and encoding.
func TestFold(t *testing.T) {
	tests := []struct{ name, value string }{
		{"ascii", strings.Repeat("word ", 40)},
		{"chinese", strings.Repeat("收件人地址不存在，", 20)},
		{"looks encoded", "=?utf-8?q?hello?= plain"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := headerField(HeaderExplanation, tc.value, "\r\n")
			line := f.Name + ": " + f.Value
			for _, l := range strings.Split(line, "\r\n") {
				if len(l) > lineLimit {
					t.Errorf("line of %d: %q", len(l), l)
				}
			}
			if got := entity.DecodeValue(strings.ReplaceAll(f.Value, "\r\n", "")); got != sanitize(tc.value, MaxHeaderValue) {
				t.Errorf("decodes to %q", got)
			}
		})
	}
}

// TestLangAuto checks the language detection on crafted and corpus messages.
func TestLangAuto(t *testing.T) {
	tests := []struct {
		file, want string
	}{
		{"testdata/golden/report-gb2312.eml", LangZH},
		{"testdata/golden/qmail-iso2022jp.eml", LangEN},
		{"testdata/golden/report-alt-base64.eml", LangEN},
		{"../examples/bounces/icewarp-relay-denied.eml", LangZH}, // Chinese Subject of the returned message
		{"../examples/bounces/postfix-user-unknown.eml", LangEN},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			raw, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := dsn.Parse(raw, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := detectLang(mustScan(t, raw), rep); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	html := []byte("From: postmaster@example.cn\nSubject: Undeliverable\nMIME-Version: 1.0\n" +
		"Content-Type: text/html; charset=utf-8\n\n<html><body><table style=\"border-collapse:collapse;font-family:Arial\">" +
		"<tr><td style=\"padding:4px;color:#333333\">您发送的邮件无法投递到以下收件人，收件人邮箱不存在。</td></tr></table></body></html>\n")
	if got := detectLang(mustScan(t, html), &dsn.Report{}); got != LangZH {
		t.Errorf("Chinese HTML inside markup: got %s", got)
	}
	if !mostlyChinese([]byte("您好，这是邮件系统自动发送的退信通知。"), 8) || mostlyChinese([]byte("こんにちは。メールシステムです。配信"), 2) {
		t.Errorf("mostlyChinese misjudges")
	}
}

// TestPassThrough checks that non-bounces come back as the same slice.
func TestPassThrough(t *testing.T) {
	raw := []byte("From: a@example.com\nTo: b@example.com\nX-Bounce-Reason: keep me\nSubject: hi\n\nhello\n")
	res, err := Annotate(raw, Options{Lang: LangAuto})
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed || &res.Output[0] != &raw[0] || res.Body != nil || res.AddHeaders != nil {
		t.Errorf("ordinary mail was changed: %+v", res)
	}
	if _, err := Annotate(raw, Options{Lang: "fr"}); err == nil {
		t.Errorf("unknown language accepted")
	}
}

// TestHeadersOnly checks the milter's --headers-only mode.
func TestHeadersOnly(t *testing.T) {
	raw := dsnMessage("a@example.com", "550 5.1.1 unknown user")
	res, err := Annotate(raw, Options{HeadersOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.Body != nil || res.SetHeaders != nil || len(res.AddHeaders) < 3 {
		t.Fatalf("headers-only result: changed %v body %v", res.Changed, res.Body != nil)
	}
	i := bytes.Index(res.Output, []byte("\r\n\r\n"))
	j := bytes.Index(raw, []byte("\r\n\r\n"))
	if !bytes.Equal(res.Output[i:], raw[j:]) {
		t.Errorf("body changed in headers-only mode")
	}
}

// TestLimits checks that the scanner's limits hold and Annotate falls back
// to headers only.
func TestLimits(t *testing.T) {
	var nest strings.Builder
	for i := 0; i < 30; i++ {
		nest.WriteString("Content-Type: multipart/mixed; boundary=b" + strings.Repeat("z", i) + "\n\n--b" + strings.Repeat("z", i) + "\n")
	}
	if _, err := scan([]byte(nest.String())); err == nil {
		t.Errorf("30 levels of nesting accepted with the default depth 20")
	}
	many := "Content-Type: multipart/mixed; boundary=b\n\n" + strings.Repeat("--b\n\nx\n", 600) + "--b--\n"
	if _, err := scan([]byte(many)); err == nil {
		t.Errorf("600 parts accepted with the default limit 500")
	}
}

// TestMetaUTF8 checks that a re-encoded HTML part's <meta> charset follows.
func TestMetaUTF8(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"http-equiv", `<html><head><meta http-equiv="Content-Type" content="text/html; charset=us-ascii"></head><body>x</body>`,
			`<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>x</body>`},
		{"charset attribute", `<html><head><META CHARSET='iso-2022-jp'></head><body>x</body>`,
			`<html><head><META CHARSET='utf-8'></head><body>x</body>`},
		{"only before the body", `<body><p>charset=latin1 <meta charset="x"></p>`, `<body><p>charset=latin1 <meta charset="x"></p>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(metaUTF8([]byte(tc.in))); got != tc.want {
				t.Errorf("got %s", got)
			}
		})
	}
}

func TestJoinSentences(t *testing.T) {
	tests := []struct{ title, text, want string }{
		{"Mailbox full", "No space left.", "Mailbox full. No space left."},
		{"Mailbox full?", "No space.", "Mailbox full? No space."},
		{"收件人邮箱已满", "对方邮箱没有空间。", "收件人邮箱已满。对方邮箱没有空间。"},
		{"收件人邮箱已满。", "对方邮箱没有空间。", "收件人邮箱已满。对方邮箱没有空间。"},
		{"Title only", "", "Title only"},
	}
	for _, tc := range tests {
		t.Run(tc.title, func(t *testing.T) {
			if got := joinSentences(tc.title, tc.text); got != tc.want {
				t.Errorf("got %q", got)
			}
		})
	}
}

func TestStatusText(t *testing.T) {
	tests := []struct{ status, lang, want string }{
		{"5.1.1 (reply 550)", LangEN, "5.1.1 (reply 550)"},
		{"5.1.1 (reply 550)", LangZH, "5.1.1（SMTP 回复码 550）"},
		{"reply 421", LangZH, "SMTP 回复码 421"},
		{"4.4.7", LangZH, "4.4.7"},
	}
	for _, tc := range tests {
		t.Run(tc.status+"/"+tc.lang, func(t *testing.T) {
			if got := (entry{Status: tc.status}).status(tc.lang); got != tc.want {
				t.Errorf("got %q", got)
			}
		})
	}
}
