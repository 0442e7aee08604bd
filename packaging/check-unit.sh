#!/usr/bin/env bash
# Checks systemd/order-system.service:
#   1. `systemd-analyze security --offline=true` scores 2.0 or less (prints the score);
#   2. `systemd-analyze verify` prints nothing at all, on a temporary copy of the unit
#      whose ExecStart points at a built binary (verify wants the binary to exist).
#
#   packaging/check-unit.sh [BINARY]
#
# BINARY defaults to $CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release/order-system
# (CARGO_TARGET_DIR defaults to /var/tmp/order-system-target), else
# target/x86_64-unknown-linux-gnu/release/order-system.
set -euo pipefail
cd "$(dirname "$0")/.."

UNIT=systemd/order-system.service
MAX_SCORE=2.0
TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/order-system-target}"
BIN="${1:-}"
if [ -z "$BIN" ]; then
  for candidate in "$TARGET_DIR/x86_64-unknown-linux-gnu/release/order-system" \
                   target/x86_64-unknown-linux-gnu/release/order-system; do
    if [ -x "$candidate" ]; then BIN="$candidate"; break; fi
  done
fi
[ -n "$BIN" ] && [ -x "$BIN" ] || { echo "check-unit: no built binary (give its path as the argument)" >&2; exit 1; }
BIN="$(realpath "$BIN")"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0

# 1. Exposure score. --offline=true reads the unit file only; nothing is started.
echo "== systemd-analyze security --offline=true $UNIT"
if ! systemd-analyze security --offline=true --no-pager "$UNIT" >"$tmp/security.txt" 2>&1; then
  cat "$tmp/security.txt" >&2
  echo "check-unit: systemd-analyze security failed" >&2
  exit 1
fi
score="$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$tmp/security.txt")"
if [ -z "$score" ]; then
  cat "$tmp/security.txt" >&2
  echo "check-unit: no score in the output" >&2
  exit 1
fi
grep '✗' "$tmp/security.txt" || true
echo "exposure score: $score (at most $MAX_SCORE)"
if awk -v s="$score" -v m="$MAX_SCORE" 'BEGIN { exit !(s > m) }'; then
  echo "check-unit: FAIL: score $score is above $MAX_SCORE" >&2
  status=1
fi

# 2. verify: the same unit, ExecStart's binary replaced by the built one. Only that
#    path changes; User=, /etc and the rest stay as shipped. The copy keeps the unit's
#    name, since verify ties a service to its file name.
echo "== systemd-analyze verify (ExecStart=$BIN)"
grep -q '^ExecStart=/usr/bin/order-system ' "$UNIT" || { echo "check-unit: ExecStart does not start with /usr/bin/order-system" >&2; exit 1; }
sed "s#^ExecStart=/usr/bin/order-system #ExecStart=$BIN #" "$UNIT" >"$tmp/order-system.service"
verify_rc=0
SYSTEMD_LOG_COLOR=0 systemd-analyze verify "$tmp/order-system.service" >"$tmp/verify.txt" 2>&1 || verify_rc=$?
if [ "$verify_rc" -ne 0 ] || [ -s "$tmp/verify.txt" ]; then
  cat "$tmp/verify.txt" >&2
  echo "check-unit: FAIL: systemd-analyze verify exited $verify_rc and/or printed the above" >&2
  status=1
else
  echo "verify: clean (no output)"
fi

[ "$status" -eq 0 ] && echo "check-unit: OK"
exit "$status"
