#!/usr/bin/env bash
# Runs the integration suite with every test server on PostgreSQL instead of SQLite: starts
# Debian's PostgreSQL 15 in a throwaway directory on 127.0.0.1 as the postgres user (initdb
# refuses root), with fsync off and an ICU default collation ("und"), so no test passes by
# byte order; sets ORDER_SYSTEM_TEST_POSTGRES (each test server gets a database of its own);
# stops and removes the cluster however the run ends. Extra arguments go to `cargo test`.
#
#   scripts/test-on-postgres.sh            # the whole suite
#   scripts/test-on-postgres.sh orders::   # some of it
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /var/tmp/order-system-pg.XXXXXX)
chmod 755 "$dir"
chown postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres() { (cd / && runuser -u postgres -- "$@"); }
stop() {
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

as_postgres "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale-provider=icu --icu-locale=und \
  --locale=C.UTF-8 --auth-local=trust --auth-host=trust --no-sync >/dev/null
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=400" \
  start >/dev/null
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (ICU collation und)"

ORDER_SYSTEM_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$port/postgres" cargo test --test api -- "$@"
