# Exim for testdata/mta/generate. exim4-daemon-light conflicts with Postfix,
# so it is unpacked (apt-get download + dpkg -x) into the cache and run as
# `exim -C DIR/exim.conf -bd -q1s -oX PORT` with its own spool; its shared
# libraries are ordinary packages installed beside Postfix.
lab_exim_root() { echo "$BOUNCENOTE_MTA_CACHE/exim4"; }
lab_exim_bin() { echo "$(lab_exim_root)/usr/sbin/exim4"; }
lab_install_exim() {
	local c=$BOUNCENOTE_MTA_CACHE
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgnutls-dane0 libgnutls30 libidn12 libidn2-0 \
		libnsl2 libdb5.3 libpcre2-8-0 libcrypt1 >/dev/null
	# The binary has its user compiled in; the package's postinst makes it.
	getent passwd Debian-exim >/dev/null ||
		useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin Debian-exim
	mkdir -p "$c/debs" && (cd "$c/debs" && apt-get download -qq exim4-daemon-light exim4-base 2>/dev/null)
	mkdir -p "$(lab_exim_root)"
	for d in "$c"/debs/exim4-daemon-light_*.deb "$c"/debs/exim4-base_*.deb; do dpkg -x "$d" "$(lab_exim_root)"; done
}
lab_exim_version_text() { "$(lab_exim_bin)" -bV 2>/dev/null || true; }
lab_available_exim() { [ -x "$(lab_exim_bin)" ] && [[ $(lab_exim_version_text) == "Exim version"* ]]; }
lab_version_exim() { lab_exim_version_text | sed -n 's/^Exim version \([^ ]*\).*/\1/p'; }
lab_start_exim() {
	local d=$1 here
	here=$(dirname "${BASH_SOURCE[0]}")
	mkdir -p "$d/spool" "$d/log" "$d/mail"
	chown Debian-exim:Debian-exim "$d/spool" "$d/log" "$d/mail"
	sed -e "s#DIR#$d#g" -e "s#EXIM#$(lab_exim_bin)#" "$here/exim.conf" >"$d/exim.conf"
	chmod 644 "$d/exim.conf"
	# Exim keeps root (to deliver and re-exec itself) only for a -C file
	# listed in its compiled-in TRUSTED_CONFIG_LIST; removed again at stop.
	mkdir -p /etc/exim4
	echo "$d/exim.conf" >>/etc/exim4/trusted_configs
	chmod 644 /etc/exim4/trusted_configs
	ip netns exec "$LAB_NS" "$(lab_exim_bin)" -C "$d/exim.conf" -bd -q1s -oX "$LAB_PORT" -oP "$d/exim.pid"
	LAB_EXIM_DIR=$d
}
lab_stop_exim() {
	local d=${1:-$LAB_EXIM_DIR} p
	p=$(cat "$d/exim.pid" 2>/dev/null) && kill "$p" 2>/dev/null
	if [ -f /etc/exim4/trusted_configs ]; then
		grep -vxF "$d/exim.conf" /etc/exim4/trusted_configs >/etc/exim4/trusted_configs.new || true
		mv /etc/exim4/trusted_configs.new /etc/exim4/trusted_configs
		[ -s /etc/exim4/trusted_configs ] || rm -f /etc/exim4/trusted_configs
	fi
	true
}
lab_log_exim() { tail -n 60 "$1/log/mainlog" "$1/log/paniclog" 2>/dev/null; }
# Message ids (1xxxxx-xxxxxx-xx in 4.96), in Received, Message-Id and
# the MIME boundary (which has a Unix time and the pid).
lab_ids_exim() {
	printf '%s\n' 'b62:\b([0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2})\b' '([0-9]{9,10})-eximdsn-' 'digits/10:-eximdsn-([0-9]+)'
}
