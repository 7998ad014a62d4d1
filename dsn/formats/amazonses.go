package formats

import (
	"encoding/json"
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
)

// amazonSES reads the JSON notifications of Amazon SES (Simple Email
// Service) that Amazon SNS mails to a subscribed address, either wrapped
// in the SNS envelope ({"Type":"Notification", "Message":"{...}"}) or as
// the bare SES object:
//
//	{"notificationType":"Bounce","bounce":{"bounceType":"Permanent",
//	 "bouncedRecipients":[{"emailAddress":"u@example.com","action":"failed",
//	 "status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],
//	 "reportingMTA":"dsn; a27-33.smtp-out.us-west-2.amazonses.com"},
//	 "mail":{...,"commonHeaders":{"from":[...],"to":[...],"subject":"..."}}}
//
// Complaint notifications become feedback reports, Delivery notifications
// success reports. SES's own RFC 3464 bounces are read by the standard
// reader. See https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
type amazonSES struct{}

func init() { dsn.Register(dsn.OrderEarly, amazonSES{}) }

func (amazonSES) Name() string { return "amazonses" }

// sesMarks are the header fields of mail sent by SNS (X-SES-Outgoing is
// on all mail SES sends, so it does not count).
var sesMarks = []string{"X-Amz-Sns-Message-Id", "X-Amz-Sns-Subscription-Arn"}

// SES notification types (notificationType; eventType in event publishing).
const (
	sesBounce    = "Bounce"
	sesComplaint = "Complaint"
	sesDelivery  = "Delivery"
)

// sesPayload is the part of an SES notification that matters here.
type sesPayload struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`
	Bounce           struct {
		BounceType        string `json:"bounceType"`
		BounceSubType     string `json:"bounceSubType"`
		ReportingMTA      string `json:"reportingMTA"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Action         string `json:"action"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint struct {
		ComplainedRecipients []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
		ComplaintFeedbackType string `json:"complaintFeedbackType"`
	} `json:"complaint"`
	Delivery struct {
		Recipients   []string `json:"recipients"`
		SMTPResponse string   `json:"smtpResponse"`
		ReportingMTA string   `json:"reportingMTA"`
		RemoteMtaIP  string   `json:"remoteMtaIp"`
	} `json:"delivery"`
	Mail struct {
		MessageID     string `json:"messageId"`
		CommonHeaders struct {
			From      []string `json:"from"`
			To        []string `json:"to"`
			Subject   string   `json:"subject"`
			MessageID string   `json:"messageId"`
		} `json:"commonHeaders"`
	} `json:"mail"`
}

// sesSubTypeReasons are the bounce subtypes that name the reason when the
// recipient has no diagnostic of its own.
var sesSubTypeReasons = map[string]string{
	"MailboxFull":              "mailboxfull",
	"MessageTooLarge":          "mesgtoobig",
	"Suppressed":               "suppressed",
	"OnAccountSuppressionList": "suppressed",
}

func (amazonSES) Parse(m *dsn.Message) (*dsn.Report, bool) {
	if !sesMarked(m) {
		return nil, false
	}
	p, ok := sesDecode(m.BodyText())
	if !ok {
		return nil, false
	}
	var r *dsn.Report
	switch p.NotificationType {
	case sesBounce:
		r = sesBounceReport(p)
	case sesComplaint:
		r = sesComplaintReport(p)
	case sesDelivery:
		r = sesDeliveryReport(p)
	}
	if r == nil || len(r.Recipients) == 0 {
		return nil, false
	}
	h := p.Mail.CommonHeaders
	r.Original = dsn.Original{MessageID: h.MessageID, Subject: h.Subject,
		From: strings.Join(h.From, ", "), To: strings.Join(h.To, ", ")}
	return r, true
}

// sesMarked reports whether the message was sent by SNS for SES.
func sesMarked(m *dsn.Message) bool {
	for _, n := range sesMarks {
		if m.Header.Has(n) {
			return true
		}
	}
	return pvFromHas(m, "@sns.amazonaws.com")
}

// sesDecode finds the JSON object in text, unwraps the SNS envelope and
// returns the SES notification. QUIRK: SNS folds lines longer than about
// 1000 characters as "!" + line break + space; the fold is removed first.
func sesDecode(text string) (*sesPayload, bool) {
	i := strings.IndexByte(text, '{')
	if i < 0 {
		return nil, false
	}
	body := strings.ReplaceAll(text[i:], "!\n ", "")
	var env struct {
		Message json.RawMessage `json:"Message"`
	}
	if err := json.NewDecoder(strings.NewReader(body)).Decode(&env); err != nil {
		return nil, false
	}
	raw := []byte(body)
	if len(env.Message) > 0 {
		var inner string
		if err := json.Unmarshal(env.Message, &inner); err != nil {
			return nil, false
		}
		raw = []byte(inner)
	}
	var p sesPayload
	if err := json.NewDecoder(strings.NewReader(string(raw))).Decode(&p); err != nil {
		return nil, false
	}
	if p.NotificationType == "" {
		p.NotificationType = p.EventType
	}
	return &p, true
}

// sesBounceReport turns a Bounce notification into a failure report.
func sesBounceReport(p *sesPayload) *dsn.Report {
	b := p.Bounce
	r := &dsn.Report{ReportingMTA: sesTyped(b.ReportingMTA)}
	for _, br := range b.BouncedRecipients {
		a := dsn.FindAddress(br.EmailAddress)
		if a == "" {
			continue
		}
		rc := dsn.Recipient{Recipient: a, Status: dsn.FindStatus(br.Status), Action: dsn.ActionFailed}
		if strings.EqualFold(br.Action, string(dsn.ActionDelayed)) {
			rc.Action = dsn.ActionDelayed
		}
		if t, d, ok := strings.Cut(br.DiagnosticCode, ";"); ok && !strings.ContainsAny(strings.TrimSpace(t), " <@") {
			rc.DiagnosticType, rc.Diagnostic = strings.ToLower(strings.TrimSpace(t)), strings.TrimSpace(d)
		} else {
			rc.Diagnostic = strings.TrimSpace(br.DiagnosticCode)
		}
		if rc.Diagnostic == "" {
			rc.Reason = sesSubTypeReasons[b.BounceSubType]
			rc.Diagnostic = strings.TrimSpace(b.BounceType + " " + b.BounceSubType)
		}
		r.Recipients = append(r.Recipients, rc)
	}
	pvDefaultStatuses(r)
	return r
}

// sesComplaintReport turns a Complaint notification into a feedback report
// (RFC 5965 in spirit: the complaint's feedback type is kept).
func sesComplaintReport(p *sesPayload) *dsn.Report {
	c := p.Complaint
	r := &dsn.Report{Kind: dsn.KindFeedback, FeedbackType: strings.ToLower(c.ComplaintFeedbackType)}
	for _, cr := range c.ComplainedRecipients {
		if a := dsn.FindAddress(cr.EmailAddress); a != "" {
			r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: a, Diagnostic: r.FeedbackType})
		}
	}
	return r
}

// sesDeliveryReport turns a Delivery notification into a success report.
func sesDeliveryReport(p *sesPayload) *dsn.Report {
	d := p.Delivery
	r := &dsn.Report{ReportingMTA: sesTyped(d.ReportingMTA)}
	for _, a := range d.Recipients {
		if a = dsn.FindAddress(a); a != "" {
			r.Recipients = append(r.Recipients, dsn.Recipient{Recipient: a, Action: dsn.ActionDelivered,
				Diagnostic: d.SMTPResponse, DiagnosticType: "smtp", RemoteMTA: d.RemoteMtaIP})
		}
	}
	return r
}

// sesTyped strips the "dsn;" type SES writes before host names.
func sesTyped(v string) string {
	if t, rest, ok := strings.Cut(v, ";"); ok && !strings.Contains(strings.TrimSpace(t), " ") {
		return strings.TrimSpace(rest)
	}
	return strings.TrimSpace(v)
}
