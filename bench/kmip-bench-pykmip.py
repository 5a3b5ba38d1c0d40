"""Sequential Get ops/s of PyKMIP's ProxyKmipClient over one connection (run by bench/kmip-bench.ts).

Usage: /usr/bin/python3 bench/kmip-bench-pykmip.py HOST PORT CERT KEY CA UID SECONDS
Prints one JSON line: {"ops": n, "seconds": s, "opsPerSecond": r, "cpuMicrosPerOp": c} (c: this
process's CPU time per Get). Warms up for 0.5 s first.
"""
import json
import logging
import sys
import time

from pykmip_client import connect


def main():
    host, port, cert, key, ca, uid, seconds = sys.argv[1:8]
    # PyKMIP logs each request at INFO/DEBUG level; logging would dominate the measurement.
    logging.disable(logging.CRITICAL)
    client = connect(host, port, cert, key, ca)
    with client:
        warm_until = time.perf_counter() + 0.5
        while time.perf_counter() < warm_until:
            client.get(uid)
        ops = 0
        cpu_started = time.process_time()
        started = time.perf_counter()
        stop_at = started + float(seconds)
        while True:
            client.get(uid)
            ops += 1
            now = time.perf_counter()
            if now >= stop_at:
                break
        elapsed = now - started
        cpu = time.process_time() - cpu_started
    print(json.dumps({"ops": ops, "seconds": elapsed, "opsPerSecond": ops / elapsed, "cpuMicrosPerOp": cpu * 1e6 / ops}))


if __name__ == "__main__":
    main()
