// Package mtacorpus holds only tests: they check that bouncenote reads the
// bounces real MTAs wrote in the lab (testdata/mta/<mta>/bounces, RFC 3464
// delivery status notifications and their text forms) as expected.tsv says.
package mtacorpus
