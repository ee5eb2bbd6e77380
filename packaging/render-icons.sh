#!/usr/bin/env bash
# Regenerate every raster icon from the one SVG source:
#   packaging/linux/icons/hicolor/<N>x<N>/apps/fr.fuitecheck.FuiteCheck.png
#   packaging/windows/fuitecheck.ico   (16..256, PNG-compressed entries)
#   packaging/macos/FuiteCheck.icns    (16..1024)
# The outputs are committed; run this only after editing the SVG.
# Needs: rsvg-convert (librsvg2-bin), convert (imagemagick), png2icns (icnsutils).
#   sudo apt-get install -y librsvg2-bin imagemagick icnsutils
set -euo pipefail
cd "$(dirname "$0")"
ID=fr.fuitecheck.FuiteCheck
SVG=linux/icons/hicolor/scalable/apps/$ID.svg
for tool in rsvg-convert convert png2icns; do
    command -v "$tool" >/dev/null || { echo "missing $tool (see the header of $0)" >&2; exit 1; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for n in 16 24 32 48 64 128 256 512 1024; do
    rsvg-convert -w "$n" -h "$n" "$SVG" -o "$tmp/$n.png"
done
for n in 16 24 32 48 64 128 256 512; do
    mkdir -p "linux/icons/hicolor/${n}x${n}/apps"
    cp "$tmp/$n.png" "linux/icons/hicolor/${n}x${n}/apps/$ID.png"
done
convert "$tmp"/{16,24,32,48,64,128,256}.png windows/fuitecheck.ico
png2icns macos/FuiteCheck.icns "$tmp"/{16,32,48,128,256,512,1024}.png >/dev/null
echo "icons regenerated from $SVG"
