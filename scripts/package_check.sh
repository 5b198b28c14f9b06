#!/usr/bin/env bash
# The Debian package, checked as a user would get it: builds it with cpack in BUILD_DIR
# (default build), then, from the .deb alone,
#   - its control data: Depends worked out by dpkg-shlibdeps (the LibTorch library package
#     among them) plus dataset-fashion-mnist and libopenblas0-pthread;
#   - its files: both programs in usr/bin and no benchmark or test, the menu entry (checked by
#     desktop-file-validate where desktop-file-utils is installed), the hicolor icons, the
#     .qm files, the docs; no RPATH into the build tree;
#   - unpacked into a scratch root (dpkg-deb -x) with LD_LIBRARY_PATH unset: both programs'
#     --version (the window's without a display) and a one-epoch run of the installed
#     fewdata-cli on the embedded default.
# Any failed check fails the script.
#   usage: bash scripts/package_check.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=$(cd "${1:-build}" && pwd)
SOURCE_DIR=$(pwd)
start=$SECONDS

fail() { echo "package_check: FAIL: $*" >&2; exit 1; }
step() { echo "package_check: $*"; }

for tool in cpack dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || fail "$tool is missing (dpkg-dev provides dpkg-shlibdeps)"
done
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD_DIR/CMakeCache.txt")
[ -n "$version" ] || fail "no project version in $BUILD_DIR/CMakeCache.txt"

step "cpack -G DEB in $BUILD_DIR"
rm -f "$BUILD_DIR"/fewdata-workbench_*.deb
(cd "$BUILD_DIR" && cpack -G DEB) >"$BUILD_DIR/package_check_cpack.log" 2>&1 ||
  { tail -40 "$BUILD_DIR/package_check_cpack.log" >&2; fail "cpack -G DEB"; }
debs=("$BUILD_DIR"/fewdata-workbench_"$version"_*.deb)
[ -f "${debs[0]}" ] && [ ${#debs[@]} -eq 1 ] || fail "expected one fewdata-workbench_${version}_*.deb"
deb=${debs[0]}
step "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

# --- Control data.
info=$(dpkg-deb -I "$deb")
grep -E '^ (Package|Version|Architecture|Section|Maintainer|Depends|Recommends):' <<<"$info"
depends=$(sed -n 's/^ Depends: //p' <<<"$info")
[ "$(sed -n 's/^ Package: //p' <<<"$info")" = fewdata-workbench ] || fail "package name"
[ "$(sed -n 's/^ Version: //p' <<<"$info")" = "$version" ] || fail "package version"
depends_list=$(tr ',' '\n' <<<"$depends" | sed 's/^ *//')
for dep in 'libtorch[0-9.]+' 'libqt6widgets6' 'libopencv-imgcodecs[0-9a-z.]+' \
           'dataset-fashion-mnist' 'libopenblas0-pthread'; do
  grep -Eq "^$dep( |$)" <<<"$depends_list" || fail "Depends lacks $dep: $depends"
done

# --- Files.
contents=$(dpkg-deb -c "$deb" | awk '{print $NF}')
for f in ./usr/bin/fewdata ./usr/bin/fewdata-cli ./usr/share/applications/fewdata.desktop \
         ./usr/share/fewdata/translations/fewdata_de.qm \
         ./usr/share/doc/fewdata-workbench/README.md; do
  grep -qxF "$f" <<<"$contents" || fail "the package lacks $f"
done
for size in 16 24 32 48 64 128 256; do
  grep -qxF "./usr/share/icons/hicolor/${size}x${size}/apps/fewdata.png" <<<"$contents" ||
    fail "the package lacks the ${size}x${size} icon"
done
programs=$(grep '^\./usr/bin/.' <<<"$contents" | sort | tr '\n' ' ')
[ "$programs" = "./usr/bin/fewdata ./usr/bin/fewdata-cli " ] ||
  fail "usr/bin must hold fewdata and fewdata-cli only, holds: $programs"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
for p in fewdata fewdata-cli; do
  if readelf -d "$root/usr/bin/$p" | grep -E 'R(UN)?PATH' | grep -qF -e "$BUILD_DIR" -e "$SOURCE_DIR"; then
    fail "$p keeps an RPATH into the build tree"
  fi
done
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$root/usr/share/applications/fewdata.desktop" ||
    fail "desktop-file-validate fewdata.desktop"
  step "fewdata.desktop passes desktop-file-validate"
else
  step "desktop-file-validate not installed (desktop-file-utils): .desktop check skipped"
fi

# --- The unpacked programs, on the system's libraries only.
run() { env -u LD_LIBRARY_PATH -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$@"; }
for p in fewdata-cli fewdata; do
  out=$(run "$root/usr/bin/$p" --version) || fail "$p --version exited $?"
  echo "$out"
  grep -Eq "^$p $version([+][^ ]+)? \(LibTorch [0-9][^)]*\)$" <<<"$out" ||
    fail "$p --version printed '$out'"
done
step "one epoch with the installed fewdata-cli"
t0=$SECONDS
run "$root/usr/bin/fewdata-cli" train --per-class 5 --epochs 1 --image-size 16 --max-test 100 \
  --threads 2 --out "$root/run" || fail "the one-epoch run exited $?"
grep -q '"status": *"finished"' "$root/run/result.json" ||
  fail "the one-epoch run's result.json: $(cat "$root/run/result.json" 2>/dev/null)"
step "one-epoch run finished in $((SECONDS - t0)) s"
step "OK: $(basename "$deb") in $((SECONDS - start)) s"
