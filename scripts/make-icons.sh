#!/usr/bin/env bash
# Renders the PNG icons the layout and the web manifest name from Web/wwwroot/favicon.svg, with the machine's
# Chromium (scripts/install-deps.sh browser), and favicon.ico, which browsers ask for when a page names no icon (a
# text file like robots.txt). They are committed; run this again after changing the SVG.
# Usage: scripts/make-icons.sh
set -euo pipefail
cd "$(dirname "$0")/.."
chromium=${CHROMIUM_PATH:-$(command -v chromium || echo /usr/bin/chromium)}
out=Web/wwwroot/icons
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cp Web/wwwroot/favicon.svg "$work/"

# render SIZE FILE BACKGROUND: the SVG filling a SIZE x SIZE window over BACKGROUND (a CSS colour).
render() {
    printf '<!DOCTYPE html><style>html,body{margin:0;background:%s}img{display:block;width:100vw;height:100vh}</style><img src="favicon.svg" alt="">' \
        "$3" >"$work/icon.html"
    "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --default-background-color=00000000 \
        --window-size="$1,$1" --screenshot="$out/$2" "file://$work/icon.html" >/dev/null 2>&1
    echo "$out/$2"
}

render 32 icon-32.png transparent
render 192 icon-192.png transparent
render 512 icon-512.png transparent
# iOS rounds the corners itself and would show the transparent ones black: the brand colour fills the square.
render 180 apple-touch-icon.png '#0f2a3d'

# An .ico may hold a PNG as it is (every browser since 2007 reads it): a 6-byte header, one 16-byte entry, the PNG.
node -e '
const fs = require("fs");
const png = fs.readFileSync(process.argv[1]);
const head = Buffer.alloc(22);
head.writeUInt16LE(1, 2); head.writeUInt16LE(1, 4);
head[6] = 32; head[7] = 32; head.writeUInt16LE(1, 10); head.writeUInt16LE(32, 12);
head.writeUInt32LE(png.length, 14); head.writeUInt32LE(22, 18);
fs.writeFileSync(process.argv[2], Buffer.concat([head, png]));' "$out/icon-32.png" Web/wwwroot/favicon.ico
echo Web/wwwroot/favicon.ico
