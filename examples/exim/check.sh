#!/usr/bin/env bash
# Checks examples/exim/bouncenote.conf with a real Exim: the configuration
# parses (exim -bV), and a bounce and an ordinary message delivered through
# it (exim -bm, local delivery only, no network) arrive annotated and
# byte-identical respectively. Needs root and the unpacked Exim of
# testdata/mta/generate --install exim (or EXIM=path).
set -euo pipefail
cd "$(dirname "$0")/../.."
exim=${EXIM:-${BOUNCENOTE_MTA_CACHE:-/var/cache/bouncenote-mta}/exim4/usr/sbin/exim4}
[ -x "$exim" ] || { echo "exim check: no Exim at $exim (testdata/mta/generate --install exim)"; exit 1; }
work=$(mktemp -d /tmp/bouncenote-exim-check.XXXXXX)
cleanup() {
	sed -i "\#^$work/#d" /etc/exim4/trusted_configs 2>/dev/null
	[ -s /etc/exim4/trusted_configs ] || rm -f /etc/exim4/trusted_configs
	rm -rf "$work"
}
trap cleanup EXIT
chmod 755 "$work"
go build -o "$work/bouncenote" ./cmd/bouncenote
mkdir -p "$work/spool" "$work/mail/alice" "$work/mail/bob" "$work/log"
chown -R mail "$work/mail"
chown Debian-exim "$work/spool" "$work/log"
# The lab's private spool and log first (main options may come in any
# order before the first "begin"), then the example as it is.
{
	echo "spool_directory = $work/spool"
	echo "log_file_path = $work/log/%slog"
	echo "exim_path = $exim"
	sed -e "s#BOUNCENOTE#$work/bouncenote#" -e "s#MAILDIR_BASE#$work/mail#" examples/exim/bouncenote.conf
} >"$work/exim.conf"
mkdir -p /etc/exim4 && echo "$work/exim.conf" >>/etc/exim4/trusted_configs
"$exim" -C "$work/exim.conf" -bV >/dev/null
echo "exim check: configuration parses"
fail=0
deliver() { "$exim" -C "$work/exim.conf" -odi -oi -f "$2" -bm "$1"@example.test <"$3"; }
deliver alice "" examples/bounces/postfix-user-unknown.eml
orig=testdata/corpus/normal/enmime/$(ls testdata/corpus/normal/enmime | grep -v LICENSE | head -n 1)
deliver bob sender@example.test "$orig"
got=$(cat "$work"/mail/alice/Maildir/new/*)
if grep -q '^X-Bounce-Reason: userunknown' <<<"$got" && grep -q 'Why your message was not delivered' <<<"$got"; then
	echo "exim check: bounce annotated"
else
	echo "exim check: bounce NOT annotated"; fail=1
fi
# Exim adds header fields (Return-path, Envelope-to, Delivery-date,
# Received); the body must be the one sent, byte for byte.
if "$work/bouncenote" inspect --json "$work"/mail/bob/Maildir/new/* | grep -q '"kind":"none"' &&
	cmp -s <(tr -d '\r' <"$orig" | sed '1,/^$/d') <(sed '1,/^$/d' "$work"/mail/bob/Maildir/new/*); then
	echo "exim check: ordinary mail unchanged"
else
	echo "exim check: ordinary mail changed"; fail=1
fi
exit "$fail"
