#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine: installs the missing Debian packages,
# configures and builds, then either starts the workbench (start) or runs every test (test).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  g++ cmake ninja-build pkg-config
  libtorch-dev libgloo-dev libopenblas0-pthread zlib1g-dev
  libopencv-dev
  qt6-base-dev libqcustomplot-dev libigraph-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
  nlohmann-json3-dev libcli11-dev libboost-dev
  clang libclang-rt-14-dev
  dpkg-dev file desktop-file-utils
  dataset-fashion-mnist
)
# The tests also start a single-node Slurm cluster (tests/slurm): its daemons and commands.
TEST_PACKAGES=(slurm-wlm munge)
BUILD_DIR=${FEWDATA_BUILD_DIR:-build}

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing missing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

build() {
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
  cmake --build "$BUILD_DIR" -j "$(nproc)"
}

case "${1:-}" in
  start)
    install_missing
    build
    shift
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      exec "$BUILD_DIR/app/fewdata" "$@"
    fi
    # No display (a server, CI): the same default experiment from the command line.
    echo "No display found: running the default experiment with fewdata-cli instead of the window."
    out="runs/default-$(date +%Y%m%d-%H%M%S)"
    exec "$BUILD_DIR/app/fewdata-cli" train --out "$out" "$@"
    ;;
  test)
    PACKAGES+=("${TEST_PACKAGES[@]}")
    install_missing
    build
    (cd "$BUILD_DIR" && ctest --output-on-failure --timeout 900)
    # The parsers of untrusted input again, under ASan + UBSan and libFuzzer (clang).
    exec bash tests/fuzz/run.sh "$BUILD_DIR/sanitized" 10000
    ;;
  *)
    echo "usage: $0 start [window or, without a display, train flags...] | test" >&2
    exit 2
    ;;
esac
