#!/usr/bin/env python3
"""The load benchmark: a demo shop of 1k products, 10k customers and 1M orders, the release
binary, and wrk on the same machine. Prints one table (markdown) of req/s, p50, p99 and errors
per endpoint and connection count, then memory, start-up, size, a mixed scenario, a login
storm, and two baselines measured in the same run: nginx serving the product list as a static
file, and a plain axum hello-world (the ceiling of the stack).

    python3 scripts/bench.py                  # the full benchmark (~15 min on 2 cores)
    python3 scripts/bench.py --smoke          # CI: tiny data, 1 s runs, no targets checked
    python3 scripts/bench.py --seconds 10 --connections 64,256

Everything runs on 127.0.0.1 and stops by itself. Needs wrk and nginx (Debian packages; the
script installs them with apt-get when missing and it runs as root). The machine is noisy:
read ratios against the baselines rather than absolute numbers.
"""
import argparse, json, os, re, resource, shutil, signal, socket, statistics, subprocess, sys, tempfile, time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET_DIR = os.environ.get("CARGO_TARGET_DIR", "/var/tmp/order-system-target")
BIN = os.path.join(TARGET_DIR, "x86_64-unknown-linux-gnu", "release", "order-system")
HELLO = os.path.join(TARGET_DIR, "release", "examples", "hello")
LUA = os.path.join(ROOT, "scripts", "bench")
PASSWORD = "Bench-Passw0rd-1"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def ensure_tools():
    missing = [pkg for tool, pkg in (("wrk", "wrk"), ("nginx", "nginx-light")) if not shutil.which(tool)]
    if missing:
        if os.geteuid() != 0:
            sys.exit(f"bench: install {' '.join(missing)} first")
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def build():
    log("== building the release binary (static) and the hello-world baseline")
    subprocess.run(["bash", os.path.join(ROOT, "packaging", "build-static.sh")], check=True, stdout=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "--locked", "--example", "hello"], check=True, cwd=ROOT,
                   env={**os.environ, "CARGO_TARGET_DIR": TARGET_DIR})


def http(method, url, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, r.read()


def wait_ready(url, proc, limit=60):
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        if proc.poll() is not None:
            sys.exit(f"bench: server exited with {proc.returncode}")
        try:
            if http("GET", url + "/health")[0] == 200:
                return (time.perf_counter() - t0) * 1000
        except OSError:
            time.sleep(0.001)
    sys.exit("bench: server not ready")


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


class Server:
    """The server on `data` (its SQLite file, or `database`, a PostgreSQL URL), ready to serve."""
    def __init__(self, data, extra_env=None, database=None, bin=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "ORDER_SYSTEM_CONFIG": "/dev/null", **(extra_env or {})}
        self.t0 = time.perf_counter()
        where = ["--database", database] if database else []
        self.proc = subprocess.Popen(
            [bin or BIN, "--data-dir", data, *where, "serve", "--http", f"127.0.0.1:{self.port}",
             "--admin-password", PASSWORD, "--max-connections", "20000"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        self.start_ms = wait_ready(self.url, self.proc)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def make_data(workdir, name, orders, products, customers):
    """A fresh copy of the demo shop for this run, in workdir/name.

    The shop itself is made once (demo-data: ~75 s for a million orders) and kept pristine in
    workdir/name-pristine; every run works on a copy, so orders created by earlier runs never
    make the database, and the figures, drift."""
    pristine = os.path.join(workdir, f"{name}-pristine")
    marker = os.path.join(pristine, f"bench-{orders}-{products}-{customers}")
    if os.path.exists(marker):
        log(f"== reusing the demo shop in {pristine}")
    else:
        shutil.rmtree(pristine, ignore_errors=True)
        log(f"== demo-data: {products} products, {customers} customers, {orders} orders")
        t0 = time.perf_counter()
        subprocess.run([BIN, "--config", "/dev/null", "--data-dir", pristine, "demo-data", "--orders", str(orders),
                        "--products", str(products), "--customers", str(customers)], check=True, stdout=sys.stderr)
        log(f"   demo-data took {time.perf_counter() - t0:.1f} s")
        open(marker, "w").close()
    # Brought to this binary's schema once, so that runs do not each migrate (and back up) a copy.
    subprocess.run([BIN, "--config", "/dev/null", "--data-dir", pristine, "migrate"], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(os.path.join(pristine, "backups"), ignore_errors=True)
    data = os.path.join(workdir, name)
    shutil.rmtree(data, ignore_errors=True)
    t0 = time.perf_counter()
    shutil.copytree(pristine, data, ignore=shutil.ignore_patterns("backups", "bench-*", "*.lock"))
    log(f"== copied the shop to {data} in {time.perf_counter() - t0:.1f} s")
    return data


def cold_starts(data, n):
    """Milliseconds from exec to the first 200 from /health, n times."""
    starts = []
    for _ in range(n):
        s = Server(data)
        starts.append(s.start_ms)
        s.stop()
    return starts


def pad_database(path, at_least_mb):
    """Grows the database file to at least `at_least_mb` with a table of 1 MB blobs; its size in MB."""
    import sqlite3
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS bench_ballast (b BLOB)")
    while os.path.getsize(path) / 1e6 < at_least_mb:
        conn.executemany("INSERT INTO bench_ballast VALUES (randomblob(1000000))", [()] * 50)
        conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return os.path.getsize(path) / 1e6


def parse_wrk(out):
    def dur(text):
        n, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(n) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = dur(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = dur(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "requests": total}


def wrk(url, conns, seconds, script=None, env=None, background=False):
    threads = 2 if conns >= 2 else 1
    cmd = ["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{seconds}s", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", os.path.join(LUA, script)]
    cmd.append(url)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **(env or {})})
    if background:
        return proc
    out = proc.communicate()[0]
    if proc.returncode != 0:
        sys.exit(f"bench: wrk failed: {out}")
    return parse_wrk(out)


def nginx_static(workdir, body):
    """nginx serving `body` as a static JSON file on a free port, as the shop's old stack did."""
    root = os.path.join(workdir, "nginx")
    os.makedirs(os.path.join(root, "tmp"), exist_ok=True)
    with open(os.path.join(root, "products.json"), "wb") as f:
        f.write(body)
    port = free_port()
    conf = f"""worker_processes 2; pid {root}/nginx.pid; error_log {root}/error.log; daemon off;
events {{ worker_connections 4096; }}
http {{ access_log off; client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp;
  fastcgi_temp_path {root}/tmp; uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
  keepalive_requests 1000000;
  server {{ listen 127.0.0.1:{port}; location / {{ default_type application/json; root {root}; }} }} }}
"""
    with open(os.path.join(root, "nginx.conf"), "w") as f:
        f.write(conf)
    proc = subprocess.Popen(["nginx", "-c", os.path.join(root, "nginx.conf"), "-p", root],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/products.json", timeout=1).read()
            return proc, f"http://127.0.0.1:{port}/products.json"
        except OSError:
            time.sleep(0.02)
    sys.exit("bench: nginx did not start")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny data and 1 s runs (CI): exercises everything, measures nothing")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", default="64,256,1000")
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--workdir", default="/var/tmp/order-system-bench")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if args.smoke:
        args.seconds, args.connections, args.orders = 1, "16", 2_000
    conns = [int(c) for c in args.connections.split(",")]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    ensure_tools()
    if not args.no_build:
        build()
    os.makedirs(args.workdir, exist_ok=True)
    data = make_data(args.workdir, "smoke" if args.smoke else "data", args.orders, 1_000,
                     10_000 if not args.smoke else 500)
    db_mb = os.path.getsize(os.path.join(data, "order-system.db")) / 1e6

    # Cold start with this database: the median of five starts.
    starts = cold_starts(data, 1 if args.smoke else 5)
    # The target is for a database of 1 GB or more, and a million demo orders make less: the
    # same shop padded with a ballast table shows whether start-up grows with the file.
    big = os.path.join(args.workdir, "big")
    shutil.rmtree(big, ignore_errors=True)
    shutil.copytree(data, big)
    big_mb = pad_database(os.path.join(big, "order-system.db"), 0 if args.smoke else 1_100)
    big_starts = cold_starts(big, 1 if args.smoke else 5)
    shutil.rmtree(big, ignore_errors=True)
    server = Server(data)
    # Idle: start-up done and no request for a while. The server hands freed memory back after
    # a quiet second (memory::trim_when_idle), and the readiness poll was a request.
    time.sleep(3)
    idle_rss = rss_kb(server.proc.pid)
    token = json.loads(http("POST", server.url + "/api/auth/login", body={"username": "superAdmin", "password": PASSWORD})[1])["access_token"]
    ids = []
    for i in range(10):
        status, body = http("POST", server.url + "/api/products", token,
                            {"sku": f"BENCH-{time.time_ns()}-{i}", "name": f"压测商品 {i}", "price": "9.90", "stock_quantity": 100_000_000})
        ids.append(str(json.loads(body)["id"]))
    env = {"TOKEN": token, "PRODUCT_IDS": ",".join(ids), "USERNAME": "superAdmin", "PASSWORD": PASSWORD}
    u = server.url
    endpoints = [
        ("product list, page 1", u + "/api/products?page=1&per_page=20", "get.lua"),
        ("product search", u + "/api/products?page=1&per_page=20&q=%E8%8C%B6", "get.lua"),
        ("one product", u + "/api/products/17", "get.lua"),
        ("create order (3 items)", u + "/api/orders", "create_order.lua"),
        ("orders by status and date", u + "/api/orders?status=completed&date_from=2026-10-01&date_to=2026-10-31&per_page=20", "get.lua"),
        ("dashboard stats", u + "/api/stats", "get.lua"),
        ("login", u + "/api/auth/login", "login.lua"),
    ]
    rows = []
    peak_rss = idle_rss
    for name, url, script in endpoints:
        for c in conns:
            log(f"== {name} at {c} connections")
            r = wrk(url, c, args.seconds, script, env)
            peak_rss = max(peak_rss, rss_kb(server.proc.pid))
            rows.append((name, c, r))
    log("== mixed: 70% browse, 20% orders, 9% dashboard, 1% login")
    mixed = [(c, wrk(u + "/", c, args.seconds, "mixed.lua", env)) for c in conns]
    peak_rss = max(peak_rss, rss_kb(server.proc.pid))
    log("== login storm: product list alone, then beside 64 connections of logins")
    alone = wrk(u + "/api/products?page=1&per_page=20", 64, args.seconds, "get.lua", env)
    storm = wrk(u + "/api/auth/login", 64, args.seconds + 2, "login.lua", env, background=True)
    time.sleep(1)
    during = wrk(u + "/api/products?page=1&per_page=20", 64, args.seconds, "get.lua", env)
    storm.communicate()
    product_page = http("GET", u + "/api/products?page=1&per_page=20", token)[1]
    server.stop()

    log("== baselines: nginx serving the same JSON as a static file, axum hello-world")
    ng, ng_url = nginx_static(args.workdir, product_page)
    try:
        nginx = {c: wrk(ng_url, c, args.seconds) for c in conns}
    finally:
        ng.terminate(); ng.wait()
    hello_port = free_port()
    hp = subprocess.Popen([HELLO, f"127.0.0.1:{hello_port}"], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    try:
        hello = {c: wrk(f"http://127.0.0.1:{hello_port}/", c, args.seconds) for c in conns}
    finally:
        hp.terminate(); hp.wait()

    print(f"\n### Load benchmark ({'smoke run: numbers mean nothing' if args.smoke else 'wrk on the same 2-core machine'})\n")
    print(f"Demo shop: 1,000 products, {args.orders:,} orders; database {db_mb:,.0f} MB. {args.seconds} s per cell.\n")
    print("| endpoint | conns | req/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, c, r in rows:
        print(f"| {name} | {c} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} |")
    for c, r in mixed:
        print(f"| mixed 70/20/9/1 | {c} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} |")
    for c in conns:
        r = nginx[c]
        print(f"| nginx, product list as a static file | {c} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} |")
    for c in conns:
        r = hello[c]
        print(f"| axum hello-world (ceiling) | {c} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} |")
    print()
    lists = {c: r for name, c, r in rows if name == "product list, page 1"}
    print("| measure | value |")
    print("|---|---|")
    for c in conns:
        print(f"| product list / nginx static, {c} conns | {lists[c]['rps'] / nginx[c]['rps']:.2f}x |")
        print(f"| product list / hello-world, {c} conns | {lists[c]['rps'] / hello[c]['rps']:.2f}x |")
    print(f"| login storm: product list p99 alone / beside 64 logins | {alone['p99']:.2f} ms / {during['p99']:.2f} ms ({during['p99'] / max(alone['p99'], 0.001):.2f}x) |")
    print(f"| RSS idle / peak under load | {idle_rss / 1024:.1f} MB / {peak_rss / 1024:.1f} MB |")
    print(f"| cold start to first 200 (median of {len(starts)}) | {statistics.median(starts):.1f} ms with the {db_mb:,.0f} MB shop |")
    print(f"| cold start to first 200 (median of {len(big_starts)}) | {statistics.median(big_starts):.1f} ms with the shop padded to {big_mb:,.0f} MB |")
    print(f"| binary size | {os.path.getsize(BIN) / 1e6:.1f} MB (static, stripped) |")


if __name__ == "__main__":
    main()
