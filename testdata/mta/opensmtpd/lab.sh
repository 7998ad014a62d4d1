# OpenSMTPD for testdata/mta/generate. The opensmtpd package conflicts with
# Postfix, so it is unpacked (apt-get download + dpkg -x) into the cache and
# run as `smtpd -d -f DIR/smtpd.conf`. What the package's postinst would
# make is made here: the users opensmtpd and opensmtpq, the privsep chroot
# /var/lib/opensmtpd/empty and the queue /var/spool/smtpd (compiled in, so
# only one lab instance runs at a time). Its scheduler waits minutes before
# a retry; `smtpctl schedule all` every second (lab_kick_opensmtpd) makes
# the short queue lifetime count.
lab_osmtpd_root() { echo "$BOUNCENOTE_MTA_CACHE/opensmtpd"; }
lab_install_opensmtpd() {
	local c=$BOUNCENOTE_MTA_CACHE name
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libevent-2.1-7 libssl3 libdb5.3 libpam0g zlib1g >/dev/null
	mkdir -p "$c/debs" && (cd "$c/debs" && apt-get download -qq opensmtpd 2>/dev/null)
	mkdir -p "$(lab_osmtpd_root)"
	dpkg -x "$(ls "$c"/debs/opensmtpd_*.deb | tail -n 1)" "$(lab_osmtpd_root)"
	for name in opensmtpd opensmtpq; do
		getent group "$name" >/dev/null || groupadd --system "$name"
		getent passwd "$name" >/dev/null ||
			useradd --system --gid "$name" --home-dir /var/lib/opensmtpd/empty --no-create-home --shell /usr/sbin/nologin "$name"
	done
}
lab_available_opensmtpd() {
	[ -x "$(lab_osmtpd_root)/usr/sbin/smtpd" ] && getent passwd opensmtpq >/dev/null
}
lab_version_opensmtpd() {
	("$(lab_osmtpd_root)/usr/sbin/smtpd" -h 2>&1 || true) | sed -n 's/^version: OpenSMTPD \([^ ]*\).*/\1/p'
}
lab_start_opensmtpd() {
	local d=$1 here
	here=$(dirname "${BASH_SOURCE[0]}")
	mkdir -p "$d/mail" /var/lib/opensmtpd/empty
	rm -rf /var/spool/smtpd
	sed -e "s#DIR#$d#g" -e "s#PORT#$LAB_PORT#" "$here/smtpd.conf" >"$d/smtpd.conf"
	# QUIRK: OpenSMTPD looks hosts up with AI_ADDRCONFIG, which counts no
	# loopback address, so with only 127.0.0.1 it finds no address family
	# ("No MX found for domain"). A TEST-NET-1 address on the namespace's lo
	# gives it IPv4 and still no way off the machine.
	ip -n "$LAB_NS" addr replace 192.0.2.1/32 dev lo
	# It names itself by gethostname() in Received and Message-ID: a UTS
	# namespace of its own gives it the lab's name instead of the machine's.
	ip netns exec "$LAB_NS" unshare --uts sh -c 'hostname mx.lab.test && exec "$0" "$@"' \
		"$(lab_osmtpd_root)/usr/sbin/smtpd" -d -f "$d/smtpd.conf" >"$d/smtpd.log" 2>&1 &
	echo $! >"$d/smtpd.pid"
	LAB_OSMTPD_DIR=$d
	lab_wait_port || { cat "$d/smtpd.log" >&2; return 1; }
}
lab_kick_opensmtpd() { ip netns exec "$LAB_NS" "$(lab_osmtpd_root)/usr/sbin/smtpctl" schedule all >/dev/null 2>&1 || true; }
lab_stop_opensmtpd() {
	local d=${1:-$LAB_OSMTPD_DIR}
	kill "$(cat "$d/smtpd.pid" 2>/dev/null)" 2>/dev/null
	sleep 0.5
	rm -rf /var/spool/smtpd
	ip -n "$LAB_NS" addr del 192.0.2.1/32 dev lo 2>/dev/null
	true
}
lab_log_opensmtpd() { tail -n 60 "$1/smtpd.log"; }
# Envelope and message ids (16 and 8 hex digits), in Received, Message-Id
# and the MIME boundary.
lab_ids_opensmtpd() {
	printf '%s\n' 'digits/19:boundary="([0-9]{6,})/' 'hex:\b([0-9a-f]{16})\b' 'hex:\b([0-9a-f]{8})\b' 'hex:<([0-9a-f]{8})[.]'
}
