#!/usr/bin/env bash
# Draws Shipdeck's app and tray icons with ImageMagick. The PNGs are committed; run this
# only to change them.
set -euo pipefail
cd "$(dirname "$0")"

# App icon: a rounded navy square, a white deck line and a green check mark above it.
convert -size 1024x1024 xc:none \
  -fill '#16325c' -draw 'roundrectangle 64,64 960,960 200,200' \
  -fill '#1f4f8f' -draw 'roundrectangle 64,64 960,560 200,200' \
  -fill '#16325c' -draw 'rectangle 64,400 960,560' \
  -stroke white -strokewidth 56 -fill none -draw 'line 240,700 784,700' \
  -stroke white -strokewidth 40 -draw 'line 320,780 704,780' \
  -stroke '#3ddc84' -strokewidth 72 -draw 'stroke-linecap round stroke-linejoin round polyline 330,430 460,560 700,300' \
  icon-1024.png
convert icon-1024.png -resize 512x512 icon.png
convert icon-1024.png -resize 256x256 128x128@2x.png
convert icon-1024.png -resize 128x128 128x128.png
convert icon-1024.png -resize 32x32 32x32.png
rm icon-1024.png

# Tray icons (44x44, shown at 22pt): a ring with the state's colour and a glyph inside.
tray() { # name colour glyph-draw
  convert -size 176x176 xc:none \
    -fill "$2" -draw 'circle 88,88 88,12' \
    -stroke white -strokewidth 18 -fill none -draw "stroke-linecap round stroke-linejoin round $3" \
    -resize 44x44 "tray/$1.png"
}
tray ok '#2ea043' 'polyline 50,92 78,120 128,62'
tray warning '#d29922' 'line 88,46 88,104'
convert tray/warning.png \( -size 44x44 xc:none -fill white -draw 'circle 22,33 22,30.5' \) -composite tray/warning.png
tray blocker '#cf222e' 'line 58,58 118,118'
convert tray/blocker.png \( -size 176x176 xc:none -stroke white -strokewidth 18 -draw 'stroke-linecap round line 118,58 58,118' -resize 44x44 \) -composite tray/blocker.png
tray idle '#6e7781' 'line 52,88 124,88'

# Menu-bar template icons for macOS (36x36: 18 pt at 2x, the size the menu bar draws): black
# and transparent only, so macOS tints them for light, dark and highlighted menu bars. The
# state is in the shape: a circle with a dash (not checked yet), a circle with a check (ready),
# a triangle with an exclamation mark (warnings), an octagon with a cross (blockers).
template() { # name outline-draw glyph-draw
  convert -size 144x144 xc:none \
    -stroke black -strokewidth 12 -fill none -draw "stroke-linejoin round $2" \
    -stroke black -strokewidth 14 -fill none -draw "stroke-linecap round stroke-linejoin round $3" \
    -resize 36x36 -channel RGB -evaluate set 0 +channel "tray/$1-template.png"
}
template idle 'circle 72,72 72,10' 'line 44,72 100,72'
template ok 'circle 72,72 72,10' 'polyline 42,74 64,96 104,50'
template warning 'polygon 72,12 134,124 10,124' 'line 72,52 72,88'
convert tray/warning-template.png \( -size 36x36 xc:none -fill black -draw 'circle 18,26.5 18,24.6' \) -composite tray/warning-template.png
template blocker 'polygon 48,10 96,10 134,48 134,96 96,134 48,134 10,96 10,48' 'line 52,52 92,92'
convert tray/blocker-template.png \( -size 144x144 xc:none -stroke black -strokewidth 14 -draw 'stroke-linecap round line 92,52 52,92' -resize 36x36 -channel RGB -evaluate set 0 +channel \) -composite tray/blocker-template.png
