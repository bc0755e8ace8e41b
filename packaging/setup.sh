#!/usr/bin/env bash
# One-step set-up for Abstractor on Linux/macOS.
#   - creates .venv in the repository root
#   - builds llama-cpp-python for this machine (CUDA when nvcc is present,
#     otherwise a portable CPU build with the widest safe instruction set;
#     never the AMX path, which crashes on some Xeon CPUs)
#   - installs Abstractor into the venv (.venv/bin/abstractor)
#   - places the embedded demo model (SmolLM2-135M-Instruct Q4_1, Apache-2.0)
#     under resources/models/
# Options: --dev   also install test tools and the Gemma 3 270M speed-test model
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
LLAMA_VERSION="0.3.36"
DEV=0
for arg in "$@"; do
  case "$arg" in
    --dev) DEV=1 ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '[setup] %s\n' "$*" >&2; }

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for cand in python3.13 python3.12 python3.11 python3; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PYTHON="$cand"; break
    fi
  done
fi
if [ -z "$PYTHON" ]; then
  echo "setup: Python 3.11 or newer is required (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

if [ ! -x "$VENV/bin/python" ]; then
  say "creating virtual environment at $VENV"
  "$PYTHON" -m venv "$VENV"
fi
VPY="$VENV/bin/python"
"$VPY" -m pip install --quiet --upgrade pip wheel >/dev/null

# ---- llama-cpp-python: pick the backend and instruction set --------------
BASE_ARGS="-DGGML_NATIVE=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF"
if [ -n "${ABSTRACTOR_CMAKE_ARGS:-}" ]; then
  BACKEND="custom"
  CMAKE_FLAGS="$ABSTRACTOR_CMAKE_ARGS"
elif command -v nvcc >/dev/null 2>&1 && { [ -e /dev/nvidia0 ] || nvidia-smi -L >/dev/null 2>&1; }; then
  # CUDA toolkit *and* an NVIDIA GPU: nvcc alone (a toolkit without a GPU) is not enough.
  BACKEND="cuda"
  CMAKE_FLAGS="$BASE_ARGS -DGGML_CUDA=on -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
  if [ -n "${CMAKE_CUDA_ARCHITECTURES:-}" ]; then
    CMAKE_FLAGS="$CMAKE_FLAGS -DCMAKE_CUDA_ARCHITECTURES=$CMAKE_CUDA_ARCHITECTURES"
  fi
elif [ "$(uname -s)" = "Darwin" ]; then
  BACKEND="metal"
  CMAKE_FLAGS="-DGGML_METAL=on"
else
  BACKEND="cpu"
  CPU_FLAGS="$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)"
  has() { printf '%s' "$CPU_FLAGS" | grep -qw "$1"; }
  CMAKE_FLAGS="$BASE_ARGS"
  if [ "$(uname -m)" = "x86_64" ]; then
    CMAKE_FLAGS="$CMAKE_FLAGS -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
    if has avx512f && has avx512bw && has avx512vl; then
      BACKEND="cpu-avx512"
      CMAKE_FLAGS="$CMAKE_FLAGS -DGGML_AVX512=ON"
      has avx512_vnni && CMAKE_FLAGS="$CMAKE_FLAGS -DGGML_AVX512_VNNI=ON"
      has avx512vbmi && CMAKE_FLAGS="$CMAKE_FLAGS -DGGML_AVX512_VBMI=ON"
      has avx512_bf16 && CMAKE_FLAGS="$CMAKE_FLAGS -DGGML_AVX512_BF16=ON"
    else
      BACKEND="cpu-avx2"
    fi
    # AMX is never enabled: ggml_backend_amx_mul_mat crashes on these CPUs.
    CMAKE_FLAGS="$CMAKE_FLAGS -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
  fi
fi

# pip's wheel cache ignores CMAKE_ARGS, so wheels are kept in our own cache,
# keyed by version + flags, and pip's cache is never used for this package.
KEY="$(printf '%s|%s' "$LLAMA_VERSION" "$CMAKE_FLAGS" | sha256sum | cut -c1-16)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/abstractor/llama-wheels/$KEY"
MARKER="$VENV/.abstractor-llama-build"
if [ "$(cat "$MARKER" 2>/dev/null || true)" != "$KEY" ] || ! "$VPY" -c 'import llama_cpp' 2>/dev/null; then
  if ! ls "$CACHE"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    say "building llama-cpp-python $LLAMA_VERSION for backend '$BACKEND' (takes a few minutes)"
    say "CMAKE_ARGS=$CMAKE_FLAGS"
    mkdir -p "$CACHE.tmp"
    CMAKE_ARGS="$CMAKE_FLAGS" CMAKE_BUILD_PARALLEL_LEVEL="$(nproc 2>/dev/null || echo 2)" \
      "$VPY" -m pip wheel --no-deps --no-cache-dir --no-binary llama-cpp-python \
      -w "$CACHE.tmp" "llama-cpp-python==$LLAMA_VERSION"
    rm -rf "$CACHE"; mv "$CACHE.tmp" "$CACHE"
  else
    say "reusing llama-cpp-python wheel built for '$BACKEND' ($KEY)"
  fi
  "$VPY" -m pip install --quiet --force-reinstall --no-deps "$CACHE"/llama_cpp_python-*.whl
  printf '%s' "$KEY" > "$MARKER"
fi
printf '%s\n%s\n' "$BACKEND" "$CMAKE_FLAGS" > "$VENV/.abstractor-llama-backend"
say "llama.cpp backend built: $BACKEND"

# ---- Abstractor itself ----------------------------------------------------
EXTRAS="gui"
[ "$DEV" = 1 ] && EXTRAS="gui,dev"
say "installing Abstractor [$EXTRAS]"
"$VPY" -m pip install --quiet -e "$ROOT[$EXTRAS]"

# ---- Qt's X11 platform plugin needs these system libraries on Linux ----------
XCB_LIBS="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0"
# --dev: makensis, so tests/packaging compiles the Windows installer script
if [ "$DEV" = 1 ]; then XCB_LIBS="$XCB_LIBS nsis"; fi
if [ "$(uname -s)" = "Linux" ] && command -v dpkg-query >/dev/null 2>&1; then
  MISSING=""
  for lib in $XCB_LIBS; do
    dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q "install ok installed" || MISSING="$MISSING $lib"
  done
  if [ -n "$MISSING" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing Debian packages:$MISSING"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $MISSING) >/dev/null \
        || say "warning: could not install$MISSING; the window needs them on X11"
    else
      say "warning: the desktop window (and, with --dev, the installer tests) need these packages; install them with:"
      say "  sudo apt-get install$MISSING"
    fi
  fi
fi

# ---- embedded demo model ---------------------------------------------------
"$VPY" -m core.models.fetch --embedded
if [ "$DEV" = 1 ]; then
  "$VPY" -m core.models.fetch --gemma-test
fi
say "done: $VENV/bin/abstractor"
