#!/usr/bin/env bash
# Build llama.cpp's C++ server (llama-server) from the llama.cpp that
# llama-cpp-python vendors, for the speed anchor in docs/performance.md.
#
#   bash packaging/build-llama-server.sh [--link-wheel] [path/to/llama_cpp_python-<version>.tar.gz]
#
# - The sdist must be the llama-cpp-python version packaging/setup.sh installs
#   (its LLAMA_VERSION); any other version is refused.  Without an argument it
#   is looked for in ~/.cache/abstractor/sdist/ and otherwise fetched there
#   with `pip download --no-binary :all:` (the sdist, never model weights).
# - The CMake flags are the ones packaging/setup.sh built the installed wheel
#   with (.venv/.abstractor-llama-backend: same backend, AMX off), plus a
#   Release build of the llama-server target only, statically linked, with no
#   HTTPS, no web UI and no UI download.
# - Default: the whole llama-server target from source (llama.cpp, ggml, common,
#   mtmd and the server: about 200 files, roughly an hour on 2 shared cores).
#   --link-wheel: compile only the server's own sources (about 15 files, minutes)
#   and link them to the shared libraries of the installed llama-cpp-python
#   wheel (libllama, libggml*, libllama-common, libmtmd): the very kernels
#   Abstractor's engine runs.  The binary then needs that .venv.
# - The binary goes to ~/.cache/abstractor/llama-server/<key>/llama-server,
#   keyed by version, flags and mode, and is reused when present.
# Prints the binary's path and `llama-server --version`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
say() { printf '[build-llama-server] %s\n' "$*" >&2; }
die() { say "$1"; exit "${2:-1}"; }

LLAMA_VERSION="$(sed -n 's/^LLAMA_VERSION="\(.*\)"$/\1/p' "$ROOT/packaging/setup.sh")"
[ -n "$LLAMA_VERSION" ] || die "cannot read LLAMA_VERSION from packaging/setup.sh"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/abstractor"
NAME="llama_cpp_python-$LLAMA_VERSION"

MODE="full"
SDIST=""
for arg in "$@"; do
  case "$arg" in
    --link-wheel) MODE="wheel" ;;
    -*) die "unknown option $arg" 2 ;;
    *) SDIST="$arg" ;;
  esac
done

# ---- the sdist: exactly the version setup.sh installs ------------------------
if [ -z "$SDIST" ]; then
  SDIST="$CACHE_ROOT/sdist/$NAME.tar.gz"
  if [ ! -f "$SDIST" ]; then
    say "fetching the llama-cpp-python $LLAMA_VERSION sdist into $CACHE_ROOT/sdist"
    mkdir -p "$CACHE_ROOT/sdist"
    python3 -m pip download --quiet --no-deps --no-binary :all: -d "$CACHE_ROOT/sdist" \
      "llama-cpp-python==$LLAMA_VERSION"
  fi
fi
[ -f "$SDIST" ] || die "no such file: $SDIST"
if [ "$(basename "$SDIST")" != "$NAME.tar.gz" ]; then
  die "refusing $(basename "$SDIST"): llama-server must come from $NAME.tar.gz, the version packaging/setup.sh installs" 2
fi
PKG_VERSION="$(tar -xzOf "$SDIST" "$NAME/PKG-INFO" 2>/dev/null | sed -n 's/^Version: *//p' | head -n1 || true)"
if [ "$PKG_VERSION" != "$LLAMA_VERSION" ]; then
  die "refusing $SDIST: its PKG-INFO says version '${PKG_VERSION:-none}', not $LLAMA_VERSION" 2
fi

# ---- the flags the installed wheel was built with --------------------------------
if [ -n "${ABSTRACTOR_CMAKE_ARGS:-}" ]; then
  WHEEL_FLAGS="$ABSTRACTOR_CMAKE_ARGS"
elif [ -f "$VENV/.abstractor-llama-backend" ]; then
  WHEEL_FLAGS="$(sed -n 2p "$VENV/.abstractor-llama-backend")"
else
  die "no $VENV/.abstractor-llama-backend: run 'bash packaging/setup.sh' first, so the server gets the wheel's flags"
fi
SERVER_FLAGS="-DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DLLAMA_BUILD_COMMON=ON -DLLAMA_BUILD_TOOLS=ON \
-DLLAMA_BUILD_SERVER=ON -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF"
if [ "$MODE" = "wheel" ]; then
  PKG="$("$VENV/bin/python" -c 'import llama_cpp, os; print(llama_cpp.__version__, os.path.dirname(llama_cpp.__file__))')" \
    || die "cannot import llama_cpp from $VENV: run 'bash packaging/setup.sh' first"
  [ "${PKG%% *}" = "$LLAMA_VERSION" ] || die "the venv has llama-cpp-python ${PKG%% *}, not $LLAMA_VERSION" 2
  PKG="${PKG#* }"
  # the wheel puts libllama/libggml/libmtmd in llama_cpp/lib and libllama-common in site-packages/lib
  LIBDIRS="$PKG/lib:$(dirname "$PKG")/lib"
  for lib in libllama.so libggml.so libggml-base.so libggml-cpu.so libmtmd.so libllama-common.so; do
    [ -e "$PKG/lib/$lib" ] || [ -e "$(dirname "$PKG")/lib/$lib" ] || die "the installed wheel has no $lib"
  done
else
  LIBDIRS=""
fi
KEY="$(printf '%s|%s|%s|%s|%s' "$LLAMA_VERSION" "$WHEEL_FLAGS" "$SERVER_FLAGS" "$MODE" "$LIBDIRS" | sha256sum | cut -c1-16)"
OUT="$CACHE_ROOT/llama-server/$KEY"
BIN="$OUT/llama-server"

if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1; then
  say "reusing $BIN"
else
  WORK="$OUT.tmp"
  rm -rf "$WORK"; mkdir -p "$WORK"
  say "extracting $NAME/vendor/llama.cpp"
  tar -xzf "$SDIST" -C "$WORK" "$NAME/vendor/llama.cpp"
  say "cmake flags: $WHEEL_FLAGS $SERVER_FLAGS"
  # shellcheck disable=SC2086  # the flag strings are word lists
  cmake -S "$WORK/$NAME/vendor/llama.cpp" -B "$WORK/build" -G "Unix Makefiles" $WHEEL_FLAGS $SERVER_FLAGS >"$WORK/cmake.log" 2>&1 \
    || { tail -n 30 "$WORK/cmake.log" >&2; die "cmake configure failed (log: $WORK/cmake.log)"; }
  if [ "$MODE" = "full" ]; then
    say "building llama-server (-j${JOBS:-2}; about an hour on 2 shared cores)"
    cmake --build "$WORK/build" --target llama-server -j "${JOBS:-2}" >"$WORK/build.log" 2>&1 \
      || { tail -n 30 "$WORK/build.log" >&2; die "build failed (log: $WORK/build.log)"; }
  else
    say "building the server's own sources, linked to the wheel's libraries in $LIBDIRS"
    # each target's own build.make builds its objects without pulling in llama/ggml/common/mtmd
    ( cd "$WORK/build"
      for t in tools/ui/CMakeFiles/llama-ui-assets tools/ui/CMakeFiles/llama-ui vendor/cpp-httplib/CMakeFiles/cpp-httplib \
               vendor/hash/CMakeFiles/vendor-hash tools/server/CMakeFiles/server-context \
               tools/server/CMakeFiles/llama-server-impl; do
        make -j "${JOBS:-2}" -f "$t.dir/build.make" "$t.dir/build"
      done
      make -f tools/server/CMakeFiles/llama-server.dir/build.make tools/server/CMakeFiles/llama-server.dir/main.cpp.o
      mkdir -p bin
      c++ -O3 -DNDEBUG tools/server/CMakeFiles/llama-server.dir/main.cpp.o -o bin/llama-server \
        tools/server/libllama-server-impl.a tools/server/libserver-context.a tools/ui/libllama-ui.a \
        vendor/cpp-httplib/libcpp-httplib.a vendor/hash/libvendor-hash.a \
        -L"${LIBDIRS%%:*}" -L"${LIBDIRS#*:}" -lmtmd -lllama-common -lllama -lggml -lggml-cpu -lggml-base \
        -lpthread -ldl -Wl,-rpath,"$LIBDIRS"
    ) >"$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log" >&2; die "build failed (log: $WORK/build.log)"; }
  fi
  mkdir -p "$OUT"
  cp "$WORK/build/bin/llama-server" "$BIN"
  printf 'llama-cpp-python %s (%s)\n%s\n%s\n%s\n' "$LLAMA_VERSION" "$MODE" "$WHEEL_FLAGS" "$SERVER_FLAGS" "$LIBDIRS" \
    > "$OUT/flags.txt"
  rm -rf "$WORK"
fi
echo "$BIN"
"$BIN" --version 2>&1
