#!/usr/bin/env python3
"""Start-to-first-200 of a built order-system binary: fresh data dir (x5) and existing (x7).

Usage: python3 scripts/startup-time.py target/release/order-system
"""
import subprocess, time, socket, tempfile, statistics, sys, os
BIN = sys.argv[1]
def port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
def first_200(data, cost=None):
    p = port()
    env = dict(os.environ)
    if cost: env["ORDER_SYSTEM_BCRYPT_COST"] = cost
    t0 = time.perf_counter()
    proc = subprocess.Popen([BIN, "--data-dir", data, "serve", "--http", f"127.0.0.1:{p}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    while True:
        try:
            s = socket.create_connection(("127.0.0.1", p), timeout=1)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            r = s.recv(64); s.close()
            if r.startswith(b"HTTP/1.1 200"): break
        except OSError:
            time.sleep(0.0005)
    dt = (time.perf_counter() - t0) * 1000
    proc.terminate(); proc.wait()
    return dt
fresh = [first_200(tempfile.mkdtemp()) for _ in range(5)]
d = tempfile.mkdtemp(); first_200(d)
again = [first_200(d) for _ in range(7)]
print(f"fresh data dir (migrations + superAdmin hash at bcrypt cost 12): median {statistics.median(fresh):.1f} ms  {['%.0f' % x for x in fresh]}")
print(f"existing data dir: median {statistics.median(again):.1f} ms  {['%.1f' % x for x in again]}")
