#!/usr/bin/env bash
# Start Abstractor the way a desktop does, from its installed .desktop entry, on a real X server
# (Xvfb), and wait for its main window to be mapped. Prints the seconds to a visible window and
# the window's geometry, and saves a screenshot.
#   packaging/linux/check-desktop-entry.sh [DESKTOP_FILE] [SCREENSHOT.png]
# Needs the Debian packages xvfb, xdotool, x11-utils (xwininfo) and imagemagick (import).
# Exit status 0 when a window titled "...Abstractor..." appeared within 120 s.
set -euo pipefail
DESKTOP="${1:-/usr/share/applications/abstractor.desktop}"
SHOT="${2:-abstractor-window.png}"
EXEC="$(sed -n 's/^Exec=//p' "$DESKTOP" | head -1 | sed 's/ %[fFuU]//g')"
[ -n "$EXEC" ] || { echo "no Exec line in $DESKTOP" >&2; exit 1; }
DISPLAY_NUM=":$((90 + RANDOM % 9))"
Xvfb "$DISPLAY_NUM" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
APP=""
cleanup() { [ -n "$APP" ] && kill "$APP" 2>/dev/null || true; kill "$XVFB" 2>/dev/null || true; }
trap cleanup EXIT
export DISPLAY="$DISPLAY_NUM"
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
T0=$(date +%s.%N)
# shellcheck disable=SC2086 # Exec is a command line
env -u QT_QPA_PLATFORM $EXEC >/tmp/abstractor-desktop-entry.log 2>&1 &
APP=$!
WID=""
for _ in $(seq 1200); do
  WID="$(xdotool search --onlyvisible --name 'Abstractor' 2>/dev/null | head -1 || true)"
  [ -n "$WID" ] && break
  kill -0 "$APP" 2>/dev/null || { echo "the app exited:" >&2; cat /tmp/abstractor-desktop-entry.log >&2; exit 1; }
  sleep 0.1
done
[ -n "$WID" ] || { echo "no window after 120 s" >&2; exit 1; }
T1=$(date +%s.%N)
printf 'visible window after %.1f s: %s\n' "$(echo "$T1 - $T0" | bc)" "$(xdotool getwindowname "$WID")"
xwininfo -id "$WID" | grep -E 'Map State|Width|Height'
sleep 2   # let it paint
import -window root "$SHOT"
echo "screenshot: $SHOT"
