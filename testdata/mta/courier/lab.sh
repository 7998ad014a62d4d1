# Courier for testdata/mta/generate. courier-mta conflicts with Postfix,
# so courier-base, courier-mta and courier-authdaemon are unpacked
# (apt-get download + dpkg -x); their libraries (libcourier-unicode4,
# courier-authlib) are ordinary packages installed with apt. Courier has
# no option for its paths, so start.sh runs it in a private mount (and UTS)
# namespace with overlays over /etc, /usr/sbin, /usr/lib/courier and
# /var/lib: the host's files are never changed.
lab_courier_root() { echo "$BOUNCENOTE_MTA_CACHE/courier"; }
lab_install_courier() {
	local c=$BOUNCENOTE_MTA_CACHE d
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcourier-unicode4 courier-authlib libnet-cidr-perl \
		libgdbm6 libpcre3 libltdl7 libidn12 >/dev/null
	mkdir -p "$c/debs" && (cd "$c/debs" && apt-get download -qq courier-base courier-mta courier-authdaemon 2>/dev/null)
	rm -rf "$(lab_courier_root)" && mkdir -p "$(lab_courier_root)"
	for d in "$c"/debs/courier-base_*.deb "$c"/debs/courier-mta_*.deb "$c"/debs/courier-authdaemon_*.deb; do
		dpkg -x "$d" "$(lab_courier_root)"
	done
	getent passwd courier >/dev/null ||
		useradd --system --user-group --home-dir /var/lib/courier --no-create-home --shell /usr/sbin/nologin courier
}
lab_available_courier() { [ -x "$(lab_courier_root)/usr/sbin/courier" ] && getent passwd courier >/dev/null && [ -e /usr/lib/libcourierauth.so.0 ]; }
lab_version_courier() { dpkg-deb -f "$(ls "$BOUNCENOTE_MTA_CACHE"/debs/courier-mta_*.deb | tail -n 1)" Version 2>/dev/null; }
lab_start_courier() {
	local d=$1 here r
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	r=$d/root
	mkdir -p "$r"
	cp -a "$(lab_courier_root)/." "$r/"
	cp -a /usr/lib/courier/. "$r/usr/lib/courier/"
	# What update-alternatives would link in the package's postinst.
	ln -sf makedat.courier "$r/usr/bin/makedat"
	chown -R courier:courier "$r/var/lib/courier"
	chmod 0750 "$r/var/lib/courier"/* && chmod 0770 "$r/var/lib/courier/tmp"
	chmod 4755 "$r/usr/lib/courier/courier/submitmkdir" && chown courier "$r/usr/lib/courier/courier/submitmkdir"
	local e=$r/etc/courier
	echo mx.lab.test >"$e/me"
	echo lab.test >"$e/defaultdomain"
	printf 'localhost\nlab.test\nmx.lab.test\n' >"$e/locals"
	printf 'lab.test\nmx.lab.test\n' >"$e/esmtpacceptmailfor"
	printf '127.0.0.1\tallow,RELAYCLIENT\n' >"$e/smtpaccess/default"
	echo 'MAILER-DAEMON@lab.test' >"$e/dsnfrom"
	# Short queue lifetimes: a delay warning, then the failure.
	echo 40 >"$e/queuetime"
	echo 20 >"$e/warntime"
	echo 1 >"$e/retryalpha"
	echo 1 >"$e/retrybeta"
	echo 10 >"$e/retrygamma"
	echo 5 >"$e/retrymaxdelta"
	sed -i -e "s/^PORT=.*/PORT=$LAB_PORT/" -e 's/^TARPIT=.*/TARPIT=0/' -e 's/^BOFHCHECKDNS=.*/BOFHCHECKDNS=0/' "$e/esmtpd"
	printf 'ADDRESS=127.0.0.1\nESMTPDSTART=YES\n' >>"$e/esmtpd"
	ip netns exec "$LAB_NS" unshare -m -u --propagation private sh -c \
		"sh '$here/start.sh' '$d'" >"$d/start.log" 2>&1 ||
		{ cat "$d/start.log" >&2; return 1; }
	LAB_COURIER_DIR=$d
}
lab_stop_courier() { true; } # generate's stop_leftovers ends its processes
lab_log_courier() { cat "$1/start.log"; }
lab_ids_courier() {
	printf '%s\n' 'HEX:\b([0-9A-F]{16}\.[0-9A-F]{16}\.[0-9A-F]{8})\b' 'HEX:courier\.([0-9A-F]{16}\.[0-9A-F]{8})@'
}
