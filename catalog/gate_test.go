package catalog

import "testing"

// TestGateNeverRefusesAMatch: the packed gates only pass over entries that
// codeScore refuses, for every built-in entry and queries of every code
// shape (exact, other subject, other class, X.Y.0, none, a subject above 63).
func TestGateNeverRefusesAMatch(t *testing.T) {
	queries := []Query{
		{ReplyCode: "550", Status: "5.1.1"}, {ReplyCode: "550", Status: "5.7.1"},
		{ReplyCode: "421", Status: "4.7.0"}, {ReplyCode: "452", Status: "4.2.2"},
		{Status: "5.7.515"}, {Status: "5.4.7"}, {Status: "5.0.0"}, {Status: "2.0.0"},
		{ReplyCode: "554"}, {ReplyCode: "250"}, {ReplyCode: "354"}, {},
		{Status: "5.65.1"}, {Status: "5.1.10"}, {ReplyCode: "550", Status: "4.4.1"},
	}
	c := Builtin()
	gs := c.gates.get(c.entries)
	refused := 0
	for _, q := range queries {
		t.Run(q.ReplyCode+"_"+q.Status, func(t *testing.T) {
			p := prepare(q)
			qg := newQueryGate(&p)
			for i, e := range c.entries {
				_, ok := e.m.codeScore(&p)
				switch may := gs[i].may(qg); {
				case ok && !may:
					t.Errorf("entry %s matches the codes but its gate refuses it", e.ID)
				case !may:
					refused++
				}
			}
		})
	}
	if refused == 0 {
		t.Error("the gates never refuse an entry")
	}
}
