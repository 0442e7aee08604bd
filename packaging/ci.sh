#!/usr/bin/env bash
# CI for the packaging: the unit's checks, the .deb (lintian, installs in throwaway
# Debian roots, the unit booted under systemd), the tarball and install.sh.
#
#   packaging/ci.sh            # packages the static binary already built (.ci/run builds it)
#   packaging/ci.sh --build    # runs packaging/build-static.sh first
#
# Runs as root. Installs what it needs: Debian packages (lintian, debootstrap,
# systemd-container, strace, ...) and cargo-deb into /var/tmp/order-system-tools.
# The Debian root for the install tests is made once (debootstrap, about a minute) and
# cached in /var/tmp/order-system-debroot.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=x86_64-unknown-linux-gnu
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/order-system-target}"
BIN="$CARGO_TARGET_DIR/$TARGET/release/order-system"
TOOLS=/var/tmp/order-system-tools
CARGO_DEB_VERSION=3.8.0
export PATH="$TOOLS/bin:$PATH"
build=0
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    *) echo "usage: $0 [--build]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "packaging/ci.sh: run as root (chroot, mounts, systemd-nspawn)" >&2; exit 1; }

TIMES=()
t0=$(date +%s)
step_start=$t0
step_name=""
step() {
  local now; now=$(date +%s)
  [ -z "$step_name" ] || TIMES+=("$(printf '%4d s  %s' $((now - step_start)) "$step_name")")
  step_name="$*"; step_start=$now
  printf '\n==== %s\n' "$*"
}

step "tools"
need=()
for pkg in lintian debootstrap systemd systemd-container strace curl file python3 util-linux; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ "$(cargo-deb --version 2>/dev/null | awk '{print $NF}')" != "$CARGO_DEB_VERSION" ]; then
  echo "cargo install cargo-deb $CARGO_DEB_VERSION"
  cargo install --locked --quiet cargo-deb --version "$CARGO_DEB_VERSION" --root "$TOOLS"
fi
echo "cargo-deb $(cargo-deb --version | awk '{print $NF}'), $(lintian --version), $(systemd-analyze --version | head -1)"

if [ "$build" = 1 ]; then
  step "static binary (packaging/build-static.sh)"
  packaging/build-static.sh
fi
[ -x "$BIN" ] || { echo "packaging/ci.sh: no static binary at $BIN: run packaging/build-static.sh or pass --build" >&2; exit 1; }

version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"
DEB="dist/order-system_${version}-1_amd64.deb"
TARBALL="dist/order-system-${version}-x86_64-linux.tar.gz"

step "unit: systemd-analyze security and verify (packaging/check-unit.sh)"
packaging/check-unit.sh "$BIN"
step "unit: system calls and sd_notify of a real run (packaging/check-syscalls.sh)"
packaging/check-syscalls.sh "$BIN"
step ".deb: cargo-deb and lintian (packaging/build-deb.sh)"
packaging/build-deb.sh --no-build
step ".deb: contents, chroot install, systemd boot (packaging/test-deb.sh)"
packaging/test-deb.sh "$DEB"
step "tarball (packaging/build-tarball.sh)"
packaging/build-tarball.sh --no-build
step "tarball: install.sh (packaging/test-tarball.sh)"
packaging/test-tarball.sh "$TARBALL"
step "done"

printf '\n==== packaging/ci.sh: OK in %d s\n' $(($(date +%s) - t0))
printf '%s\n' "${TIMES[@]}"
