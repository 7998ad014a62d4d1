#!/bin/sh
# Starts the lab's Courier in a private mount namespace (run by lab.sh as
# `ip netns exec NS unshare -m --propagation private sh start.sh DIR`):
# overlays put the unpacked package's files at the compiled-in paths
# (/etc/courier, /usr/sbin, /usr/bin, /usr/lib/courier, /var/lib/courier) without
# touching the host's.
set -eu
d=$1
ov() { # ov TARGET LOWER [writable]
	if [ "${3:-}" = rw ]; then
		mkdir -p "$d/up$1" "$d/work$1"
		mount -t overlay overlay -o "lowerdir=$2:$1,upperdir=$d/up$1,workdir=$d/work$1" "$1"
	else
		mount -t overlay overlay -o "lowerdir=$2:$1" "$1"
	fi
}
ov /etc "$d/root/etc" rw
# ip netns exec bind-mounted the lab's resolv.conf and hosts; the overlay
# hid them: again.
mount --bind "/etc/netns/$LAB_NS/resolv.conf" /etc/resolv.conf
mount --bind "/etc/netns/$LAB_NS/hosts" /etc/hosts
ov /usr/sbin "$d/root/usr/sbin"
ov /usr/bin "$d/root/usr/bin"
ov /usr/lib/courier "$d/root/usr/lib/courier"
ov /var/lib "$d/root/var/lib" rw
mount -t tmpfs tmpfs /run
mkdir -p /run/courier/authdaemon
chown courier:courier /run/courier /run/courier/authdaemon
hostname mx.lab.test
/usr/sbin/makesmtpaccess
/usr/sbin/makeacceptmailfor
/usr/sbin/makealiases
/usr/sbin/authdaemond start
/usr/sbin/courier start
/usr/sbin/esmtpd start
