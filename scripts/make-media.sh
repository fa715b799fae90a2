#!/usr/bin/env bash
# Regenerates everything under Web/media/ (images, video, catalog.json) from nothing but
# fixed seeds, so the same tools give the same files.
# Needs the Debian packages: imagemagick, ffmpeg, gawk or mawk (any POSIX awk).
set -euo pipefail

# Debian's ImageMagick and ffmpeg, even if another `convert` comes earlier on PATH.
export PATH="/usr/bin:$PATH"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/Web/media"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Prints ImageMagick -draw primitives; shape= selects which. A Park-Miller generator instead of
# awk's rand() keeps the output identical across awk implementations.
read -r -d '' SHAPES <<'AWK' || true
function rnd() { seed = (seed * 16807) % 2147483647; return seed / 2147483647 }
function hex(r, g, b) { return sprintf("#%02x%02x%02x", clamp(r), clamp(g), clamp(b)) }
function clamp(v) { return v < 0 ? 0 : (v > 255 ? 255 : int(v)) }
# Mountain ridge by midpoint displacement, filled down to the bottom edge.
function ridge(   n, y, i, m, step, a) {
  n = 256; a = amp
  y[0] = base + (rnd() - 0.5) * a; y[n] = base + (rnd() - 0.5) * a
  for (step = n; step > 1; step /= 2) {
    for (i = 0; i < n; i += step) {
      m = i + step / 2
      y[m] = (y[i] + y[i + step]) / 2 + (rnd() - 0.5) * a
    }
    a *= rough
  }
  printf "polygon 0,%d", h
  for (i = 0; i <= n; i++) printf " %.1f,%.1f", i * w / n, y[i]
  printf " %d,%d\n", w, h
}
# Two summed sines; shift moves the phases so that shift = 2*pi returns to the start.
# open=1 gives just the crest as separate segments, because this ImageMagick strokes an
# open polyline back to its start.
function wave(   i, x, y, px, py, p1, p2, f1, f2) {
  p1 = rnd() * 6.283 + shift; p2 = rnd() * 6.283 - 2 * shift
  f1 = (2 + rnd() * 2) * 6.283 / w; f2 = (7 + rnd() * 5) * 6.283 / w
  if (!open) printf "polygon 0,%d", h
  for (i = 0; i <= 200; i++) {
    x = i * w / 200; y = base + amp * sin(x * f1 + p1) + amp * 0.35 * sin(x * f2 + p2)
    if (!open) printf " %.1f,%.1f", x, y
    else if (i) printf "line %.1f,%.1f %.1f,%.1f\n", px, py, x, y
    px = x; py = y
  }
  if (!open) printf " %d,%d\n", w, h
}
# Mostly tiny stars with a few bright ones, in the top fraction `top` of the picture.
function stars(   i, x, y, r, v) {
  for (i = 0; i < count; i++) {
    x = rnd() * w; y = rnd() * h * top; r = rnd() ^ 6 * 2.2 + 0.6; v = 140 + rnd() * 115
    printf "fill %s circle %.1f,%.1f %.1f,%.1f\n", hex(v, v, v + 20), x, y, x + r, y
  }
}
function city(   x, bw, bh, top, wx, wy, lit) {
  for (x = -rnd() * 40; x < w; x += bw + 4 + rnd() * 10) {
    bw = 50 + rnd() * 90; bh = tallest * (0.25 + rnd() * 0.75); top = h - bh
    printf "fill %s rectangle %.0f,%.0f %.0f,%d\n", colour, x, top, x + bw, h
    if (rnd() < 0.3) printf "fill %s rectangle %.0f,%.0f %.0f,%.0f\n", colour, x + bw * 0.4, top - 30 - rnd() * 50, x + bw * 0.45, top
    if (!windows) continue
    for (wy = top + 14; wy < h - 20; wy += 22)
      for (wx = x + 10; wx < x + bw - 16; wx += 16) {
        lit = rnd()
        if (lit < 0.28) printf "fill %s rectangle %.0f,%.0f %.0f,%.0f\n", lit < 0.06 ? "#fff1c1" : "#f7c86a", wx, wy, wx + 7, wy + 10
      }
  }
}
function tiles(   cols, rows, s, hgt, r, c, x0, y0, y1) {
  s = size; hgt = s * 0.866; cols = int(w / s) + 2; rows = int(h / hgt) + 1
  for (r = 0; r <= rows; r++)
    for (c = -1; c <= cols; c++) {
      x0 = c * s + (r % 2) * s / 2; y0 = r * hgt; y1 = y0 + hgt
      tri(x0, y0, x0 + s, y0, x0 + s / 2, y1)
      tri(x0 + s, y0, x0 + s / 2, y1, x0 + s * 1.5, y1)
    }
}
# Colour follows a diagonal teal -> violet -> coral sweep, jittered per triangle.
function tri(ax, ay, bx, by, cx, cy,   t, j, r, g, b) {
  t = (ax + bx + cx) / 3 / w * 0.6 + (ay + by + cy) / 3 / h * 0.4; j = (rnd() - 0.5) * 40
  if (t < 0.5) { t *= 2; r = 20 + 90 * t; g = 160 - 110 * t; b = 170 + 30 * t }
  else { t = (t - 0.5) * 2; r = 110 + 145 * t; g = 50 + 80 * t; b = 200 - 110 * t }
  printf "fill %s polygon %.1f,%.1f %.1f,%.1f %.1f,%.1f\n", hex(r + j, g + j, b + j), ax, ay, bx, by, cx, cy
}
BEGIN {
  if (shape == "ridge") ridge(); else if (shape == "wave") wave(); else if (shape == "stars") stars()
  else if (shape == "city") city(); else if (shape == "tiles") tiles()
}
AWK

# shape NAME W H [-v k=v ...]
shape() { local name=$1 w=$2 h=$3; shift 3; awk -v shape="$name" -v w="$w" -v h="$h" "$@" "$SHAPES"; }

# sky W H COLOUR... : vertical gradient through the colours, top to bottom, as PNG on stdout.
sky() {
  local w=$1 h=$2 i parts=(); shift 2
  local colours=("$@") n=$(( $# - 1 ))
  for ((i = 0; i < n; i++)); do
    parts+=( "(" -size "1x$(( h / n + 1 ))" "gradient:${colours[i]}-${colours[i + 1]}" ")" )
  done
  convert "${parts[@]}" -append -resize "${w}x${h}!" png:-
}

# sun W H X Y R : a soft glow with a disc, to composite over a sky.
sun() {
  convert -size "$1x$2" xc:none -fill '#fff1d0' -draw "circle $3,$4 $3,$(( $4 - $5 * 2 ))" -blur "0x$(( $5 * 4 / 5 ))" \
    -fill '#fffaf0' -draw "circle $3,$4 $3,$(( $4 - $5 ))" png:-
}

# encode MASTER DEST-BASE WIDTH... : one lossy WebP per width.
encode() {
  local master=$1 dest=$2 w; shift 2
  for w in "$@"; do
    convert "$master" -resize "${w}x" -strip -quality 90 -define webp:method=6 "$dest-$w.webp"
  done
}

rm -rf "${out:?}/home" "${out:?}/gallery" "${out:?}/video"
mkdir -p "$out/home" "$out/gallery" "$out/video"

# Hero: blue ridges at sunrise, each range hazier than the one in front.
W=1920 H=800
# haze ALPHA TOP : a soft warm veil from TOP down, as PNG on stdout.
haze() { convert -size "${W}x${H}" xc:none -fill "#ffe9d6$1" -draw "rectangle 0,$2 $W,$H" -blur 0x40 png:-; }
haze 55 500 > "$work/haze1.png"
haze 44 600 > "$work/haze2.png"
sky $W $H '#3b5b8c' '#9fb8d8' '#f4cfb0' '#ffe2c4' > "$work/sky.png"
sun $W $H 1400 430 55 > "$work/sun.png"
convert "$work/sky.png" "$work/sun.png" -composite \
  -fill '#9bb0c9' -draw "$(shape ridge $W $H -v seed=51 -v base=470 -v amp=260 -v rough=0.52)" \
  "$work/haze1.png" -composite \
  -fill '#6f89a8' -draw "$(shape ridge $W $H -v seed=52 -v base=560 -v amp=200 -v rough=0.55)" \
  "$work/haze2.png" -composite \
  -fill '#4a6585' -draw "$(shape ridge $W $H -v seed=53 -v base=640 -v amp=160 -v rough=0.57)" \
  -fill '#2c4462' -draw "$(shape ridge $W $H -v seed=54 -v base=710 -v amp=120 -v rough=0.6)" \
  -fill '#172a40' -draw "$(shape ridge $W $H -v seed=55 -v base=770 -v amp=70 -v rough=0.62)" \
  "$work/hero.png"
encode "$work/hero.png" "$out/home/hero" 640 1280 1920

# Gallery, 3:2.
W=1600 H=1067
gallery() { encode "$work/$1.png" "$out/gallery/$1" 480 960 1600; }

sky $W $H '#14103a' '#5b2a6e' '#d4547a' '#ffb36b' '#ffe3a3' > "$work/sky.png"
sun $W $H 1080 600 70 > "$work/sun.png"
convert "$work/sky.png" "$work/sun.png" -composite \
  -fill '#e07a86' -draw "$(shape ridge $W $H -v seed=11 -v base=640 -v amp=260 -v rough=0.55)" \
  -fill '#a84a78' -draw "$(shape ridge $W $H -v seed=23 -v base=730 -v amp=220 -v rough=0.55)" \
  -fill '#6e2b63' -draw "$(shape ridge $W $H -v seed=37 -v base=830 -v amp=200 -v rough=0.58)" \
  -fill '#3c1848' -draw "$(shape ridge $W $H -v seed=41 -v base=930 -v amp=170 -v rough=0.6)" \
  -fill '#1c0c2a' -draw "$(shape ridge $W $H -v seed=5 -v base=1010 -v amp=120 -v rough=0.62)" \
  "$work/sunset-ridges.png"
gallery sunset-ridges

sky $W $H '#2f4f8a' '#8aa9d6' '#f5d0a9' '#ffe8c7' > "$work/sky.png"
sun $W $H 800 560 70 > "$work/sun.png"
convert "$work/sky.png" "$work/sun.png" -composite \
  -fill '#6f9cc7' -draw "$(shape wave $W $H -v seed=2 -v base=560 -v amp=6)" \
  -fill '#4f80b3' -draw "$(shape wave $W $H -v seed=3 -v base=650 -v amp=14)" \
  -fill '#3a6aa0' -draw "$(shape wave $W $H -v seed=4 -v base=750 -v amp=22)" \
  -fill '#28558a' -draw "$(shape wave $W $H -v seed=5 -v base=850 -v amp=30)" \
  -fill '#1b416f' -draw "$(shape wave $W $H -v seed=6 -v base=950 -v amp=38)" \
  -fill '#112e52' -draw "$(shape wave $W $H -v seed=7 -v base=1030 -v amp=40)" \
  "$work/ocean-dawn.png"
gallery ocean-dawn

# Milky Way: seeded plasma clouds, kept only inside a tilted soft band.
convert \( -size 2600x450 gradient:black-white \) \( -size 2600x450 gradient:white-black \) -append \
  -background black -rotate -24 -gravity center -crop "${W}x${H}+0+0" +repage -evaluate pow 1.5 "$work/band.png"
convert -seed 5 -size 400x267 plasma:grey50-grey50 -colorspace gray -resize "${W}x${H}!" -blur 0x6 -auto-level \
  "$work/band.png" -compose multiply -composite -auto-level -level 10%,95% -fill '#b9a8ff' -tint 90 "$work/milky.png"
sky $W $H '#05060f' '#101a3a' '#283a6e' > "$work/sky.png"
convert "$work/sky.png" "$work/milky.png" -compose screen -composite \
  -draw "$(shape stars $W $H -v seed=3 -v count=900 -v top=0.85)" \
  -fill '#07080f' -draw "$(shape ridge $W $H -v seed=9 -v base=975 -v amp=120 -v rough=0.6)" \
  "$work/milky-way.png"
gallery milky-way

# Aurora: wavy crests smeared upwards, screened over a starry sky. The video reuses this.
# aurora W H SCALE SHIFT OUT : SCALE sizes the crests for W x H; SHIFT moves them (2*pi = a full cycle).
aurora() {
  local w=$1 h=$2 k=$3 s=$4
  convert -size "${w}x${h}" xc:black -fill none -strokewidth "$(awk "BEGIN { print 12 * $k }")" -draw 'stroke-linecap round' \
    -stroke '#9a5cff' -draw "$(shape wave "$w" "$h" -v open=1 -v seed=15 -v base="$(awk "BEGIN { print 430 * $k }")" -v amp="$(awk "BEGIN { print 60 * $k }")" -v shift="$s")" \
    -stroke '#3dff9a' -draw "$(shape wave "$w" "$h" -v open=1 -v seed=12 -v base="$(awk "BEGIN { print 640 * $k }")" -v amp="$(awk "BEGIN { print 90 * $k }")" -v shift="-$s")" \
    -blur "0x$(awk "BEGIN { print 4 * $k }")" -motion-blur "$(awk "BEGIN { print 500 * $k }")x$(awk "BEGIN { print 110 * $k }")+90" \
    -level 0%,24% "$5"
}
aurora $W $H 1 0 "$work/aurora.png"
sky $W $H '#030914' '#0a2233' '#12364a' > "$work/sky.png"
convert "$work/sky.png" -draw "$(shape stars $W $H -v seed=21 -v count=500 -v top=0.8)" "$work/aurora.png" -compose screen -composite \
  -fill '#0f2331' -draw "$(shape ridge $W $H -v seed=31 -v base=860 -v amp=300 -v rough=0.52)" \
  -fill '#050c13' -draw "$(shape ridge $W $H -v seed=33 -v base=990 -v amp=80 -v rough=0.6)" \
  "$work/northern-lights.png"
gallery northern-lights

sky $W $H '#1d2450' '#6a3d7a' '#e07a5f' '#f6bd60' > "$work/sky.png"
convert "$work/sky.png" \
  -draw "$(shape city $W $H -v seed=4 -v tallest=560 -v colour='#4b3b6b' -v windows=0)" \
  -draw "$(shape city $W $H -v seed=8 -v tallest=420 -v colour='#1a1430' -v windows=1)" \
  "$work/city-dusk.png"
gallery city-dusk

convert -size "${W}x${H}" xc:'#2a2a2a' -stroke '#00000030' -draw "$(shape tiles $W $H -v seed=7 -v size=120)" "$work/prism-mosaic.png"
gallery prism-mosaic

# Video: the aurora scene at 640x360, its crests drifting through one full cycle so it loops.
# The crests are drawn at half size (they are blurred anyway) to keep rendering quick.
W=640 H=360 FPS=24 FRAMES=120
mkdir -p "$work/frames"
sky 1280 720 '#030914' '#0a2233' '#12364a' |
  convert - -draw "$(shape stars 1280 720 -v seed=21 -v count=350 -v top=0.8)" -resize "${W}x${H}" "$work/night.png"
convert -size "${W}x${H}" xc:none \
  -fill '#0f2331' -draw "$(shape ridge $W $H -v seed=31 -v base=290 -v amp=101 -v rough=0.52)" \
  -fill '#050c13' -draw "$(shape ridge $W $H -v seed=33 -v base=334 -v amp=27 -v rough=0.6)" "$work/hills.png"
for ((i = 0; i < FRAMES; i++)); do
  aurora 320 180 0.1687 "$(awk "BEGIN { print 6.283185 * $i / $FRAMES }")" "$work/lights.png"
  convert "$work/night.png" \( "$work/lights.png" -resize "${W}x${H}!" \) -compose screen -composite \
    "$work/hills.png" -compose over -composite "$work/frames/$(printf %03d "$i").png"
done
convert "$work/frames/000.png" -strip -quality 85 -define webp:method=6 "$out/video/intro-poster.webp"
frames=(-framerate "$FPS" -i "$work/frames/%03d.png")
# Single-threaded so that each run repeats the same bytes; no audio track.
ffmpeg -hide_banner -loglevel error -y "${frames[@]}" -an -threads 1 -c:v libx264 -preset slow -crf 21 \
  -pix_fmt yuv420p -movflags +faststart -map_metadata -1 -fflags +bitexact "$out/video/intro.mp4"
ffmpeg -hide_banner -loglevel error -y "${frames[@]}" -an -threads 1 -c:v libvpx-vp9 -crf 30 -b:v 0 \
  -deadline good -cpu-used 1 -pix_fmt yuv420p -map_metadata -1 -fflags +bitexact "$out/video/intro.webm"

# catalog.json: the hero's sizes, read back from the largest file so they always match. The gallery's pictures and
# film, with their captions and descriptions, are rows seeded by Web/Data/Migrations/0020_gallery_items.sql.
size() { identify -format '"width":%w,"height":%h' "$1"; }
printf '{"hero":{"base":"home/hero","widths":[640,1280,1920],%s,"alt":"%s"}}\n' "$(size "$out/home/hero-1920.webp")" \
  "Blue mountain ridges layered into the distance at sunrise, each range paler than the one in front, under a sky shading from blue to peach, with a white sun rising over the farthest ridge." \
  > "$out/catalog.json"
