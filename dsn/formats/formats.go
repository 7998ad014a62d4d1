// Package formats reads the non-standard bounce layouts of real mail systems
// (qmail, Exim, Sendmail, Exchange, ...) that RFC 3464 / RFC 6522 do not
// cover. Each family lives in its own file and registers a dsn.Format from
// an init function (see the framework comment in dsn/format.go); import this
// package for its side effect to enable them.
//
// Families and the order in which they are tried (dsn.OrderRFC3464 = 20,
// dsn.OrderText = 100; equal orders by name). Specific layouts come before
// the generic ones they resemble; families whose delivery-status part
// says less than their text run before the RFC 3464 reader:
//
//	 15  amazonworkmail Amazon WorkMail (X-Mailer): the appended last remote reply wins
//	 15  exchange      Exchange 2007+ / Exchange Online "Delivery has failed to these recipients or groups:"
//	 15  ezweb         au EZweb "Mail System Error - Returned Mail" (also its 5.0.0-only reports)
//	 15  google        Gmail / Workspace reports without Diagnostic-Code: reply or notice from the text
//	 15  opensmtpd     OpenSMTPD "This is the MAILER-DAEMON, please DO NOT REPLY"
//	 16  sendmail      Sendmail 8 "The following addresses had permanent fatal errors"
//	 17  x3            unnamed MTA "This is an automatically generated Delivery Status Notification"
//	 30  amazonses     Amazon SES JSON notifications via SNS (bounce, complaint, delivery)
//	105  dovecot       Dovecot / Pigeonhole rejections sent as disposition notifications ("deleted")
//	105  activehunter  Active!hunter (X-AHMAILID)
//	108  apachejames   Apache James "Error message below:" ... "Message details:"
//	109  fml           fml mailing list notices (not member, loop alert)
//	110  mailru        Mail.Ru (Exim with a Russian intro)
//	115  gmx           GMX, mail.com, web.de (1&1 layout)
//	115  mxlogic       MX Logic / McAfee SaaS (Exim-like, reply on the address line)
//	116  einsundeins   1&1 / IONOS "--- The header of the original message is following. ---"
//	120  exim          Exim "The following address(es) failed:"
//	120  gmail         Gmail plain text "Delivery to the following recipient failed permanently:"
//	120  googlegroups  Google Groups posting refusals (any language)
//	120  kddi          au one net / KDDI "Could not be delivered to: <addr>"
//	120  mfilter       Digital Arts m-FILTER "-------server message"
//	120  mimecast      Mimecast text alerts "-- addr" items
//	120  trendmicro    Trend Micro InterScan MSS "Sent <<< RCPT TO:" / "Received >>>"
//	120  verizon       Verizon MMS/SMS gateways (vtext.com, vzwpix.com)
//	120  yahoo         Yahoo! Mail "Sorry, we were unable to deliver your message"
//	120  zoho          Zoho Mail "ERROR_CODE :550"
//	125  biglobe       BIGLOBE "----- Non-delivered information -----"
//	130  dragonfly     DragonFly Mail Agent (dma)
//	132  exchange2003  Exchange 5.5-2003 IMS "did not reach the following recipient(s):"
//	135  domino        HCL/IBM Domino "was not delivered to: ... because:"
//	136  notes         Lotus Notes SMTP MTA "------- Failure Reasons --------"
//	137  imailserver   Ipswitch IMail (X-Mailer: <SMTP32 ...>) "Unknown user: addr"
//	138  mailfoundry   MailFoundry "Unable to deliver message to: <addr>"
//	139  mailmarshal   MailMarshal "The following recipients were affected:"
//	140  qmail         qmail-send and forks "Hi. This is the qmail-send program"
//	141  x1            unnamed MTA "---The following addresses had delivery errors---"
//	142  x2            unnamed qmail-like "Unable to deliver message to the following address(es)."
//	144  x4            qmail with a replaced greeting "Your mail message to the following address(es)"
//	145  courier       Courier text "running the Courier mail server"
//	146  x6            unnamed MTA "We had trouble delivering your message."
//	147  messagingserver  Sun/Oracle Messaging Server "Recipient address:" text
//	160  v5sendmail    Sendmail 5 / no-DSN transcripts "----- Unsent message follows -----"
//	170  postfix       Postfix text without delivery-status; smtpd error notices
//	170  legacy rows   one Format each (legacy.go): mdaemon, mdaemon-local, cdo, smartermail,
//	                   smail, usanet, e500, postoffice, netscape, phquery, aol, exchange2000,
//	                   mimesweeper
//	175  exchange2007  Exchange 2007+ text "Generating server:" (localised labels)
//	185  exim-header   Exim with a replaced text: X-Failed-Recipients + Exim's Received
//	900  fallback      unknown systems: mail-system sender, a failure sentence,
//	                   an address line with an SMTP code (or alone on its line),
//	                   else the addresses its failure or invalid-address
//	                   sentences name; delay warnings are delays
package formats
