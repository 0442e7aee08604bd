#!/usr/bin/env bash
# Builds dist/order-system_<version>-1_amd64.deb with cargo-deb from the static binary,
# then runs lintian and fails on any error (E:).
#
#   packaging/build-deb.sh              # runs packaging/build-static.sh first
#   packaging/build-deb.sh --no-build   # packages the static binary already built
#
# The package's metadata is [package.metadata.deb] in Cargo.toml; its maintainer
# scripts, changelog, copyright and lintian overrides are in packaging/debian/.
# cargo-deb: found on PATH or in /var/tmp/order-system-tools/bin (packaging/ci.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=x86_64-unknown-linux-gnu
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/order-system-target}"
BIN="$CARGO_TARGET_DIR/$TARGET/release/order-system"
build=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
  esac
done
fail() { echo "build-deb: $*" >&2; exit 1; }

CARGO_DEB="$(command -v cargo-deb || true)"
[ -n "$CARGO_DEB" ] || CARGO_DEB=/var/tmp/order-system-tools/bin/cargo-deb
[ -x "$CARGO_DEB" ] || fail "cargo-deb not found: CARGO_BUILD_JOBS=1 cargo install --locked cargo-deb --root /var/tmp/order-system-tools"

# The changelog's newest entry must be this version (lintian and dpkg show it).
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"
changelog_version="$(sed -n '1s/^order-system (\([^)]*\)).*/\1/p' packaging/debian/changelog)"
[ "${changelog_version%-*}" = "$version" ] \
  || fail "packaging/debian/changelog starts with $changelog_version, Cargo.toml says $version: add an entry for $version-1 at the top"

if [ "$build" = 1 ]; then
  packaging/build-static.sh
fi
[ -x "$BIN" ] || fail "no binary at $BIN (run packaging/build-static.sh)"
case "$(file -b "$BIN")" in
  *"static-pie linked"* | *"statically linked"*) ;;
  *) [ "${ORDER_SYSTEM_ALLOW_DYNAMIC:-0}" = 1 ] || fail "$BIN is not static (run packaging/build-static.sh)" ;;
esac

mkdir -p dist
echo "== cargo deb --no-build --target $TARGET"
deb="$("$CARGO_DEB" --no-build --locked --target "$TARGET" --output dist/ | tail -1)"
[ -f "$deb" ] || fail "cargo-deb did not print the .deb it made (got: $deb)"
echo "$deb ($(stat -c %s "$deb") bytes)"

echo "== lintian"
if ! command -v lintian >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lintian >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq lintian >/dev/null; }
fi
rc=0
# Overridden tags are shown (O:) so that they stay visible.
lintian --fail-on error --show-overrides "$deb" >dist/lintian.txt 2>dist/lintian.err || rc=$?
cat dist/lintian.txt
grep -v 'running with root privileges is not recommended' dist/lintian.err >&2 || true
errors="$(grep -c '^E:' dist/lintian.txt || true)"
warnings="$(grep -c '^W:' dist/lintian.txt || true)"
echo "lintian: $errors errors, $warnings warnings (exit $rc)"
[ "$rc" -eq 0 ] && [ "$errors" -eq 0 ] || fail "lintian reports errors"
echo "deb: $deb"
