#!/usr/bin/env bash
# Builds dist/order-system-<version>-x86_64-linux.tar.gz: the static binary, the systemd
# unit, the example config, install.sh, README.md (and LICENSE when there is one), in
# a directory order-system-<version>-x86_64-linux/. For Linux systems other than Debian.
#
#   packaging/build-tarball.sh              # runs packaging/build-static.sh first
#   packaging/build-tarball.sh --no-build   # uses the static binary already built
#
# The archive is reproducible: sorted names, root owner, the last commit's time.
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
fail() { echo "build-tarball: $*" >&2; exit 1; }

[ "$build" = 0 ] || packaging/build-static.sh
[ -x "$BIN" ] || fail "no binary at $BIN (run packaging/build-static.sh)"
case "$(file -b "$BIN")" in
  *"static-pie linked"* | *"statically linked"*) ;;
  *) [ "${ORDER_SYSTEM_ALLOW_DYNAMIC:-0}" = 1 ] || fail "$BIN is not static (run packaging/build-static.sh)" ;;
esac

version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"
name="order-system-$version-x86_64-linux"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
install -m 0755 "$BIN" "$stage/$name/order-system"
install -m 0755 packaging/install.sh "$stage/$name/install.sh"
install -m 0644 systemd/order-system.service "$stage/$name/order-system.service"
install -m 0644 packaging/config.toml "$stage/$name/config.toml"
install -m 0644 README.md "$stage/$name/README.md"
for license in LICENSE LICENSE.md LICENSE.txt COPYING; do
  if [ -f "$license" ]; then install -m 0644 "$license" "$stage/$name/$license"; fi
done

mkdir -p dist
out="dist/$name.tar.gz"
mtime="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" \
  --format=gnu -C "$stage" -cf - "$name" | gzip -9 -n >"$out.tmp"
mv -f "$out.tmp" "$out"
tar -tvzf "$out"
echo "tarball: $out ($(stat -c %s "$out") bytes)"
