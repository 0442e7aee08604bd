#!/usr/bin/env python3
"""The move-in benchmark: an old-system shop in a throwaway PostgreSQL (on 127.0.0.1, as the
postgres user), with about a million order lines, imported by `order-system import legacy`
from its pg_dump file, from the gzipped dump, and from the database itself. Prints one table:
rows per second, wall time and peak RSS per source, and as the baseline measured in the same
run, psql loading the same dump into a fresh PostgreSQL database.

    python3 scripts/bench-legacy.py               # ~1M order lines
    python3 scripts/bench-legacy.py --smoke       # CI: ~10k lines, exercises everything
    python3 scripts/bench-legacy.py --lines 3000000 --runs 3

Needs Debian's postgresql package and root (initdb runs as the postgres user). Stops by itself.
"""
import argparse, glob, os, shutil, statistics, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET_DIR = os.environ.get("CARGO_TARGET_DIR", "/var/tmp/order-system-target")
STATIC = os.path.join(TARGET_DIR, "x86_64-unknown-linux-gnu", "release", "order-system")
PASSWORD = "bench-pw"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def pg_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        sys.exit("bench-legacy: install Debian's postgresql package first")
    return os.path.dirname(found[-1])


def as_postgres(cmd):
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def free_port():
    import socket
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


class Cluster:
    def __init__(self, work):
        self.bin, self.dir, self.port = pg_bin(), os.path.join(work, "pg"), free_port()
        os.makedirs(os.path.join(self.dir, "sock"))
        os.chmod(work, 0o755)
        with open(os.path.join(self.dir, "pw"), "w") as f:
            f.write(PASSWORD)
        subprocess.run(["chown", "-R", "postgres:postgres", self.dir], check=True)
        subprocess.run(as_postgres([f"{self.bin}/initdb", "-D", f"{self.dir}/data", "-U", "postgres", "-E", "UTF8",
                                    "--no-locale", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
                                    f"--pwfile={self.dir}/pw"]), check=True, stdout=subprocess.DEVNULL)
        opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir}/sock -c fsync=off"
        subprocess.run(as_postgres([f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-o", opts, "-w",
                                    "-l", f"{self.dir}/log", "start"]), check=True, stdout=subprocess.DEVNULL)
        self.env = {**os.environ, "PGPASSWORD": PASSWORD, "PGHOST": "127.0.0.1", "PGPORT": str(self.port),
                    "PGUSER": "postgres"}

    def url(self, db):
        return f"postgresql://postgres:{PASSWORD}@127.0.0.1:{self.port}/{db}"

    def psql(self, db, *args, **kw):
        return subprocess.run([f"{self.bin}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, *args],
                              check=True, env=self.env, **kw)

    def stop(self):
        subprocess.run(as_postgres([f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m", "immediate", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def fill(pg, orders):
    """An old shop: 200 users, 1,000 products, `orders` orders of three lines each."""
    fixture = open(os.path.join(ROOT, "tests", "api", "fixtures", "old_system.sql")).read()
    schema = fixture.split("-- Cost 4 keeps")[0]
    pg.psql("postgres", "-c", "CREATE DATABASE order_system")
    pg.psql("order_system", "-c", schema)
    pg.psql("order_system", "-c", f"""
        INSERT INTO users (username, email, hashed_password, role)
        SELECT 'user' || g, 'u' || g || '@example.cn', crypt('pw' || g, gen_salt('bf', 4)),
               CASE WHEN g = 1 THEN 'superadmin' WHEN g < 5 THEN 'admin' ELSE 'user' END
        FROM generate_series(1, 200) g;
        UPDATE users SET username = 'superAdmin' WHERE id = 1;
        INSERT INTO products (name, sku, price, stock_quantity, status)
        SELECT '商品' || g, 'SKU-' || g, (g % 500 + 0.99)::numeric(10,2), g % 300, 'active'
        FROM generate_series(1, 1000) g;
        INSERT INTO orders (order_number, user_id, status, total_amount, notes, created_at)
        SELECT 'ORD' || g, 5 + g % 196, (ARRAY['pending','confirmed','shipped','completed','cancelled'])[1 + g % 5],
               0, CASE WHEN g % 9 = 0 THEN '请尽快发货' END,
               TIMESTAMP '2021-01-01' + g * INTERVAL '90 seconds'
        FROM generate_series(1, {orders}) g;
        INSERT INTO order_items (order_id, product_id, quantity, unit_price, subtotal)
        SELECT o, 1 + (o * k) % 1000, k, 1.99, 1.99 * k
        FROM generate_series(1, {orders}) o, generate_series(1, 3) k;
        UPDATE orders o SET total_amount = 1.99 * 6;
    """)


def peak_of(cmd, **kw):
    """Runs `cmd` under /usr/bin/time-like accounting: a Python child that reports its child's peak."""
    probe = ("import resource,subprocess,sys,time;t=time.monotonic();"
             "r=subprocess.run(sys.argv[1:]);"
             "print(time.monotonic()-t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, **kw)
    took, rss, rc = out.stdout.strip().splitlines()[-1].split()
    if rc != "0":
        sys.exit(f"bench-legacy: {' '.join(cmd)} failed:\n{out.stdout}{out.stderr}")
    return float(took), int(rss) / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--lines", type=int, default=1_000_000, help="order lines (three per order)")
    ap.add_argument("--runs", type=int, default=1, help="imports per source; the median is shown")
    ap.add_argument("--bin", default=STATIC if os.path.exists(STATIC) else os.path.join(TARGET_DIR, "release", "order-system"))
    args = ap.parse_args()
    lines = 10_000 if args.smoke else args.lines
    orders = max(1, lines // 3)
    if not os.path.exists(args.bin):
        sys.exit(f"bench-legacy: no binary at {args.bin} (packaging/build-static.sh builds it)")
    work = tempfile.mkdtemp(prefix="order-system-bench-legacy-", dir="/var/tmp")
    pg = Cluster(work)
    try:
        log(f"== filling the old shop: {orders} orders, {orders * 3} lines")
        fill(pg, orders)
        dump = os.path.join(work, "backup.sql")
        with open(dump, "wb") as f:
            subprocess.run([f"{pg.bin}/pg_dump", "order_system"], check=True, env=pg.env, stdout=f)
        subprocess.run(["sh", "-c", f"gzip -1 -c {dump} > {dump}.gz"], check=True)
        rows = []
        # The baseline: PostgreSQL's own loader reading the same dump.
        times = []
        for i in range(args.runs):
            pg.psql("postgres", "-c", f"CREATE DATABASE again{i}")
            t, _ = peak_of([f"{pg.bin}/psql", "-X", "-q", "-d", f"again{i}", "-f", dump], env=pg.env)
            times.append(t)
        base = statistics.median(times)
        rows.append(("psql -f (baseline)", base, None))
        for name, source in (("dump file", dump), ("dump .sql.gz", dump + ".gz"), ("PostgreSQL URL", pg.url("order_system"))):
            results = []
            for i in range(args.runs):
                data = os.path.join(work, f"data-{len(rows)}-{i}")
                env = {**os.environ, "ORDER_SYSTEM_CONFIG": "/dev/null", "ORDER_SYSTEM_BCRYPT_COST": "4"}
                results.append(peak_of([args.bin, "--data-dir", data, "import", "legacy", source], env=env))
                shutil.rmtree(data, ignore_errors=True)
            rows.append((name, statistics.median(r[0] for r in results), max(r[1] for r in results)))
        total = orders * 3 + orders + 1000 + 200
        print(f"\n### import legacy: {orders:,} orders, {orders * 3:,} lines ({total:,} rows), median of {args.runs}\n")
        print("| source | seconds | rows/s | vs psql | peak RSS MB |")
        print("|---|---:|---:|---:|---:|")
        for name, secs, rss in rows:
            ratio = f"{secs / base:.2f}x"
            print(f"| {name} | {secs:.1f} | {total / secs:,.0f} | {ratio} | {'' if rss is None else f'{rss:.0f}'} |")
    finally:
        pg.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
