#!/usr/bin/env bash
# Checks that a short real run of the server only makes system calls that the unit's
# SystemCallFilter= allows (a blocked call fails with EPERM at run time, which a test
# of the unit might not notice), and that it speaks the sd_notify protocol that
# Type=notify and WatchdogSec= rely on.
#
#   packaging/check-syscalls.sh [BINARY]      (root; needs strace, curl, python3)
#
# The run, under strace as an unprivileged user like the service: start with HTTP and
# self-signed HTTPS, GET /health over both, sign in (bcrypt, a database write), SIGHUP,
# `order-system backup` from a second process, SIGTERM. NOTIFY_SOCKET and WATCHDOG_USEC
# point at a socket of this script, which must receive READY=1 and WATCHDOG=1.
set -euo pipefail
cd "$(dirname "$0")/.."

UNIT=systemd/order-system.service
TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/order-system-target}"
BIN="${1:-$TARGET_DIR/x86_64-unknown-linux-gnu/release/order-system}"
[ -x "$BIN" ] || { echo "check-syscalls: no binary at $BIN" >&2; exit 1; }
BIN="$(realpath "$BIN")"
for tool in strace curl python3 setpriv; do
  command -v "$tool" >/dev/null || { echo "check-syscalls: needs $tool" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "check-syscalls: run as root (it drops to nobody)" >&2; exit 1; }
# The server's settings in the caller's environment would override the config under test.
while IFS= read -r var; do unset "$var"; done < <(env | sed -n 's/^\(ORDER_SYSTEM_[A-Z_]*\)=.*/\1/p')
unset SECRET_KEY ACCESS_TOKEN_EXPIRE_MINUTES RUST_LOG

tmp="$(mktemp -d)"
chmod 755 "$tmp"
server_pid=""
notify_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null || true
  [ -n "$notify_pid" ] && kill "$notify_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
HTTP_PORT="$(free_port)"
HTTPS_PORT="$(free_port)"
RUN_AS=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
# An empty config file, so that a /etc/order-system/config.toml of this machine is not read.
: >"$tmp/config.toml"
chmod 644 "$tmp/config.toml"
export ORDER_SYSTEM_CONFIG="$tmp/config.toml"
mkdir "$tmp/data" "$tmp/traces" && chown nobody:nogroup "$tmp/data" "$tmp/traces" && chmod 700 "$tmp/data"

# The notify socket: records every datagram, one per line.
python3 - "$tmp/notify.sock" "$tmp/notify.log" <<'EOF' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(4096).decode(errors="replace").replace("\n", " ") + "\n")
EOF
notify_pid=$!
for _ in $(seq 50); do [ -S "$tmp/notify.sock" ] && break; sleep 0.1; done

echo "== strace run of $BIN serve as nobody (http :$HTTP_PORT, https :$HTTPS_PORT)"
NOTIFY_SOCKET="$tmp/notify.sock" WATCHDOG_USEC=2000000 \
  "${RUN_AS[@]}" strace -f -qq -o "$tmp/traces/serve" \
  "$BIN" serve --data-dir "$tmp/data" --http "127.0.0.1:$HTTP_PORT" \
  --https "127.0.0.1:$HTTPS_PORT" --tls-self-signed --bcrypt-cost 4 >"$tmp/serve.log" 2>&1 &
strace_pid=$!
for _ in $(seq 100); do
  curl -ksf "https://127.0.0.1:$HTTPS_PORT/health" >/dev/null 2>&1 && break
  sleep 0.1
done
server_pid="$(pgrep -P "$strace_pid" || true)"
fail() { echo "check-syscalls: FAIL: $*" >&2; tail -20 "$tmp/serve.log" >&2; exit 1; }
[ -n "$server_pid" ] || fail "the server did not start"
curl -ksSf "https://127.0.0.1:$HTTPS_PORT/health" >/dev/null || fail "GET /health over HTTPS"
curl -sS -o /dev/null "http://127.0.0.1:$HTTP_PORT/health" || fail "GET /health over HTTP"
code="$(curl -ks -o /dev/null -w '%{http_code}' -X POST "https://127.0.0.1:$HTTPS_PORT/api/auth/login" \
  -H 'Content-Type: application/json' -d '{"username":"superAdmin","password":"admin123"}')"
[ "$code" = 200 ] || fail "sign-in answered $code"
kill -HUP "$server_pid"
sleep 0.3
curl -ksSf "https://127.0.0.1:$HTTPS_PORT/health" >/dev/null || fail "GET /health after SIGHUP"
"${RUN_AS[@]}" strace -f -qq -o "$tmp/traces/backup" "$BIN" backup --data-dir "$tmp/data" \
  >"$tmp/backup.log" 2>&1 || { cat "$tmp/backup.log" >&2; fail "order-system backup"; }
sleep 2.5   # room for a watchdog ping (WATCHDOG_USEC=2s: pings every second)
kill -TERM "$server_pid"
rc=0; wait "$strace_pid" || rc=$?
server_pid=""
[ "$rc" -eq 0 ] || fail "the server exited $rc after SIGTERM"

echo "== system calls against the unit's SystemCallFilter"
python3 - "$UNIT" "$tmp"/traces/* <<'EOF'
import re, subprocess, sys
unit, traces = sys.argv[1], sys.argv[2:]
listing = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager"],
                         capture_output=True, text=True, check=True).stdout
groups, cur = {}, None
for line in listing.splitlines():
    if line.startswith("@"):
        cur = line.split()[0]; groups[cur] = []
    elif cur and line.strip() and not line.strip().startswith("#"):
        groups[cur].append(line.strip())
def expand(name):
    if not name.startswith("@"):
        return {name}
    return set().union(*[expand(x) for x in groups[name]]) if groups.get(name) else set()
allowed = None
for line in open(unit):
    m = re.match(r"\s*SystemCallFilter=(.*)", line)
    if not m:
        continue
    value = m.group(1).strip()
    deny = value.startswith("~")
    names = set().union(*[expand(x) for x in value.lstrip("~").split()])
    if allowed is None:
        if deny:
            sys.exit("check-syscalls: the unit starts with a deny list; this check expects an allow list")
        allowed = set()
    allowed = allowed - names if deny else allowed | names
used = {}
for path in traces:
    for line in open(path):
        m = re.match(r"\d+\s+([a-z0-9_]+)\(", line)
        if m:
            used[m.group(1)] = used.get(m.group(1), 0) + 1
blocked = sorted(set(used) - allowed)
print(f"{len(used)} distinct system calls, {sum(used.values())} calls; the filter allows {len(allowed)}")
if blocked:
    print("check-syscalls: FAIL: used but not allowed by SystemCallFilter: " + ", ".join(
        f"{n} ({used[n]}x)" for n in blocked), file=sys.stderr)
    sys.exit(1)
print("all allowed")
EOF

echo "== sd_notify"
sed 's/^/  received: /' "$tmp/notify.log" | sort | uniq -c | sed 's/^ */  /'
grep -q 'READY=1' "$tmp/notify.log" || fail "no READY=1 on NOTIFY_SOCKET (Type=notify would time out)"
grep -q 'WATCHDOG=1' "$tmp/notify.log" || fail "no WATCHDOG=1 within 2.5 s with WATCHDOG_USEC=2s (WatchdogSec would kill it)"
echo "READY=1 and WATCHDOG=1 received"
echo "check-syscalls: OK"
