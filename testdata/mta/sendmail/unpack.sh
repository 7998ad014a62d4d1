#!/usr/bin/env bash
# Unpacks Debian's Sendmail (sendmail-bin, sendmail-base, sendmail-cf) into a
# private tree and prints its root. The packages conflict with Postfix as
# the system MTA, so they are fetched with `apt-get download` and unpacked
# with `dpkg -x`, never installed; the libraries and tools they need (m4,
# liblockfile1, libwrap0) are ordinary packages that install beside Postfix.
# Needs root and apt (run `apt-get update` first).
#
#   testdata/mta/sendmail/unpack.sh [CACHE_DIR]   # default /var/cache/bouncenote-mta
#
# Used by examples/sendmail/e2e.sh --install and testdata/mta/sendmail/generate.sh.
set -euo pipefail
cache=${1:-${BOUNCENOTE_MTA_CACHE:-/var/cache/bouncenote-mta}}/sendmail
root=$cache/root
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq m4 liblockfile1 libwrap0 >/dev/null
if [ ! -x "$root/usr/libexec/sendmail/sendmail" ]; then
	mkdir -p "$cache/debs"
	rm -f "$cache"/debs/*.deb
	(cd "$cache/debs" && apt-get download -qq sendmail-bin sendmail-base sendmail-cf 2>/dev/null)
	rm -rf "$root.new"
	for deb in "$cache"/debs/*.deb; do
		dpkg -x "$deb" "$root.new"
	done
	mv "$root.new" "$root"
fi
if ldd "$root/usr/libexec/sendmail/sendmail" | grep -q 'not found'; then
	ldd "$root/usr/libexec/sendmail/sendmail" | grep 'not found' >&2
	exit 1
fi
echo "$root"
