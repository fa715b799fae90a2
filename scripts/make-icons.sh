#!/usr/bin/env bash
# Renders the PNG icons the layout and the web manifest name from Web/wwwroot/favicon.svg, with the machine's
# Chromium (scripts/install-deps.sh browser). The PNGs are committed; run this again after changing the SVG.
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
