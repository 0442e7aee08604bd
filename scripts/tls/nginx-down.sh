#!/usr/bin/env bash
# Usage: scripts/tls/nginx-down.sh DIR
#
# Stops the nginx started by scripts/tls/nginx-up.sh DIR (master PID from DIR/nginx.pid,
# checked to be an nginx master first): graceful QUIT, then TERM after 5 s, then KILL of the
# master and its own workers after 10 s. Leaves DIR's files. Idempotent: exits 0 when nothing runs.
set -euo pipefail

if [ $# -ne 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi
DIR="$1"
PIDFILE="$DIR/nginx.pid"
[ -s "$PIDFILE" ] || exit 0
pid="$(cat "$PIDFILE")"
if ! { [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep 'nginx: master' >/dev/null; }; then
  rm -f "$PIDFILE"
  exit 0
fi

workers="$(pgrep -P "$pid" || true)"
kill -QUIT "$pid" 2>/dev/null || true
for ((i = 0; i < 100; i++)); do
  kill -0 "$pid" 2>/dev/null || break
  [ "$i" -eq 50 ] && kill -TERM "$pid" 2>/dev/null
  sleep 0.1
done
if kill -0 "$pid" 2>/dev/null; then
  kill -KILL "$pid" 2>/dev/null || true
fi
for w in $workers; do
  # only the workers this master had, and only if they are still nginx processes
  if [ -r "/proc/$w/cmdline" ] && tr '\0' ' ' <"/proc/$w/cmdline" | grep '^nginx: ' >/dev/null; then
    kill -KILL "$w" 2>/dev/null || true
  fi
done
rm -f "$PIDFILE"
echo "nginx-down: stopped nginx (pid $pid)" >&2
