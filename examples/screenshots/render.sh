#!/bin/sh
# Renders the HTML part of two annotated examples (en, zh-CN) with headless
# Chromium, as users of an HTML mail client see them.
# Needs: chromium, fonts-noto-cjk (Debian), python3. Run from this directory.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for lang in en zh-CN; do
	python3 - "$lang" "$tmp/$lang.html" <<'PY'
import email, sys
lang, out = sys.argv[1], sys.argv[2]
m = email.message_from_bytes(open(f"../bounces/exchange-user-unknown.{lang}.eml", "rb").read())
for p in m.walk():
    if p.get_content_type() == "text/html":
        html = p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8")
        open(out, "w", encoding="utf-8").write('<meta charset="utf-8">' + html)
        break
PY
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--screenshot="$PWD/exchange-user-unknown.$lang.png" --window-size=900,900 "file://$tmp/$lang.html"
done
