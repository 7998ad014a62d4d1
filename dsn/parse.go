package dsn

// Parse reads one raw message (any line ending) into a Report. A message that
// is not a bounce gives a Report of KindNone and no error. It builds a
// Message (NewMessage) and tries every registered Format in order (see
// format.go); the first that recognises the message gives the Report, which
// is then finished (Finish) and checked against Limits.MaxRecipients.
// Errors wrap ErrLimit or ErrMalformed.
func Parse(raw []byte, opts *Options) (*Report, error) {
	m, err := NewMessage(raw, opts)
	if err != nil {
		return nil, err
	}
	return ParseMessage(m)
}

// ParseMessage is Parse for an already built Message.
func ParseMessage(m *Message) (*Report, error) {
	for _, f := range formats() {
		r, ok := f.Parse(m)
		if !ok || r == nil {
			continue
		}
		if len(r.Recipients) > m.Limits.MaxRecipients {
			return nil, errTooManyRecipients(len(r.Recipients), m.Limits.MaxRecipients)
		}
		if r.Format == "" {
			r.Format = f.Name()
		}
		fillOriginal(r, m)
		Finish(r)
		return r, nil
	}
	r := &Report{Kind: KindNone}
	Finish(r)
	return r, nil
}

// fillOriginal copies the returned message's headers into r.Original where
// the Format left them empty.
func fillOriginal(r *Report, m *Message) {
	if m.Original == nil {
		return
	}
	o := &r.Original
	set := func(dst *string, name string) {
		if *dst == "" {
			*dst = m.Original.Get(name)
		}
	}
	set(&o.MessageID, "Message-ID")
	set(&o.Subject, "Subject")
	set(&o.From, "From")
	set(&o.To, "To")
}
