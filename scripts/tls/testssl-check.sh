#!/usr/bin/env bash
# Usage: scripts/tls/testssl-check.sh HOST:PORT OUTDIR
#
# Runs Debian's testssl.sh (3.0.8 on Debian 12; installed if missing) non-interactively against
# an HTTPS server on this machine and fails if it finds anything HIGH or CRITICAL, except
# findings about the *test certificate itself* (see EXEMPT below: trust, lifetime, revocation,
# CT, ...), which a locally generated certificate can never pass.
#   OUTDIR/testssl.json      flat JSON findings (testssl --jsonfile)
#   OUTDIR/testssl.log       testssl's full text output (--logfile)
#   OUTDIR/summary.txt       the summary table printed at the end
# HOST may be a name (it is then sent as SNI, and the connection still goes to TESTSSL_IP,
# 127.0.0.1 by default: no DNS lookups at all) or an IP address.
#
# Exit: 0 = no non-exempt HIGH/CRITICAL finding; 1 = at least one (or the scan could not run /
# is incomplete: FATAL scanProblem, connection refused, missing sections); 2 = usage error.
#
# Also reports whether the server enforces its cipher order (testssl id `cipher_order`;
# testssl 3.0.8 rates "NOT a cipher order configured" as HIGH, so a server that lets the client
# pick fails this check unless TESTSSL_EXTRA_EXEMPT=cipher_order).
#
# Environment (defaults):
#   TESTSSL_IP=127.0.0.1        address to connect to when HOST is a name
#   TESTSSL_CA=                 extra CA file(s) for the trust check (--add-ca), e.g. the test CA
#   TESTSSL_FULL=0              1: testssl's full default run (adds -e each-cipher and -c client
#                               simulation, which only produce INFO findings; ~+45 s)
#   TESTSSL_EXTRA_EXEMPT=       comma-separated extra ids to exempt
#   TESTSSL_TIMEOUT=900         seconds before the scan is killed
#   TESTSSL_VERBOSE=0           1: stream testssl's output to stderr while it runs
set -euo pipefail

if [ $# -ne 2 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi
TARGET="$1"
mkdir -p "$2"
OUTDIR="$(cd "$2" && pwd)"
TESTSSL_IP="${TESTSSL_IP:-127.0.0.1}"
TESTSSL_CA="${TESTSSL_CA:-}"
TESTSSL_FULL="${TESTSSL_FULL:-0}"
TESTSSL_EXTRA_EXEMPT="${TESTSSL_EXTRA_EXEMPT:-}"
TESTSSL_TIMEOUT="${TESTSSL_TIMEOUT:-900}"
TESTSSL_VERBOSE="${TESTSSL_VERBOSE:-0}"

log() { printf 'testssl-check: %s\n' "$*" >&2; }
die() { printf 'testssl-check: ERROR: %s\n' "$*" >&2; exit "${2:-2}"; }

HOST="${TARGET%:*}"
PORT="${TARGET##*:}"
if ! { [ "$HOST" != "$TARGET" ] && [[ "$PORT" =~ ^[0-9]+$ ]]; }; then die "expected HOST:PORT, got '$TARGET'"; fi
HOST="${HOST#[}"
HOST="${HOST%]}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
TESTSSL_BIN="$(command -v testssl || command -v testssl.sh || true)"
if [ -z "$TESTSSL_BIN" ]; then
  log "installing Debian package testssl.sh"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q testssl.sh >/dev/null 2>&1 ||
    { as_root apt-get update -q >/dev/null && as_root apt-get install -y -q testssl.sh >/dev/null; }
  TESTSSL_BIN="$(command -v testssl || command -v testssl.sh || true)"
  [ -n "$TESTSSL_BIN" ] || die "testssl.sh could not be installed"
fi
command -v python3 >/dev/null 2>&1 || die "python3 is required"

JSON="$OUTDIR/testssl.json"
LOG="$OUTDIR/testssl.log"
rm -f "$JSON" "$LOG" "$OUTDIR/summary.txt" # testssl 3.0 refuses to overwrite them

ARGS=(--quiet --color 0 --warnings off --nodns none
  --connect-timeout 10 --openssl-timeout 10
  --jsonfile "$JSON" --logfile "$LOG")
if [[ ! "$HOST" =~ ^[0-9.]+$ ]] && [[ ! "$HOST" =~ : ]]; then
  ARGS+=(--ip "$TESTSSL_IP") # a name: SNI=HOST, connect to TESTSSL_IP, never resolve it
fi
[ -n "$TESTSSL_CA" ] && ARGS+=(--add-ca "$TESTSSL_CA")
if [ "$TESTSSL_FULL" != 1 ]; then
  # Every section that can yield a LOW..CRITICAL finding; leaves out -e (each cipher) and
  # -c (client simulation), which are informational only.
  ARGS+=(--protocols --std --pfs --server-preference --server-defaults --headers --vulnerable)
fi
if [[ "$HOST" =~ : ]]; then
  URI="[$HOST]:$PORT"
  ARGS+=(-6)
else
  URI="$HOST:$PORT"
fi

TESTSSL_VERSION="$("$TESTSSL_BIN" --version 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | awk '/testssl +[0-9]/ {print $2; exit}')"
log "running testssl ${TESTSSL_VERSION:-?} against $URI ($([ "$TESTSSL_FULL" = 1 ] && echo full || echo quick) run, ~35 s quick / ~2.5 min full on 2 cores)"
start=$(date +%s)
set +e
if [ "$TESTSSL_VERBOSE" = 1 ]; then
  timeout -k 10 "$TESTSSL_TIMEOUT" "$TESTSSL_BIN" "${ARGS[@]}" "$URI" </dev/null >&2
else
  timeout -k 10 "$TESTSSL_TIMEOUT" "$TESTSSL_BIN" "${ARGS[@]}" "$URI" </dev/null >/dev/null 2>"$OUTDIR/testssl.stderr"
fi
rc=$?
set -e
elapsed=$(($(date +%s) - start))
[ -s "$OUTDIR/testssl.stderr" ] || rm -f "$OUTDIR/testssl.stderr"
log "testssl exit code $rc after ${elapsed}s"
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
  die "testssl did not finish within ${TESTSSL_TIMEOUT}s" 1
fi
[ -s "$JSON" ] || die "testssl wrote no JSON (exit $rc); see $LOG" 1

python3 - "$JSON" "$rc" "$elapsed" "$URI" "$TESTSSL_EXTRA_EXEMPT" "${TESTSSL_VERSION:-?}" "$OUTDIR/summary.txt" <<'PY'
import json, re, sys

json_path, rc, elapsed, uri, extra, version, summary_path = sys.argv[1:8]
rc = int(rc)

# Findings about the test certificate itself, which a certificate from a local test CA (or a
# self-signed one) cannot pass. Everything else -- protocols, ciphers, key exchange, cipher
# order, vulnerabilities, headers, and certificate properties the server controls (key size,
# signature algorithm, SAN present, key usage, chain order) -- still counts.
EXEMPT = {
    "cert_chain_of_trust": "test CA / self-signed cert is not in the system trust store (CRITICAL)",
    "cert_trust": "name under test (e.g. 127.0.0.1) may not be in the test cert's SAN (HIGH/MEDIUM)",
    "cert_caIssuers": "a self-signed cert (--tls-self-signed) is rated CRITICAL 'selfsigned'",
    "cert_expirationStatus": "short-lived test certs: < 60 days MEDIUM, < 30 days HIGH, expired CRITICAL",
    "cert_notAfter": "carries the same severity as cert_expirationStatus",
    "cert_validityPeriod": "long-lived test certs (pebble issues 5-year certs): > 398 days HIGH/MEDIUM",
    "cert_revocation": "test CAs publish neither CRL nor OCSP URI (HIGH)",
    "cert_crlDistributionPoints": "revocation: no CRL URI in test certs",
    "cert_ocspURL": "revocation: no OCSP URI in test certs",
    "OCSP_stapling": "revocation: nothing to staple without an OCSP responder",
    "cert_mustStapleExtension": "revocation: must-staple without stapling (HIGH) depends on the cert",
    "certificate_transparency": "test CAs log nothing to CT",
    "DNS_CAArecord": "made-up test names have no DNS/CAA records",
}
for x in filter(None, (s.strip() for s in extra.split(","))):
    EXEMPT[x] = "exempted via TESTSSL_EXTRA_EXEMPT"

ORDER = ["FATAL", "CRITICAL", "HIGH", "MEDIUM", "LOW", "WARN"]
FAILING = {"CRITICAL", "HIGH"}

with open(json_path) as fh:
    data = json.load(fh)
findings = data if isinstance(data, list) else data.get("scanResult", [])

def base_id(i):  # "cert_trust <cert#2>" -> "cert_trust"
    return re.sub(r"\s*<cert#\d+>$", "", i)

rows, failing, problems = [], [], []
by_id = {}
for f in findings:
    fid, sev, text = f.get("id", ""), f.get("severity", ""), f.get("finding", "")
    by_id.setdefault(base_id(fid), []).append(f)
    if sev not in ORDER:
        continue
    exempt = base_id(fid) in EXEMPT
    if sev == "FATAL" or (sev == "WARN" and fid == "scanProblem"):
        status = "FAIL"
        problems.append(f"{fid}: {text}")
    elif sev in FAILING:
        status = "exempt" if exempt else "FAIL"
        if not exempt:
            failing.append(f)
    else:
        status = "-"
    rows.append((ORDER.index(sev), sev, status, fid, text))
rows.sort(key=lambda r: r[0])

# Protocols offered
protos = []
for pid, name in [("SSLv2", "SSLv2"), ("SSLv3", "SSLv3"), ("TLS1", "TLS 1.0"), ("TLS1_1", "TLS 1.1"),
                  ("TLS1_2", "TLS 1.2"), ("TLS1_3", "TLS 1.3")]:
    for f in by_id.get(pid, []):
        fin = f.get("finding", "")
        offered = fin.startswith("offered") or fin.startswith("deprecated")
        protos.append(f"{name}: {'offered' if offered else 'no'}")

# Cipher order (testssl 3.0.x: id cipher_order)
co = by_id.get("cipher_order", [])
if co:
    fin, sev = co[0].get("finding", ""), co[0].get("severity", "")
    verdict = {
        "server": "YES (TLS 1.3 and below)",
        "server (TLS 1.3)": "YES (TLS 1.3 only server)",
        "server -- TLS 1.3 client determined": "PARTLY: yes for TLS <= 1.2, client picks in TLS 1.3",
        "server -- < TLS 1.3 client determined": "PARTLY: yes for TLS 1.3, client picks in TLS <= 1.2",
        "NOT a cipher order configured": "NO: the client picks",
        "not a cipher order for TLS 1.3 configured": "NO (TLS 1.3 only server): the client picks",
    }.get(fin, "UNKNOWN")
    cipher_order = f"{verdict}  [cipher_order = {sev} \"{fin}\"]"
else:
    cipher_order = "not reported (section missing)"
    problems.append("no cipher_order finding: the server-preference section did not run")
for needed in ("TLS1_2", "TLS1_3", "cert_keySize", "heartbleed"):
    if needed not in by_id:
        problems.append(f"no {needed} finding: the scan is incomplete")

negotiated = "; ".join(f"{k}={by_id[k][0].get('finding','').strip()}" for k in ("protocol_negotiated", "cipher_negotiated") if k in by_id)

out = []
w_id = max([len(r[3]) for r in rows] + [2])
out.append(f"testssl {version} against {uri}: {len(findings)} findings, testssl exit {rc}, {elapsed}s")
out.append("")
out.append(f"{'SEVERITY':<9} {'STATUS':<7} {'ID':<{w_id}}  FINDING")
for _, sev, status, fid, text in rows:
    text = " ".join(text.split())
    out.append(f"{sev:<9} {status:<7} {fid:<{w_id}}  {text[:110]}")
if not rows:
    out.append("(no LOW..CRITICAL findings)")
out.append("")
out.append("Protocols:            " + ", ".join(protos))
out.append("Negotiated:           " + negotiated)
out.append("Server cipher order:  " + cipher_order)
out.append("Exempt ids (test certificate): " + ", ".join(sorted(EXEMPT)))
for p in problems:
    out.append("SCAN PROBLEM: " + p)
if failing or problems:
    why = []
    if failing:
        why.append(f"{len(failing)} non-exempt HIGH/CRITICAL finding(s): " + ", ".join(f["id"] for f in failing))
    if problems:
        why.append(f"{len(problems)} scan problem(s)")
    out.append("RESULT: FAIL -- " + "; ".join(why))
    code = 1
else:
    out.append("RESULT: PASS -- no non-exempt HIGH/CRITICAL finding")
    code = 0
text = "\n".join(out) + "\n"
with open(summary_path, "w") as fh:
    fh.write(text)
sys.stdout.write(text)
sys.exit(code)
PY
