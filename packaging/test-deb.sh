#!/usr/bin/env bash
# Tests the .deb: its contents, then real installs into throwaway Debian bookworm roots.
#
#   packaging/test-deb.sh [DEB]        (root; default: the newest dist/order-system_*_amd64.deb)
#
# 1. Contents: control fields, conffiles, the binary (0755, static), unit and config
#    identical to the sources, every key documented in config.toml is a serve flag.
# 2. chroot (systemd not running, as in a container or an installer): dpkg -i; the
#    system user without a login shell, /var/lib/order-system 0700, the config 0640
#    root:order-system, the unit enabled; `order-system version` and `config check`;
#    `serve --config` as the service user on a free port, GET /health from outside,
#    SIGTERM; reinstall and upgrade keep a modified conffile and the data; purge keeps
#    the data and the user.
# 3. Booted with systemd (systemd-nspawn, its own network namespace): dpkg -i while
#    systemd runs, so postinst starts the hardened unit for real; it answers /health
#    and a sign-in; it runs as order-system with only CAP_NET_BIND_SERVICE, seccomp and
#    no_new_privs; reload (SIGHUP), watchdog pings, restart after a crash, upgrade with
#    restart, clean stop. ORDER_SYSTEM_SKIP_BOOT_TEST=1 skips this part.
set -euo pipefail
cd "$(dirname "$0")/.."
source packaging/debroot.sh

[ "$(id -u)" -eq 0 ] || { echo "test-deb: run as root (chroot, mounts)" >&2; exit 1; }
DEB="${1:-$(ls -t dist/order-system_*_amd64.deb 2>/dev/null | head -1)}"
[ -n "$DEB" ] && [ -f "$DEB" ] || { echo "test-deb: no .deb (build it with packaging/build-deb.sh)" >&2; exit 1; }
DEB="$(realpath "$DEB")"
ALLOW_DYNAMIC="${ORDER_SYSTEM_ALLOW_DYNAMIC:-0}"
SKIP_BOOT_TEST="${ORDER_SYSTEM_SKIP_BOOT_TEST:-0}"
# The server's settings in the caller's environment would override the config under test.
while IFS= read -r var; do unset "$var"; done < <(env | sed -n 's/^\(ORDER_SYSTEM_[A-Z_]*\)=.*/\1/p')
unset SECRET_KEY ACCESS_TOKEN_EXPIRE_MINUTES RUST_LOG

WORK="$(mktemp -d /var/tmp/order-system-test-deb.XXXXXX)"
NSPAWN_PID=""
cleanup() {
  if [ -n "$NSPAWN_PID" ] && kill -0 "$NSPAWN_PID" 2>/dev/null; then
    kill -TERM "$NSPAWN_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$NSPAWN_PID" 2>/dev/null || true
  fi
  # Any server still running inside a chroot.
  for pidfile in "$WORK"/*.pid; do
    [ -f "$pidfile" ] && kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
  done
  debroot_remove "$WORK/chroot" || true
  debroot_remove "$WORK/boot" || true
  rm -rf --one-file-system "$WORK" 2>/dev/null || true
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }
ok() { echo "  ok: $*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
NOTES=()
note() { NOTES+=("$*"); echo "  NOTE: $*"; }

# ---------------------------------------------------------------------------------------
step "contents of $(basename "$DEB")"
info="$(dpkg-deb -I "$DEB")"
listing="$(dpkg-deb -c "$DEB")"
field() { dpkg-deb -f "$DEB" "$1"; }
[ "$(field Package)" = order-system ] || fail "Package: $(field Package)"
[ "$(field Architecture)" = amd64 ] || fail "Architecture: $(field Architecture)"
field Depends | grep -qw adduser || fail "Depends lacks adduser (postinst uses it): $(field Depends)"
field Depends | grep -qw procps || fail "Depends lacks procps (/bin/kill for ExecReload): $(field Depends)"
ok "control: order-system $(field Version) amd64, Depends: $(field Depends)"
mkdir -p "$WORK/control" "$WORK/files"
dpkg-deb -e "$DEB" "$WORK/control"
dpkg-deb -x "$DEB" "$WORK/files"
[ "$(cat "$WORK/control/conffiles")" = /etc/order-system/config.toml ] \
  || fail "conffiles is not exactly /etc/order-system/config.toml: $(cat "$WORK/control/conffiles")"
ok "conffiles: /etc/order-system/config.toml"
for script in postinst postrm prerm; do
  [ -x "$WORK/control/$script" ] || fail "no executable $script"
  sh -n "$WORK/control/$script" || fail "$script: syntax error"
done
echo "$info" | grep -q 'postinst' || fail "dpkg-deb -I lists no postinst"
grep -q 'adduser --system' "$WORK/control/postinst" || fail "postinst does not create the system user"
grep -q 'deb-systemd-helper enable' "$WORK/control/postinst" || fail "postinst does not enable the unit"
ok "maintainer scripts: postinst, prerm, postrm"
check_entry() { # MODE OWNER PATH
  # dpkg-deb -c prints owners as names or as numbers (cargo-deb writes 0/0).
  echo "$listing" | awk -v m="$1" -v o="$2" -v p="./$3" '
    { owner = $2; if (owner == "0/0") owner = "root/root" }
    $1 == m && owner == o && $NF == p { found = 1 } END { exit !found }' \
    || fail "no $1 $2 ./$3 in the package: $(echo "$listing" | grep -F "$3" || echo missing)"
  ok "$1 $2 /$3"
}
check_entry -rwxr-xr-x root/root usr/bin/order-system
check_entry -rw-r--r-- root/root usr/lib/systemd/system/order-system.service
check_entry -rw-r--r-- root/root etc/order-system/config.toml
check_entry -rw-r--r-- root/root usr/share/doc/order-system/copyright
check_entry -rw-r--r-- root/root usr/share/doc/order-system/changelog.Debian.gz
cmp -s "$WORK/files/usr/lib/systemd/system/order-system.service" systemd/order-system.service \
  || fail "the packaged unit differs from systemd/order-system.service"
cmp -s "$WORK/files/etc/order-system/config.toml" packaging/config.toml \
  || fail "the packaged config differs from packaging/config.toml"
ok "unit and config are the ones in the source tree"
BIN="$WORK/files/usr/bin/order-system"
bin_file="$(file -b "$BIN")"
case "$bin_file" in
  *"static-pie linked"* | *"statically linked"*) ok "binary: static ($(stat -c %s "$BIN") bytes)" ;;
  *)
    [ "$ALLOW_DYNAMIC" = 1 ] || fail "the packaged binary is not static: $bin_file"
    note "the packaged binary is dynamically linked (ORDER_SYSTEM_ALLOW_DYNAMIC=1)" ;;
esac

# What the unit and these tests rely on.
top_help="$("$BIN" --help)"
serve_help="$("$BIN" serve --help)"
grep -q -- '--config' <<<"$top_help" || fail "the binary has no --config (the unit's ExecStart uses it)"
grep -qE '^  config ' <<<"$top_help" || fail "the binary has no config subcommand"
grep -q NOTIFY_SOCKET "$BIN" || fail "the binary does not speak sd_notify (the unit is Type=notify)"
ok "binary: --config, config check, sd_notify"

# Every key that config.toml sets or documents (also in comments) is a serve flag.
unknown=()
while read -r key; do
  grep -q -- "--$key[ =<]" <<<"$serve_help$top_help" || grep -q -- "--$key\$" <<<"$serve_help$top_help" || unknown+=("$key")
done < <(sed -n 's/^#\{0,1\} *\([a-z][a-z0-9-]*\) *= .*/\1/p' packaging/config.toml | sort -u)
[ ${#unknown[@]} -eq 0 ] || fail "config.toml documents keys that are not flags: ${unknown[*]}"
ok "every key in config.toml (set or in a comment) is a flag"

# ---------------------------------------------------------------------------------------
step "chroot: a fresh bookworm root (systemd not running)"
C="$WORK/chroot"
debroot_new "$C"
debroot_mount_api "$C"
R="$C/root"
in_chroot() { chroot "$R" "$@"; }
cp "$DEB" "$R/tmp/order-system.deb"
# apt, as the README says, so that Depends are resolved (all present in the root, no download).
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/order-system.deb \
  >"$WORK/dpkg-install.log" 2>&1 || { cat "$WORK/dpkg-install.log" >&2; fail "apt-get install ./order-system.deb in the chroot"; }
ok "apt-get install ./$(basename "$DEB")"

IFS=: read -r _ _ uid gid _ home shell < <(in_chroot getent passwd order-system) || fail "no user order-system"
in_chroot getent group order-system >/dev/null || fail "no group order-system"
[ "$uid" -lt 1000 ] || fail "order-system is not a system user (uid $uid)"
[ "$home" = /var/lib/order-system ] || fail "home is $home"
case "$shell" in /usr/sbin/nologin | /sbin/nologin | /bin/false | /usr/bin/false) ;; *) fail "login shell $shell" ;; esac
ok "system user order-system: uid $uid, home $home, shell $shell"
[ "$(in_chroot stat -c '%a %U %G' /var/lib/order-system)" = "700 order-system order-system" ] \
  || fail "/var/lib/order-system is $(in_chroot stat -c '%a %U %G' /var/lib/order-system)"
ok "/var/lib/order-system 700 order-system:order-system"
[ "$(in_chroot stat -c '%a %U %G' /etc/order-system/config.toml)" = "640 root order-system" ] \
  || fail "/etc/order-system/config.toml is $(in_chroot stat -c '%a %U %G' /etc/order-system/config.toml)"
ok "/etc/order-system/config.toml 640 root:order-system"
[ "$(in_chroot stat -c '%a %U' /usr/bin/order-system)" = "755 root" ] || fail "/usr/bin/order-system mode"
[ -L "$R/etc/systemd/system/multi-user.target.wants/order-system.service" ] \
  || fail "the unit is not enabled (no multi-user.target.wants link)"
ok "unit enabled for multi-user.target"

in_chroot order-system version >"$WORK/version.txt" || fail "order-system version"
ok "order-system version: $(cat "$WORK/version.txt")"
in_chroot order-system config check >"$WORK/config-check.txt" 2>&1 \
  || { cat "$WORK/config-check.txt" >&2; fail "order-system config check (default /etc/order-system/config.toml)"; }
grep -q '^# config file: /etc/order-system/config.toml' "$WORK/config-check.txt" \
  || { cat "$WORK/config-check.txt" >&2; fail "config check did not read /etc/order-system/config.toml by default"; }
ok "order-system config check (the default /etc/order-system/config.toml):"
sed 's/^/      /' "$WORK/config-check.txt"

# serve as the service user, as the unit would (no capabilities, no new privileges).
serve_in_chroot() { # PORT ARGS...: starts the server, waits for /health on PORT
  local port="$1"; shift
  chroot "$R" setpriv --reuid=order-system --regid=order-system --clear-groups \
    --inh-caps=-all --bounding-set=-all --no-new-privs -- \
    /usr/bin/order-system "$@" >>"$WORK/chroot-serve.log" 2>&1 &
  echo $! >"$WORK/chroot-serve.pid"
  for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$WORK/chroot-serve.pid")" 2>/dev/null || break
    sleep 0.1
  done
  cat "$WORK/chroot-serve.log" >&2
  fail "serve in the chroot did not answer /health on :$port"
}
stop_in_chroot() {
  local pid rc=0
  pid="$(cat "$WORK/chroot-serve.pid")"
  kill -TERM "$pid"
  wait "$pid" || rc=$?
  rm -f "$WORK/chroot-serve.pid"
  [ "$rc" -eq 0 ] || { cat "$WORK/chroot-serve.log" >&2; fail "serve exited $rc on SIGTERM"; }
}
PORT="$(free_port)"
serve_in_chroot "$PORT" serve --config /etc/order-system/config.toml --http "127.0.0.1:$PORT"
health="$(curl -fsS "http://127.0.0.1:$PORT/health")"
ok "serve as order-system: GET /health from outside on :$PORT -> $health"
stop_in_chroot
ok "SIGTERM: clean exit 0"
DB="$R/var/lib/order-system/order-system.db"
[ -f "$DB" ] || fail "no database at /var/lib/order-system/order-system.db"
[ "$(in_chroot stat -c '%a %U' /var/lib/order-system/order-system.db)" = "600 order-system" ] || fail "database is $(in_chroot stat -c '%a %U' /var/lib/order-system/order-system.db)"
ok "database 600 order-system"
# The README's backup command: as the service's user, which can read the 0640 config.
chroot "$R" setpriv --reuid=order-system --regid=order-system --clear-groups -- \
  order-system --config /etc/order-system/config.toml backup >"$WORK/backup.log" 2>&1 \
  || { cat "$WORK/backup.log" >&2; fail "order-system backup as the service's user"; }
backup_file="$(cd "$R/var/lib/order-system/backups" && ls -- *.db 2>/dev/null | head -1)"
[ -n "$backup_file" ] || fail "no backup in /var/lib/order-system/backups"
[ "$(in_chroot stat -c '%a %U' "/var/lib/order-system/backups/$backup_file")" = "600 order-system" ] \
  || fail "backup file is $(in_chroot stat -c '%a %U' "/var/lib/order-system/backups/$backup_file")"
ok "order-system --config ... backup as order-system: backups/$backup_file (600 order-system)"

step "chroot: reinstall and upgrade keep a modified conffile and the data"
PORT2="$(free_port)"
sed -i "s/^http = .*/http = \"127.0.0.1:$PORT2\"  # changed by test-deb.sh/" "$R/etc/order-system/config.toml"
db_sum="$(sha256sum <"$DB")"
in_chroot dpkg -i /tmp/order-system.deb </dev/null >"$WORK/dpkg-reinstall.log" 2>&1 \
  || { cat "$WORK/dpkg-reinstall.log" >&2; fail "dpkg -i (reinstall)"; }
grep -q 'changed by test-deb.sh' "$R/etc/order-system/config.toml" || fail "reinstall replaced the modified config"
[ "$(sha256sum <"$DB")" = "$db_sum" ] || fail "reinstall changed the database"
ok "reinstall (same version): config and data kept"
# A newer version of the same package, repacked, as an upgrade would bring.
mkdir -p "$WORK/repack"
dpkg-deb -R "$DEB" "$WORK/repack/pkg"
version="$(field Version)"
sed -i "s/^Version: .*/Version: $version+test1/" "$WORK/repack/pkg/DEBIAN/control"
dpkg-deb -Zgzip -z1 -b "$WORK/repack/pkg" "$WORK/order-system-next.deb" >/dev/null
cp "$WORK/order-system-next.deb" "$R/tmp/"
in_chroot dpkg -i /tmp/order-system-next.deb </dev/null >"$WORK/dpkg-upgrade.log" 2>&1 \
  || { cat "$WORK/dpkg-upgrade.log" >&2; fail "dpkg -i (upgrade to $version+test1)"; }
grep -q "Unpacking order-system ($version+test1) over ($version)" "$WORK/dpkg-upgrade.log" \
  || { cat "$WORK/dpkg-upgrade.log" >&2; fail "not an upgrade"; }
grep -q 'changed by test-deb.sh' "$R/etc/order-system/config.toml" || fail "upgrade replaced the modified config"
[ "$(in_chroot stat -c '%a %U %G' /etc/order-system/config.toml)" = "640 root order-system" ] || fail "upgrade changed the config's mode"
[ "$(sha256sum <"$DB")" = "$db_sum" ] || fail "upgrade changed the database"
[ "$(in_chroot id -u order-system)" = "$uid" ] || fail "upgrade changed the user"
ok "upgrade $version -> $version+test1: config (and its 0640), data and user kept"
# The server reads the modified file: it listens on the port set there.
serve_in_chroot "$PORT2" serve --config /etc/order-system/config.toml
stop_in_chroot
ok "serve --config uses the edited config (http on :$PORT2)"

step "chroot: purge keeps the data and the user"
in_chroot dpkg --purge order-system >"$WORK/dpkg-purge.log" 2>&1 || { cat "$WORK/dpkg-purge.log" >&2; fail "dpkg --purge"; }
[ ! -e "$R/etc/order-system/config.toml" ] || fail "purge left the config"
[ ! -e "$R/usr/bin/order-system" ] || fail "purge left the binary"
[ -f "$DB" ] || fail "purge deleted the database"
in_chroot getent passwd order-system >/dev/null || fail "purge deleted the user"
! in_chroot dpkg-statoverride --list /etc/order-system/config.toml >/dev/null || fail "purge left the statoverride"
ok "purge: package and config gone; /var/lib/order-system and the user kept"
sed 's/^/    /' <(grep '^order-system:' "$WORK/dpkg-purge.log" || true)
debroot_remove "$C"

# ---------------------------------------------------------------------------------------
if [ "$SKIP_BOOT_TEST" = 1 ]; then
  note "SKIPPED the systemd boot test (ORDER_SYSTEM_SKIP_BOOT_TEST=1)"
else
  step "systemd: boot a fresh root with systemd-nspawn, install the .deb while systemd runs"
  command -v systemd-nspawn >/dev/null || fail "systemd-nspawn is missing (apt-get install systemd-container)"
  B="$WORK/boot"
  debroot_new "$B"
  RB="$B/root"
  # Not /tmp: the booted system mounts a tmpfs there.
  cp "$DEB" "$RB/root/order-system.deb"
  cp "$WORK/order-system-next.deb" "$RB/root/"
  # The one test drop-in, written before the unit exists: a shorter watchdog period, so
  # that missing pings show within seconds.
  mkdir -p "$RB/etc/systemd/system/order-system.service.d"
  printf '[Service]\nWatchdogSec=4\n' >"$RB/etc/systemd/system/order-system.service.d/50-test-watchdog.conf"
  systemd-nspawn --quiet --register=no --keep-unit --private-network --console=passive \
    --machine="ordersys-test-$$" -D "$RB" --boot >"$WORK/nspawn.log" 2>&1 </dev/null &
  NSPAWN_PID=$!
  LEADER=""
  for _ in $(seq 100); do
    LEADER="$(pgrep -P "$NSPAWN_PID" -x systemd || true)"
    [ -n "$LEADER" ] && break
    kill -0 "$NSPAWN_PID" 2>/dev/null || { cat "$WORK/nspawn.log" >&2; fail "systemd-nspawn exited"; }
    sleep 0.1
  done
  [ -n "$LEADER" ] || { cat "$WORK/nspawn.log" >&2; fail "no systemd in the container"; }
  in_boot() { nsenter --target "$LEADER" --all -- "$@"; }
  for _ in $(seq 100); do
    in_boot test -S /run/systemd/private 2>/dev/null && break
    sleep 0.1
  done
  state="$(in_boot timeout 60 systemctl is-system-running --wait 2>/dev/null || true)"
  ok "booted ($state)"
  [ "$state" = running ] || in_boot systemctl --failed --no-pager || true

  in_boot env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /root/order-system.deb \
    >"$WORK/boot-dpkg.log" 2>&1 || { cat "$WORK/boot-dpkg.log" >&2; fail "apt-get install with systemd running"; }
  ok "apt-get install (postinst: enable + start)"
  journal() { in_boot journalctl -u order-system --no-pager -o cat | tail -30 >&2; }
  bfail() { journal; in_boot systemctl status order-system --no-pager >&2 || true; fail "$*"; }
  prop() { in_boot systemctl show -p "$1" --value order-system; }
  wait_active() {
    for _ in $(seq 150); do
      [ "$(prop ActiveState)" = active ] && [ "$(prop SubState)" = running ] && return 0
      sleep 0.1
    done
    bfail "order-system is $(prop ActiveState)/$(prop SubState), not active/running"
  }
  wait_active
  ok "order-system.service active (running), enabled: $(in_boot systemctl is-enabled order-system)"
  in_boot curl -fs --retry 20 --retry-delay 0 --retry-all-errors --max-time 5 \
    http://127.0.0.1:8080/health >"$WORK/boot-health.txt" || bfail "GET /health in the container"
  ok "GET /health -> $(cat "$WORK/boot-health.txt")"
  code="$(in_boot curl -s -o /dev/null -w '%{http_code}' -X POST http://127.0.0.1:8080/api/auth/login \
    -H 'Content-Type: application/json' -d '{"username":"superAdmin","password":"admin123"}')"
  [ "$code" = 200 ] || bfail "sign-in answered $code"
  ok "sign-in (bcrypt, a database write) -> 200"

  pid="$(prop MainPID)"
  status="$(in_boot cat "/proc/$pid/status")"
  getf() { awk -v k="$1:" '$1 == k { print $2 }' <<<"$status"; }
  boot_uid="$(in_boot id -u order-system)"
  [ "$(getf Uid)" = "$boot_uid" ] || bfail "runs as uid $(getf Uid), not order-system ($boot_uid)"
  [ "$(getf CapEff)" = 0000000000000400 ] || bfail "CapEff $(getf CapEff): not just CAP_NET_BIND_SERVICE"
  [ "$(getf CapBnd)" = 0000000000000400 ] || bfail "CapBnd $(getf CapBnd): not just CAP_NET_BIND_SERVICE"
  [ "$(getf NoNewPrivs)" = 1 ] || bfail "no_new_privs not set"
  [ "$(getf Seccomp)" = 2 ] || bfail "no seccomp filter"
  ok "process: uid order-system, CapEff=CapBnd=CAP_NET_BIND_SERVICE, NoNewPrivs, seccomp filter"
  [ "$(in_boot stat -c '%a %U' /var/lib/order-system)" = "700 order-system" ] || bfail "data dir mode after start"
  [ "$(in_boot stat -c '%a %U' /var/lib/order-system/order-system.db)" = "600 order-system" ] || bfail "database mode"
  ok "data: /var/lib/order-system 700, order-system.db 600"
  in_boot systemd-analyze security --no-pager order-system 2>/dev/null | tail -1 | sed 's/^/  live /' || true

  in_boot systemctl reload order-system || bfail "systemctl reload"
  sleep 0.5
  [ "$(prop MainPID)" = "$pid" ] && [ "$(prop ActiveState)" = active ] || bfail "reload did not keep the same running process"
  in_boot curl -fsS --max-time 5 http://127.0.0.1:8080/health >/dev/null || bfail "/health after reload"
  ok "systemctl reload (SIGHUP): same process, still serving"
  sleep 6
  [ "$(prop NRestarts)" = 0 ] && [ "$(prop MainPID)" = "$pid" ] || bfail "the watchdog (WatchdogSec=4) restarted it: pings missing"
  ok "watchdog: 6 s with WatchdogSec=4 and no restart (and Type=notify: active only after READY=1)"

  in_boot kill -KILL "$pid"
  sleep 3   # RestartSec=2
  wait_active
  [ "$(prop NRestarts)" = 1 ] && [ "$(prop MainPID)" != "$pid" ] || bfail "not restarted after SIGKILL"
  ok "Restart=on-failure: restarted after a SIGKILL"

  pid="$(prop MainPID)"
  in_boot dpkg -i /root/order-system-next.deb >"$WORK/boot-upgrade.log" 2>&1 \
    || { cat "$WORK/boot-upgrade.log" >&2; fail "upgrade with systemd running"; }
  wait_active
  [ "$(prop MainPID)" != "$pid" ] || bfail "not restarted by the upgrade"
  in_boot curl -fs --retry 20 --retry-delay 0 --retry-all-errors --max-time 5 http://127.0.0.1:8080/health >/dev/null \
    || bfail "/health after upgrade"
  in_boot test -f /var/lib/order-system/order-system.db || bfail "data gone after upgrade"
  ok "upgrade with systemd running: restarted, serving, data kept"

  in_boot systemctl stop order-system
  [ "$(prop Result)" = success ] || bfail "stop: Result=$(prop Result)"
  [ "$(prop ExecMainStatus)" = 0 ] || bfail "stop: exit status $(prop ExecMainStatus)"
  ok "systemctl stop (SIGTERM): Result=success, exit 0"
  in_boot systemctl poweroff --no-block >/dev/null 2>&1 || true
  for _ in $(seq 150); do kill -0 "$NSPAWN_PID" 2>/dev/null || break; sleep 0.2; done
  wait "$NSPAWN_PID" 2>/dev/null || true
  NSPAWN_PID=""
  debroot_remove "$B"
fi

step "test-deb: OK"
for n in "${NOTES[@]}"; do echo "  NOTE: $n"; done
