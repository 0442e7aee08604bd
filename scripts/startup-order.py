#!/usr/bin/env python3
"""Regenerates link/startup.ld: the functions that `serve` runs while starting, laid out
together in the release binary.

Why: the kernel maps code 64 KiB at a time around each page a program first executes. Start-up
runs ~2,500 functions (clap, migrations, the router and its OpenAPI document, SQLite, tokio)
scattered over all 12 MB of the binary's code, so an idle server had ~10 MB of it resident.
Laid out together, they make ~4-5 MB (see build.rs, which links every release build with this
file).

How: builds the static release binary with symbols (a separate target dir, a cold build of a few
minutes), starts it on a small demo shop under valgrind's callgrind, which records every function
that runs, and stops it one second after it answers /health. Needs valgrind (Debian: valgrind).

    python3 scripts/startup-order.py             # build, trace, write link/startup.ld
    python3 scripts/startup-order.py --binary B  # trace an existing binary built with symbols

The patterns leave out symbol hashes, so the file stays valid across toolchain and dependency
updates; a start-up function added later is only laid out elsewhere until the next run.
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "link", "startup.ld")
TARGET = "x86_64-unknown-linux-gnu"
# Long generic instantiations are cut here and globbed: the file stays small, and the few
# extra functions a shortened pattern pulls in are near relatives of the one that ran.
MAX_PATTERN = 120


def build():
    target_dir = os.environ.get("CARGO_TARGET_DIR", "/var/tmp/order-system-target") + "-symbols"
    env = {**os.environ, "CARGO_TARGET_DIR": target_dir,
           "RUSTFLAGS": '-C target-feature=+crt-static --cfg getrandom_backend="linux_getrandom"'}
    subprocess.run(["cargo", "build", "--release", "--locked", "--target", TARGET,
                    "--config", "profile.release.strip=false"], cwd=ROOT, env=env, check=True)
    return os.path.join(target_dir, TARGET, "release", "order-system")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def trace(binary, workdir):
    """Function names (mangled) that run from exec until a second after the first /health."""
    data = os.path.join(workdir, "data")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([binary, "--config", "/dev/null", "--data-dir", data, "demo-data", "--orders", "200",
                    "--products", "50", "--customers", "50"], check=True, **quiet)
    port, out = free_port(), os.path.join(workdir, "callgrind.out")
    proc = subprocess.Popen(["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}",
                             binary, "--config", "/dev/null", "--data-dir", data, "serve",
                             "--http", f"127.0.0.1:{port}"], **quiet)
    deadline = time.monotonic() + 300
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                sys.exit("startup-order: the server under valgrind did not become ready")
            time.sleep(0.2)
    time.sleep(1)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=120)
    names, seen = [], set()
    with open(out) as f:
        for line in f:
            m = re.match(r"^c?fn=\(\d+\) (\S+)$", line.strip())
            if not m:
                continue
            name = re.sub(r"'\d+$", "", m.group(1))  # callgrind marks recursion levels
            if name not in seen:
                seen.add(name)
                names.append(name)
    return names


def pattern(name):
    """A section-name glob for one function, without the parts that change between builds."""
    if not re.fullmatch(r"[A-Za-z0-9_.$]+", name) or name.startswith("0x"):
        return None
    # LTO numbers the local copies it makes (`.758`, `.llvm.123`): those differ in every build.
    name = re.sub(r"(17h)[0-9a-f]{16}E(\.[0-9A-Za-z_.]+)?$", r"\1*", name)  # legacy mangling's hash
    if name.startswith("_R"):
        name = re.sub(r"Cs[0-9A-Za-z]+_", "Cs*_", name)  # v0 mangling's crate disambiguators
        name = re.sub(r"\.(llvm\.)?\d+$", "*", name)
    if len(name) > MAX_PATTERN:
        name = name[:MAX_PATTERN].rstrip("*") + "*"
    return name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", help="a release binary with symbols (default: build one)")
    args = parser.parse_args()
    binary = args.binary or build()
    with tempfile.TemporaryDirectory() as workdir:
        names = trace(binary, workdir)
    # Sorted: the order inside the section hardly matters, and a rerun then changes few lines.
    patterns = sorted(set(p for p in map(pattern, names) if p))
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write(f"/* Generated by scripts/startup-order.py ({rustc}); see there for why. {len(patterns)}\n"
                "   functions that run while `serve` starts, placed together before the rest of the code.\n"
                "   `.text*.` also matches `.text.unlikely.`, where LLVM puts #[cold] functions. */\n"
                "SECTIONS {\n  .text.startup : {\n")
        for p in patterns:
            f.write(f"    *(.text*.{p})\n")
        f.write("  }\n}\nINSERT BEFORE .text;\n")
    print(f"startup-order: {len(names)} functions ran, {len(patterns)} patterns in {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
