# Postfix for testdata/mta/generate: `postfix -c DIR start` with its own
# queue; Postfix is an ordinary package (apt-get install postfix).
lab_install_postfix() {
	command -v postfix >/dev/null && return 0
	echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix >/dev/null
}
lab_available_postfix() { command -v postfix >/dev/null && [ -f /etc/postfix/master.cf ]; }
lab_version_postfix() { postconf -d -h mail_version 2>/dev/null; }
lab_start_postfix() {
	local d=$1 here
	here=$(dirname "${BASH_SOURCE[0]}")
	mkdir -p "$d/etc" "$d/queue" "$d/data"
	chown postfix "$d/data"
	sed "s#DIR#$d#g" "$here/main.cf" >"$d/etc/main.cf"
	awk -v port="$LAB_PORT" '$1 == "smtp" && $2 == "inet" { print "127.0.0.1:" port " inet n - n - - smtpd"; next } { print }' \
		/etc/postfix/master.cf >"$d/etc/master.cf"
	postconf -c "$d/etc" -F '*/*/chroot = n'
	ip netns exec "$LAB_NS" postfix -c "$d/etc" start
	LAB_POSTFIX_DIR=$d
}
lab_stop_postfix() { postfix -c "${1:-$LAB_POSTFIX_DIR}/etc" stop 2>/dev/null || true; }
lab_log_postfix() { tail -n 60 "$1/maillog"; }
# Queue ids (short form: 10-12 hex digits; in Received, X-Postfix-Queue-ID,
# Message-Id and the MIME boundary, which also has a Unix time).
lab_ids_postfix() {
	printf '%s\n' 'HEX:\b([0-9A-F]{8,12})\b' '[0-9A-F]{8,12}\.([0-9]{9,10})/' '<([0-9]{14})\.'
}
