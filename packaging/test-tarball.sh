#!/usr/bin/env bash
# Tests the release tarball and its install.sh.
#
#   packaging/test-tarball.sh [TARBALL]   (root; default: dist/order-system-*-x86_64-linux.tar.gz)
#
# 1. Contents: the files and their modes.
# 2. install.sh --root into an empty directory: the files, ExecStart rewritten, twice
#    (idempotent, a modified config kept), then --uninstall keeps config and data.
# 3. install.sh inside a fresh Debian root (chroot, /bin/sh is dash, systemd not
#    running): the system user, modes, the unit enabled and accepted by
#    systemd-analyze verify; the server runs as that user from the installed config
#    and answers /health from outside; --uninstall keeps the data.
set -euo pipefail
cd "$(dirname "$0")/.."
source packaging/debroot.sh

[ "$(id -u)" -eq 0 ] || { echo "test-tarball: run as root" >&2; exit 1; }
TARBALL="${1:-$(ls -t dist/order-system-*-x86_64-linux.tar.gz 2>/dev/null | head -1)}"
[ -n "$TARBALL" ] && [ -f "$TARBALL" ] || { echo "test-tarball: no tarball (packaging/build-tarball.sh)" >&2; exit 1; }
TARBALL="$(realpath "$TARBALL")"
NAME="$(basename "$TARBALL" .tar.gz)"
# The server's settings in the caller's environment would override the config under test.
while IFS= read -r var; do unset "$var"; done < <(env | sed -n 's/^\(ORDER_SYSTEM_[A-Z_]*\)=.*/\1/p')
unset SECRET_KEY ACCESS_TOKEN_EXPIRE_MINUTES RUST_LOG

WORK="$(mktemp -d /var/tmp/order-system-test-tarball.XXXXXX)"
SERVER_PID=""
cleanup() {
  [ -z "$SERVER_PID" ] || kill -KILL "$SERVER_PID" 2>/dev/null || true
  debroot_remove "$WORK/chroot" || true
  rm -rf --one-file-system "$WORK" 2>/dev/null || true
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
fail() { echo "test-tarball: FAIL: $*" >&2; exit 1; }
ok() { echo "  ok: $*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mode() { stat -c '%a' "$1"; }

step "contents of $(basename "$TARBALL")"
listing="$(tar -tvzf "$TARBALL")"
expect() { # MODE PATH
  awk -v m="$1" -v p="$NAME/$2" '$1 == m && $2 == "0/0" && $NF == p { f = 1 } END { exit !f }' <<<"$listing" \
    || fail "no $1 0/0 $NAME/$2 in the tarball"
  ok "$1 $NAME/$2"
}
expect -rwxr-xr-x order-system
expect -rwxr-xr-x install.sh
expect -rw-r--r-- order-system.service
expect -rw-r--r-- config.toml
expect -rw-r--r-- README.md
[ "$(grep -vc "^d" <<<"$listing")" -le 6 ] || fail "unexpected files: $listing"
tar -xzf "$TARBALL" -C "$WORK"
PKG="$WORK/$NAME"
cmp -s "$PKG/order-system.service" systemd/order-system.service || fail "unit differs from systemd/order-system.service"
cmp -s "$PKG/config.toml" packaging/config.toml || fail "config differs from packaging/config.toml"
"$PKG/order-system" version >/dev/null || fail "the binary does not run"
ok "unit and config are the source tree's; the binary runs"

step "install.sh --root DIR (an empty directory)"
T="$WORK/root"
mkdir "$T"
sh "$PKG/install.sh" --root "$T" >"$WORK/install-root.log" 2>&1 || { cat "$WORK/install-root.log" >&2; fail "install.sh --root"; }
sed 's/^/    /' "$WORK/install-root.log"
[ "$(mode "$T/usr/local/bin/order-system")" = 755 ] || fail "binary mode"
cmp -s "$T/usr/local/bin/order-system" "$PKG/order-system" || fail "binary differs"
[ "$(mode "$T/etc/order-system/config.toml")" = 640 ] || fail "config mode $(mode "$T/etc/order-system/config.toml")"
[ "$(mode "$T/var/lib/order-system")" = 700 ] || fail "data dir mode"
grep -qx 'ExecStart=/usr/local/bin/order-system serve --config /etc/order-system/config.toml' \
  "$T/etc/systemd/system/order-system.service" || fail "ExecStart not rewritten to /usr/local/bin"
diff <(grep -v '^ExecStart=\|^Documentation=' systemd/order-system.service) \
     <(grep -v '^ExecStart=\|^Documentation=' "$T/etc/systemd/system/order-system.service") >/dev/null \
  || fail "the installed unit differs in more than ExecStart and Documentation"
ok "binary 755, config 640, data 700, unit with ExecStart=/usr/local/bin/order-system"
echo '# local change' >>"$T/etc/order-system/config.toml"
touch "$T/var/lib/order-system/order-system.db"
sh "$PKG/install.sh" --root "$T" --prefix /opt/order-system >"$WORK/install-root2.log" 2>&1 \
  || { cat "$WORK/install-root2.log" >&2; fail "install.sh --root, second run"; }
grep -q '^# local change' "$T/etc/order-system/config.toml" || fail "second run replaced the config"
[ -f "$T/etc/order-system/config.toml.new" ] || fail "no config.toml.new beside a modified config"
grep -qx 'ExecStart=/opt/order-system/bin/order-system serve --config /etc/order-system/config.toml' \
  "$T/etc/systemd/system/order-system.service" || fail "--prefix not applied to ExecStart"
[ -f "$T/var/lib/order-system/order-system.db" ] || fail "second run lost the data"
ok "second run (--prefix /opt/order-system): config kept (+ config.toml.new), data kept, ExecStart follows --prefix"
sh "$PKG/install.sh" --root "$T" --prefix /opt/order-system --uninstall >"$WORK/uninstall-root.log" 2>&1 \
  || { cat "$WORK/uninstall-root.log" >&2; fail "install.sh --uninstall"; }
[ ! -e "$T/opt/order-system/bin/order-system" ] && [ ! -e "$T/etc/systemd/system/order-system.service" ] \
  || fail "--uninstall left the binary or the unit"
[ -f "$T/etc/order-system/config.toml" ] && [ -f "$T/var/lib/order-system/order-system.db" ] \
  || fail "--uninstall removed the config or the data"
ok "--uninstall: binary and unit gone, config and data kept"

step "install.sh in a fresh Debian root (chroot, dash, systemd not running)"
C="$WORK/chroot"
debroot_new "$C"
debroot_mount_api "$C"
R="$C/root"
cp -a "$PKG" "$R/root/"
chroot "$R" sh "/root/$NAME/install.sh" >"$WORK/install-chroot.log" 2>&1 \
  || { cat "$WORK/install-chroot.log" >&2; fail "install.sh in the chroot"; }
sed 's/^/    /' "$WORK/install-chroot.log"
IFS=: read -r _ _ uid _ _ home shell < <(chroot "$R" getent passwd order-system) || fail "no user order-system"
[ "$uid" -lt 1000 ] && [ "$home" = /var/lib/order-system ] || fail "user: uid $uid home $home"
case "$shell" in */nologin | */false) ;; *) fail "login shell $shell" ;; esac
ok "system user order-system: uid $uid, shell $shell"
[ "$(chroot "$R" stat -c '%a %U %G' /var/lib/order-system)" = "700 order-system order-system" ] || fail "data dir"
[ "$(chroot "$R" stat -c '%a %U %G' /etc/order-system/config.toml)" = "640 root order-system" ] || fail "config"
[ -L "$R/etc/systemd/system/multi-user.target.wants/order-system.service" ] || fail "unit not enabled"
ok "data 700 order-system, config 640 root:order-system, unit enabled"
chroot "$R" systemd-analyze verify /etc/systemd/system/order-system.service >"$WORK/verify.txt" 2>&1 || true
[ ! -s "$WORK/verify.txt" ] || { cat "$WORK/verify.txt" >&2; fail "systemd-analyze verify of the installed unit"; }
ok "systemd-analyze verify of the installed unit: clean"
chroot "$R" sh "/root/$NAME/install.sh" >"$WORK/install-chroot2.log" 2>&1 \
  || { cat "$WORK/install-chroot2.log" >&2; fail "install.sh in the chroot, second run"; }
[ "$(chroot "$R" id -u order-system)" = "$uid" ] || fail "second run changed the user"
ok "second run: nothing changed"

PORT="$(free_port)"
args=(serve --config /etc/order-system/config.toml --http "127.0.0.1:$PORT")
chroot "$R" setpriv --reuid=order-system --regid=order-system --clear-groups --no-new-privs -- \
  /usr/local/bin/order-system "${args[@]}" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null || { cat "$WORK/serve.log" >&2; fail "no /health on :$PORT"; }
kill -TERM "$SERVER_PID"
rc=0; wait "$SERVER_PID" || rc=$?
SERVER_PID=""
[ "$rc" -eq 0 ] || { cat "$WORK/serve.log" >&2; fail "serve exited $rc on SIGTERM"; }
ok "serve as order-system: /health from outside on :$PORT, clean SIGTERM"

chroot "$R" sh "/root/$NAME/install.sh" --uninstall >"$WORK/uninstall-chroot.log" 2>&1 \
  || { cat "$WORK/uninstall-chroot.log" >&2; fail "install.sh --uninstall in the chroot"; }
[ ! -e "$R/usr/local/bin/order-system" ] && [ ! -e "$R/etc/systemd/system/order-system.service" ] \
  && [ ! -e "$R/etc/systemd/system/multi-user.target.wants/order-system.service" ] \
  || fail "--uninstall left the binary, the unit or its enablement"
[ -f "$R/var/lib/order-system/order-system.db" ] && [ -f "$R/etc/order-system/config.toml" ] \
  || fail "--uninstall removed data or config"
ok "--uninstall: program, unit and link gone; config and data kept"

step "test-tarball: OK"
