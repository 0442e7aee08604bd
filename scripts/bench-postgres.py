#!/usr/bin/env python3
"""What PostgreSQL gains and costs a shop: orders/s and product-list req/s with the data in the
SQLite file (the baseline), on PostgreSQL with one server, and with two servers on one
PostgreSQL, all on this machine in the same run. Also how fast `db copy --to` moves a shop.

    python3 scripts/bench-postgres.py              # ~4 min on 2 cores (release binary)
    python3 scripts/bench-postgres.py --smoke      # CI: tiny data, 1 s runs, measures nothing
    python3 scripts/bench-postgres.py --rounds 5 --seconds 10

Each cell is the median of --rounds wrk runs. PostgreSQL is Debian's (15), started here as the
postgres user on 127.0.0.1 with its defaults (fsync and synchronous_commit on), and stopped at
the end. Two servers on one 2-core machine share its cores with PostgreSQL and wrk: the two-server
row shows the cost of coordination, not the gain of a second machine. Read the ratios against the
SQLite row rather than absolute numbers.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the load benchmark's helpers: wrk, build, free_port, http)
from bench import PASSWORD, free_port, http, log, wrk  # noqa: E402

# The release binary bench.py builds; ORDER_SYSTEM_BIN names another (with --no-build).
BIN = os.environ.get("ORDER_SYSTEM_BIN", bench.BIN)

PG_BIN = max((os.path.join("/usr/lib/postgresql", v, "bin") for v in os.listdir("/usr/lib/postgresql")),
             key=lambda p: int(os.path.basename(os.path.dirname(p))))
SECRET = "bench-secret-bench-secret-bench-secret-0123"


def as_postgres(args, **kw):
    cmd = ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args
    return subprocess.run(cmd, check=True, **kw)


class Postgres:
    def __init__(self, workdir):
        self.dir = os.path.join(workdir, "pg")
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.port = free_port()
        as_postgres([f"{PG_BIN}/initdb", "-D", f"{self.dir}/data", "-U", "postgres", "--auth=trust",
                     "--encoding=UTF8", "--locale-provider=icu", "--icu-locale=und", "--locale=C.UTF-8"],
                    stdout=subprocess.DEVNULL)
        as_postgres([f"{PG_BIN}/pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/log", "-w", "start", "-o",
                     f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.dir} "
                     "-c max_connections=200"], stdout=subprocess.DEVNULL)

    def url(self, db):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def create(self, db):
        as_postgres([f"{PG_BIN}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q",
                     "-c", f"CREATE DATABASE {db}"], stdout=subprocess.DEVNULL)

    def stop(self):
        as_postgres([f"{PG_BIN}/pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "stop"],
                    stdout=subprocess.DEVNULL)


def server(data, database=None):
    return bench.Server(data, {"SECRET_KEY": SECRET}, database, BIN)


def prepare(server):
    """A token and ten products with stock for any number of orders."""
    token = json.loads(http("POST", server.url + "/api/auth/login",
                            body={"username": "superAdmin", "password": PASSWORD})[1])["access_token"]
    ids = []
    for i in range(10):
        _, body = http("POST", server.url + "/api/products", token,
                       {"sku": f"PGB-{time.time_ns()}-{i}", "name": f"压测商品 {i}", "price": "9.90",
                        "stock_quantity": 100_000_000})
        ids.append(str(json.loads(body)["id"]))
    return {"TOKEN": token, "PRODUCT_IDS": ",".join(ids)}


def cell(servers, path, script, env, conns, seconds):
    """req/s summed over the servers (wrk against each, connections split), p99 the worst."""
    per = max(1, conns // len(servers))
    procs = [wrk(s.url + path, per, seconds, script, env, background=True) for s in servers]
    results = []
    for p in procs:
        out = p.communicate()[0]
        if p.returncode != 0:
            sys.exit(f"bench: wrk failed: {out}")
        results.append(bench.parse_wrk(out))
    return {"rps": sum(r["rps"] for r in results), "p99": max(r["p99"] for r in results),
            "errors": sum(r["errors"] for r in results)}


def measure(servers, env, args):
    cells = {}
    for name, path, script in (("create order (3 items)", "/api/orders", "create_order.lua"),
                               ("product list, page 1", "/api/products?page=1&per_page=20", "get.lua")):
        runs = [cell(servers, path, script, env, args.connections, args.seconds) for _ in range(args.rounds)]
        cells[name] = {"rps": statistics.median(r["rps"] for r in runs),
                       "p99": statistics.median(r["p99"] for r in runs),
                       "errors": sum(r["errors"] for r in runs)}
        log(f"   {name}: {cells[name]['rps']:,.0f} req/s")
    return cells


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--orders", type=int, default=20_000)
    ap.add_argument("--workdir", default="/var/tmp/order-system-bench-pg")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if args.smoke:
        args.seconds, args.rounds, args.connections, args.orders = 1, 1, 8, 500
    bench.ensure_tools()
    if not args.no_build:
        bench.build()
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(args.workdir)
    shop = os.path.join(args.workdir, "shop")
    log(f"== demo shop: {args.orders:,} orders in SQLite")
    subprocess.run([BIN, "--config", "/dev/null", "--data-dir", shop, "demo-data", "--orders", str(args.orders),
                    "--products", "1000", "--customers", "2000"], check=True, stdout=subprocess.DEVNULL)
    pg = Postgres(args.workdir)
    try:
        pg.create("shop")
        url = pg.url("shop")
        log("== db copy --to PostgreSQL")
        t0 = time.perf_counter()
        out = subprocess.run([BIN, "--config", "/dev/null", "--data-dir", shop, "db", "copy", "--to", url],
                             check=True, capture_output=True, text=True)
        copy_s = time.perf_counter() - t0
        rows = int(out.stdout.split()[1])
        results = []
        for label, databases in (("SQLite, one server (baseline)", [None]),
                                 ("PostgreSQL, one server", [url]),
                                 ("PostgreSQL, two servers", [url, url])):
            log(f"== {label}")
            servers = []
            try:
                for database in databases:
                    data = tempfile.mkdtemp(dir=args.workdir) if database else shop
                    servers.append(server(data, database))
                env = prepare(servers[0])
                results.append((label, measure(servers, env, args)))
            finally:
                for s in servers:
                    s.stop()
    finally:
        pg.stop()

    print(f"\n### SQLite and PostgreSQL ({'smoke run: numbers mean nothing' if args.smoke else 'wrk on the same 2-core machine'})\n")
    print(f"Demo shop of {args.orders:,} orders; {args.connections} connections in all (split between servers); "
          f"median of {args.rounds} runs of {args.seconds} s; PostgreSQL {os.path.basename(os.path.dirname(PG_BIN))} "
          "with its default durability.\n")
    base = results[0][1]
    print("| data | orders/s | p99 ms | vs SQLite | product list req/s | p99 ms | vs SQLite | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, c in results:
        o, p = c["create order (3 items)"], c["product list, page 1"]
        bo, bp = base["create order (3 items)"], base["product list, page 1"]
        print(f"| {label} | {o['rps']:,.0f} | {o['p99']:.1f} | {o['rps'] / bo['rps']:.2f}x | {p['rps']:,.0f} | "
              f"{p['p99']:.1f} | {p['rps'] / bp['rps']:.2f}x | {o['errors'] + p['errors']} |")
    print(f"\n`db copy --to`: {rows:,} rows in {copy_s:.1f} s ({rows / copy_s:,.0f} rows/s, checks included).")


if __name__ == "__main__":
    main()
