#!/bin/sh
# Renders the explanation block of three annotated examples, in en and
# zh-CN, with headless Chromium, as a mail client shows them: the text/html
# part when the bounce has one (the block and the notice below it, in a
# window of the height given), otherwise the text/plain block (up to and
# including the "----- bouncenote end" line) in a monospace <pre>, in a
# window as tall as the block.
#
#   SHOT             EXAMPLE (../bounces/EXAMPLE.LANG.eml)
#   failure          exchange-user-unknown    (text/html)
#   delay            postfix-delay-warning    (text/plain only)
#   multi-recipient  multi-recipient          (text/html)
#
# Writes SHOT.en.png and SHOT.zh-CN.png beside this script, replacing what
# was there; run it again (sh render.sh, no arguments) after the catalog or
# the examples change. If a block grows past the bottom of an HTML shot,
# raise that shot's height at the end of this file.
# Needs: chromium, fonts-noto-cjk (Debian: apt-get install -y chromium
# fonts-noto-cjk), python3.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

render() { # shot example width height-for-html
	for lang in en zh-CN; do
		height=$(python3 - "../bounces/$2.$lang.eml" "$lang" "$tmp/$1.$lang.html" "$4" <<'PY'
import email, html, sys
src, lang, out, height = sys.argv[1:]
m = email.message_from_bytes(open(src, "rb").read())
parts = {}
for p in m.walk():
    t = p.get_content_type()
    if t in ("text/html", "text/plain") and t not in parts:
        parts[t] = p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8")
if "text/html" in parts:
    # The block carries its own lang; the rest is the notice as it came.
    page = '<!DOCTYPE html><meta charset="utf-8">' + parts["text/html"]
else:
    lines = parts["text/plain"].replace("\r\n", "\n").split("\n")
    end = next(i for i, l in enumerate(lines) if l.startswith("----- bouncenote end"))
    # Text wraps by display width (CJK = 2 columns): a CJK monospace font
    # whose Latin is exactly half a Han character keeps the right edge even.
    font = "'Noto Sans Mono CJK SC',monospace" if lang == "zh-CN" else "monospace"
    page = (f'<!DOCTYPE html><html lang="{lang}"><meta charset="utf-8">'
            f'<pre style="font-family:{font};font-size:15px;line-height:1.5">'
            + html.escape("\n".join(lines[:end + 1])) + "</pre></html>")
    # 15px * 1.5 a line, the pre's and the body's margins, a little air.
    height = str(int((end + 1) * 22.5) + 30 + 16 + 40)
open(out, "w", encoding="utf-8").write(page)
print(height)
PY
		)
		rm -f "$1.$lang.png"
		chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
			--disable-component-update --disable-sync --no-first-run --hide-scrollbars \
			--force-device-scale-factor=1 --window-size="$3,$height" \
			--screenshot="$PWD/$1.$lang.png" "file://$tmp/$1.$lang.html" 2>"$tmp/chromium.log" ||
			{ cat "$tmp/chromium.log" >&2; exit 1; }
		test -s "$1.$lang.png" || { cat "$tmp/chromium.log" >&2; echo "no $1.$lang.png" >&2; exit 1; }
		echo "wrote $1.$lang.png"
	done
}

render failure exchange-user-unknown 900 1000
render delay postfix-delay-warning 900 800
render multi-recipient multi-recipient 900 1400
