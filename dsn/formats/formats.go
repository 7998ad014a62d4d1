// Package formats reads the non-standard bounce layouts of real mail systems
// (qmail, Exim, Sendmail, Exchange, ...) that RFC 3464 / RFC 6522 do not
// cover. Each family lives in its own file and registers a dsn.Format from
// an init function (see the framework comment in dsn/format.go); import this
// package for its side effect to enable them.
package formats
