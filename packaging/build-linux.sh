#!/usr/bin/env bash
# Build Abstractor's Linux installer from a fresh clone:
#   1. packaging/setup.sh (the .venv with llama.cpp built for a portable CPU, the demo model)
#   2. PyInstaller (packaging/abstractor.spec) -> dist/abstractor/ (one folder, the app + Python + Qt)
#   3. dist/abstractor/abstractor --self-test (headless, offline)
#   4. dpkg-deb -> dist/abstractor_<version>_<arch>.deb (/opt/abstractor, menu entry, icon)
# Options:
#   --no-model     leave the embedded demo model out of the bundle (it is in by default)
#   --no-deb       stop after the bundle
#   --no-selftest  skip step 3
#   --cuda         the CUDA variant: llama.cpp built with CUDA (needs the CUDA toolkit, nvcc); the bundle
#                  carries the CUDA runtime (cudart, cublas), never the driver, and runs on the CPU
#                  where no usable NVIDIA GPU is found
# Tools come only from PyPI (pyinstaller, pyinstaller-hooks-contrib: the "packaging" extra) and
# Debian (dpkg-deb). Timings and sizes: docs/installers.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SPEC_ARGS=()
DEB=1
SELFTEST=1
CUDA=0
for arg in "$@"; do
  case "$arg" in
    --no-model) SPEC_ARGS=(-- --no-model) ;;
    --no-deb) DEB=0 ;;
    --no-selftest) SELFTEST=0 ;;
    --cuda) CUDA=1 ;;
    *) echo "build-linux: unknown option $arg" >&2; exit 2 ;;
  esac
done
say() { printf '[build-linux] %s\n' "$*" >&2; }
T0=$(date +%s)

# A portable build: the bundle must run on other people's CPUs, so llama.cpp is built for
# AVX2 (no AVX-512, no -march=native) unless ABSTRACTOR_CMAKE_ARGS says otherwise.
PORTABLE_CPU="-DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
if [ "$CUDA" = 1 ]; then
  CUDA_HOME="${CUDA_HOME:-/usr/local/cuda}"
  export ABSTRACTOR_CMAKE_ARGS="${ABSTRACTOR_CMAKE_ARGS:-$PORTABLE_CPU -DGGML_CUDA=on}"
  # PyInstaller finds libcudart/libcublas through the loader path; libcuda (the driver) is dropped by the spec
  export LD_LIBRARY_PATH="$CUDA_HOME/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" CUDA_PATH="$CUDA_HOME"
fi
export ABSTRACTOR_CMAKE_ARGS="${ABSTRACTOR_CMAKE_ARGS:-$PORTABLE_CPU}"
bash packaging/setup.sh
VPY="$ROOT/.venv/bin/python"
say "installing the build tools (the 'packaging' extra: PyInstaller from PyPI)"
"$VPY" -m pip install --quiet -e "$ROOT[gui,packaging]"

VERSION="$("$VPY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
"$VPY" packaging/collect_licenses.py build/licenses/third-party.txt
say "PyInstaller: dist/abstractor/ (version $VERSION) ${SPEC_ARGS[*]:-}"
rm -rf dist/abstractor
"$VPY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
  packaging/abstractor.spec "${SPEC_ARGS[@]}"
T1=$(date +%s)
say "bundle: $(du -sh dist/abstractor | cut -f1) in $((T1 - T0)) s"

if [ "$SELFTEST" = 1 ]; then
  say "self-test of the bundle (no network, nothing else on PATH)"
  if unshare -n true 2>/dev/null; then NONET=(unshare -n)
  elif unshare -rn true 2>/dev/null; then NONET=(unshare -rn)   # without root: a user namespace
  else NONET=(); say "unshare unavailable: the network stays on for the self-test"; fi
  "${NONET[@]}" env -i HOME="${HOME:-/tmp}" PATH=/nonexistent dist/abstractor/abstractor --self-test
fi

if [ "$DEB" = 1 ]; then
  bash packaging/linux/build-deb.sh dist/abstractor "$VERSION"
fi
say "done in $(( $(date +%s) - T0 )) s"
