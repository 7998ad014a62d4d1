// Package formats reads the non-standard bounce layouts of real mail systems
// (qmail, Exim, Sendmail, Exchange, ...) that RFC 3464 / RFC 6522 do not
// cover. Each family lives in its own file and registers a dsn.Format from
// an init function (see the framework comment in dsn/format.go); import this
// package for its side effect to enable them.
//
// Families and the order in which they are tried (dsn.OrderText = 100;
// equal orders by name). Specific layouts come before the generic ones
// they resemble:
//
//	110  mailru        Mail.Ru (Exim with a Russian intro)
//	120  exim          Exim "The following address(es) failed:"
//	130  dragonfly     DragonFly Mail Agent (dma)
//	140  qmail         qmail-send and forks "Hi. This is the qmail-send program"
package formats
