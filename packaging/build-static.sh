#!/usr/bin/env bash
# Builds the fully static release binary (glibc, +crt-static: "static-pie", no shared
# libraries), checks that it is static and stripped, and prints its path and size.
#
#   packaging/build-static.sh            # -> $CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release/order-system
#
# CARGO_TARGET_DIR defaults to /var/tmp/order-system-target, as in .ci/run. Extra
# arguments are passed to `cargo build`. The release profile (Cargo.toml) already
# strips and uses fat LTO.
#
# getrandom_backend="linux_getrandom": getrandom 0.3/0.4 find getrandom(2) with dlsym,
# which a static binary cannot do, and would fall back to reading /dev/urandom, so
# the binary would fail where /dev is empty (minimal chroots and containers). This cfg
# makes them call getrandom(2) directly (Linux 3.17 or later).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=x86_64-unknown-linux-gnu
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/order-system-target}"
export RUSTFLAGS="-C target-feature=+crt-static --cfg getrandom_backend=\"linux_getrandom\""
BIN="$CARGO_TARGET_DIR/$TARGET/release/order-system"

echo "== cargo build --release --locked --target $TARGET (RUSTFLAGS=$RUSTFLAGS)"
start=$(date +%s)
cargo build --release --locked --target "$TARGET" "$@"
echo "built in $(($(date +%s) - start)) s"

fail() { echo "build-static: $*" >&2; exit 1; }
[ -x "$BIN" ] || fail "no binary at $BIN"

# ldd prints "not a dynamic executable" (exit 1) for a static binary, or
# "statically linked" for a static-pie one; anything listing libraries is a failure.
ldd_out=$(LC_ALL=C ldd "$BIN" 2>&1 || true)
case "$ldd_out" in
  *"not a dynamic executable"* | *"statically linked"*) ;;
  *) fail "ldd says the binary is dynamic:
$ldd_out" ;;
esac
file_out=$(file -b "$BIN")
case "$file_out" in
  *"static-pie linked"* | *"statically linked"*) ;;
  *) fail "file does not say static: $file_out" ;;
esac
case "$file_out" in
  *", stripped"*) ;;
  *) fail "file does not say stripped: $file_out" ;;
esac
# Packed relocations (build.rs): without them the binary keeps 1.3 MB more resident.
sections=$(LC_ALL=C readelf -SW "$BIN")
case "$sections" in
  *" .relr.dyn "*) ;;
  *) fail "no .relr.dyn section: relocations are not packed (build.rs)" ;;
esac
"$BIN" version >/dev/null || fail "the binary does not run"

size=$(stat -c %s "$BIN")
echo "ldd:  $ldd_out"
echo "file: $file_out"
echo "static binary: $BIN"
echo "size: $size bytes ($(numfmt --to=iec-i --suffix=B "$size"))"
