# Sendmail for testdata/mta/generate. Debian's sendmail-bin conflicts with
# Postfix as the system MTA, so unpack.sh fetches the packages with apt-get
# download and unpacks them with dpkg -x into $BOUNCENOTE_MTA_CACHE/sendmail;
# the daemon runs from there (`sendmail -C DIR/sendmail.cf -bD`) with its own
# queue, aliases and pid file, listening on 127.0.0.1:$LAB_PORT.
lab_sendmail_root() { echo "$BOUNCENOTE_MTA_CACHE/sendmail/root"; }
lab_sendmail_bin() { echo "$(lab_sendmail_root)/usr/libexec/sendmail/sendmail"; }
lab_install_sendmail() { "$(dirname "${BASH_SOURCE[0]}")/unpack.sh" "$BOUNCENOTE_MTA_CACHE" >/dev/null; }
lab_available_sendmail() { [ -x "$(lab_sendmail_bin)" ] && command -v m4 >/dev/null; }
# The package version (running sendmail outside the lab would look up names).
lab_version_sendmail() { echo "Sendmail $(dpkg-deb -f "$BOUNCENOTE_MTA_CACHE"/sendmail/debs/sendmail-bin_*.deb Version)"; }
# lab_sendmail DIR ARGS: runs sendmail in a UTS namespace named mx.lab.test
# inside the lab's network namespace. QUIRK: Sendmail sleeps a minute at
# start when the machine's host name has no dot and does not resolve.
lab_sendmail() {
	local d=$1
	shift
	ip netns exec "$LAB_NS" unshare --uts sh -c 'hostname mx.lab.test && exec "$@"' sh \
		"$(lab_sendmail_bin)" -C "$d/sendmail.cf" "$@"
}
lab_start_sendmail() {
	local d=$1 root cf
	root=$(lab_sendmail_root)
	cf=$root/usr/share/sendmail/cf
	mkdir -p "$d/queue"
	chmod 700 "$d/queue"
	chmod 755 "$d"
	# Whatever Sendmail would send to root or postmaster (a double bounce)
	# goes to the sink, never to mail.local and the machine's /var/mail.
	printf 'postmaster: postmaster@sink.test\nroot: postmaster@sink.test\nMAILER-DAEMON: postmaster\n' >"$d/aliases"
	sed -e "s#@DIR@#$d#g" -e "s#@ROOT@#$root#g" -e "s#@PORT@#$LAB_PORT#g" \
		"$(dirname "${BASH_SOURCE[0]}")/sendmail.mc" >"$d/sendmail.mc"
	m4 -D_CF_DIR_="$cf/" "$cf/m4/cf.m4" "$d/sendmail.mc" >"$d/sendmail.cf"
	lab_sendmail "$d" -bi >/dev/null
	lab_sendmail "$d" -bD -q10s </dev/null >"$d/daemon.log" 2>&1 &
	LAB_SENDMAIL_PID=$!
	LAB_SENDMAIL_DIR=$d
	for _ in $(seq 100); do
		ip netns exec "$LAB_NS" bash -c "exec 3<>/dev/tcp/127.0.0.1/$LAB_PORT" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "sendmail did not start; $(cat "$d/daemon.log")" >&2
	return 1
}
lab_stop_sendmail() {
	local d=${1:-$LAB_SENDMAIL_DIR} pid
	pid=$(head -1 "$d/sendmail.pid" 2>/dev/null) || true
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "${LAB_SENDMAIL_PID:-}" ] && kill "$LAB_SENDMAIL_PID" 2>/dev/null
	return 0
}
# No syslog in the lab: the queue is the log.
lab_log_sendmail() { lab_sendmail "$1" -bp 2>&1; head -n 40 "$1"/queue/qf* 2>/dev/null; }
# Queue ids: 8 base-60 characters of date and sequence, then the pid (in
# Received, Message-Id and the MIME boundary, which also has a Unix time),
# and the time (YYYYMMDDhhmm) in Sendmail's Message-Id.
lab_ids_sendmail() {
	printf '%s\n' 'b62/14:\b([0-9A-Za-x]{8}[0-9]{5,7})\b' 'digits/10:[0-9A-Za-x]{8}[0-9]{5,7}\.([0-9]{9,10})/' \
		'digits/12:<([0-9]{12})\.'
}
