package literal

import (
	"strings"
	"testing"
)

// BenchmarkScan measures Index.Scan (MB/s) over a long diagnostic-like
// text with a few hundred reason phrases as needles.
func BenchmarkScan(b *testing.B) {
	bld := NewBuilder()
	words := strings.Fields("mailbox full quota exceeded user unknown no such user relay access denied spam blocked blacklisted rbl policy rejected message too large over quota does not exist unknown recipient address rejected domain not found host unknown too many connections try again later authentication required spf dkim dmarc failed content rejected virus detected")
	for i := range words {
		for j := i + 1; j < len(words) && j < i+4; j++ {
			bld.Add(strings.Join(words[i:j], " "))
		}
	}
	x := bld.Build()
	text := strings.Repeat("the email account that you tried to reach does not exist. please try double-checking the recipient's email address for typos. ", 8000)
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		x.Scan(text)
	}
}

// BenchmarkBuild measures building an Index of some 1,300 phrases of
// diagnostic-like words, about the size of dsn's reason table, which every
// start of the program that classifies a diagnostic builds.
func BenchmarkBuild(b *testing.B) {
	words := strings.Fields("mailbox full quota exceeded user unknown no such user relay access denied spam blocked blacklisted rbl policy rejected message too large over quota does not exist unknown recipient address rejected domain not found host unknown too many connections try again later authentication required spf dkim dmarc failed content rejected virus detected")
	var phrases []string
	for i := range words {
		for j := range words {
			for k := range 2 {
				phrases = append(phrases, words[i]+" "+words[j]+strings.Repeat(" "+words[(i+j+k)%len(words)], k))
			}
		}
	}
	phrases = phrases[:1300]
	b.ReportAllocs()
	for b.Loop() {
		bld := NewBuilder()
		for _, p := range phrases {
			bld.Add(p)
		}
		bld.Build()
	}
}
