#!/usr/bin/env bash
# End-to-end check of the bouncenote milter with a real Sendmail (issue 14):
# two private Sendmail daemons from Debian's packages, unpacked (not
# installed, they conflict with Postfix), configured by TestSendmailE2E with
# the INPUT_MAIL_FILTER line of examples/sendmail/bouncenote.mc. Needs root:
# the test runs inside a network namespace of its own with only loopback,
# so nothing Sendmail looks up or connects to can leave the machine.
#
#   examples/sendmail/e2e.sh            # run (packages unpacked before)
#   examples/sendmail/e2e.sh --install  # apt-get download + dpkg -x first
#
# With CI=true a missing piece fails the run; otherwise the test is skipped
# with the reason. Prints "sendmail-e2e: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${1:-}" = "--install" ]; then
	apt-get update -qq
	BOUNCENOTE_SENDMAIL_ROOT=$(testdata/mta/sendmail/unpack.sh)
fi
export BOUNCENOTE_SENDMAIL_ROOT=${BOUNCENOTE_SENDMAIL_ROOT:-${BOUNCENOTE_MTA_CACHE:-/var/cache/bouncenote-mta}/sendmail/root}
export BOUNCENOTE_E2E=1

log=$(mktemp)
work=$(mktemp -d)
ns=""
cleanup() {
	rm -rf "$log" "$work"
	if [ -n "$ns" ]; then ip netns del "$ns" 2>/dev/null || true; fi
}
trap cleanup EXIT
status=0
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null; then
	# Compile outside the namespace (the module cache is filled here); the
	# test's own `go build` of bouncenote then needs no network.
	go test -c -o "$work/milter.test" ./milter/
	go build -o "$work/bouncenote" ./cmd/bouncenote
	ns=bnsendmail-$$
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	(cd milter && GOPROXY=off GOFLAGS=-mod=readonly ip netns exec "$ns" "$work/milter.test" \
		-test.count=1 -test.v -test.run '^TestSendmailE2E$') >"$log" 2>&1 || status=$?
else
	# Not root: the test reports what is missing (skip, or fail with CI=true).
	go test -count=1 -v -run '^TestSendmailE2E$' ./milter/ >"$log" 2>&1 || status=$?
fi
if [ "$status" -ne 0 ] || [ -n "${E2E_VERBOSE:-}" ]; then
	cat "$log"
fi
grep -E -- '--- SKIP|cannot run' "$log" || true
grep -E '^sendmail-e2e: ' "$log" || echo "sendmail-e2e: no summary (see above)"
exit "$status"
