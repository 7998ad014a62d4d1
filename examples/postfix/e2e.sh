#!/usr/bin/env bash
# End-to-end checks of the bouncenote milter with a real Postfix and with
# OpenDKIM's miltertest (issue 5). Needs root (a private `postfix -c DIR`
# instance on a spare loopback port; the system Postfix is not touched).
#
#   examples/postfix/e2e.sh            # run the checks
#   examples/postfix/e2e.sh --install  # apt-get install the tools first
#
# With CI=true a missing tool fails the run; otherwise the Go tests skip
# with the reason. Prints "e2e: N passed, M failed" and the miltertest count.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${1:-}" = "--install" ]; then
	apt-get update -qq
	echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postfix miltertest swaks >/dev/null
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
BOUNCENOTE_E2E=1 go test -count=1 -v -run '^(TestPostfixE2E|TestMiltertest)$' ./milter/ >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	cat "$log"
fi
grep -E -- '--- SKIP|cannot run' "$log" || true
grep -E '^e2e: ' "$log" || echo "e2e: no summary (see above)"
grep -Eo 'miltertest: [0-9]+ ok, [0-9]+ failed' "$log" || echo "miltertest: no result (see above)"
exit "$status"
