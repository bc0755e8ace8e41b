#!/usr/bin/env bash
# Build Abstractor.app and Abstractor-<version>.dmg on macOS (Apple silicon: Metal backend).
#   packaging/macos/build-macos.sh [--no-model]
# Needs: Python 3.11+, Xcode command-line tools (for the one llama.cpp build), nothing else.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
SPEC_ARGS=()
[ "${1:-}" = "--no-model" ] && SPEC_ARGS=(-- --no-model)
bash packaging/setup.sh                      # builds llama.cpp with -DGGML_METAL=on on macOS
VPY="$ROOT/.venv/bin/python"
"$VPY" -m pip install --quiet -e "$ROOT[gui,packaging]"
VERSION="$("$VPY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
"$VPY" packaging/collect_licenses.py build/licenses/third-party.txt
rm -rf dist/abstractor dist/Abstractor.app
"$VPY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
  packaging/abstractor.spec "${SPEC_ARGS[@]}"
dist/Abstractor.app/Contents/MacOS/abstractor --self-test
"$ROOT/.venv/bin/dmgbuild" -s packaging/macos/dmg_settings.py -D app=dist/Abstractor.app \
  "Abstractor $VERSION" "dist/Abstractor-$VERSION.dmg"
echo "[build-macos] dist/Abstractor-$VERSION.dmg"
