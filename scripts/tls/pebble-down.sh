#!/usr/bin/env bash
# Usage: scripts/tls/pebble-down.sh DIR
#
# Stops the pebble and pebble-challtestsrv started by scripts/tls/pebble-up.sh DIR (PIDs from
# DIR/pebble.pid and DIR/challtestsrv.pid; each is checked to really be that program first).
# SIGTERM, then SIGKILL after 5 s. Keeps the certificates and logs in DIR. Idempotent: exits 0
# when nothing is running.
set -euo pipefail

if [ $# -ne 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi
DIR="$1"
[ -d "$DIR" ] || exit 0

stop() { # stop PIDFILE NAME
  local pidfile="$1" name="$2" pid i
  [ -s "$pidfile" ] || { rm -f "$pidfile"; return 0; }
  pid="$(cat "$pidfile")"
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -- "$name" >/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "pebble-down: stopped $name (pid $pid)" >&2
  fi
  rm -f "$pidfile"
}

stop "$DIR/pebble.pid" pebble
stop "$DIR/challtestsrv.pid" pebble-challtestsrv
