#!/usr/bin/env bash
# Package a built bundle (dist/abstractor/) as a .deb with dpkg-deb:
#   /opt/abstractor/...                         the bundle (read-only; the app writes to ~/.config, ~/.local)
#   /usr/bin/abstractor -> /opt/abstractor/abstractor
#   /usr/share/applications/abstractor.desktop  the application-menu entry
#   /usr/share/icons/hicolor/{256x256,48x48}/apps/abstractor.png, scalable/apps/abstractor.svg
# Usage: packaging/linux/build-deb.sh BUNDLE_DIR VERSION [OUT_DIR]
set -euo pipefail
BUNDLE="$1"; VERSION="$2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ICONS="$HERE/../icons"
OUT="${3:-$(dirname "$BUNDLE")}"
ARCH="$(dpkg --print-architecture)"
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
[ -x "$BUNDLE/abstractor" ] || { echo "build-deb: $BUNDLE/abstractor not found" >&2; exit 1; }

mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/icons/hicolor/48x48/apps" \
  "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/doc/abstractor"
cp -a "$BUNDLE" "$STAGE/opt/abstractor"
ln -s /opt/abstractor/abstractor "$STAGE/usr/bin/abstractor"
install -m 644 "$HERE/abstractor.desktop" "$STAGE/usr/share/applications/abstractor.desktop"
install -m 644 "$ICONS/abstractor.png" "$STAGE/usr/share/icons/hicolor/256x256/apps/abstractor.png"
install -m 644 "$ICONS/abstractor-48.png" "$STAGE/usr/share/icons/hicolor/48x48/apps/abstractor.png"
install -m 644 "$ICONS/abstractor.svg" "$STAGE/usr/share/icons/hicolor/scalable/apps/abstractor.svg"
cat > "$STAGE/usr/share/doc/abstractor/copyright" <<TXT
Abstractor $VERSION: Apache-2.0.
The licences of every bundled part (Qt LGPL-3.0, llama.cpp MIT, the demo model, Python packages)
are in /opt/abstractor/_internal/resources/licenses/ and shown in Help > About.
TXT
SIZE_KB="$(du -sk "$STAGE" | cut -f1)"
cat > "$STAGE/DEBIAN/control" <<TXT
Package: abstractor
Version: $VERSION
Section: science
Priority: optional
Architecture: $ARCH
Maintainer: Abstractor <abstractor@localhost>
Installed-Size: $SIZE_KB
Depends: libc6 (>= 2.31), libgl1, libegl1, libfontconfig1, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-xinerama0, libxcb-xkb1
Description: Clinical reports to a reviewed, registry-ready spreadsheet
 Abstractor reads a folder of free-text clinical reports and extracts the
 fields of a task with a language model that runs on this computer. Every
 value comes with the words it was taken from, for review; results export to
 Excel. Nothing leaves the computer. Includes a small demo model.
TXT
cat > "$STAGE/DEBIAN/postinst" <<'TXT'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
exit 0
TXT
cp "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"
chmod 755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"
DEB="$OUT/abstractor_${VERSION}_${ARCH}.deb"
# gzip: any dpkg reads it, and it packs the ~480 MB bundle several times faster than xz
dpkg-deb --root-owner-group -Z"${DEB_COMPRESSION:-gzip}" -z6 --build "$STAGE" "$DEB" >/dev/null
printf '[build-deb] %s (%s)\n' "$DEB" "$(du -h "$DEB" | cut -f1)" >&2
