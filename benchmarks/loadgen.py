"""A small closed-loop HTTP load generator, run as its own process so the server under test does not share its GIL.

    python benchmarks/loadgen.py URL_FILE --concurrency 4 --duration 10 --max-requests 20000 [--method POST ...]

Each of ``concurrency`` threads keeps one HTTP/1.1 keep-alive connection and sends requests back to back, cycling
through the requests in URL_FILE (one JSON object per line: {"method", "path", "body", "headers"}), until the duration
or the request budget runs out. Prints one JSON line: requests, errors, seconds, rps, p50_ms, p99_ms; with
``--latencies FILE`` it also writes every request's latency (seconds, JSON list) there, so runs can be merged.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import threading
import time
from urllib.parse import urlsplit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("requests_file")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--latencies", help="write every latency (seconds) to this file as a JSON list")
    args = parser.parse_args()
    base = urlsplit(args.base_url)
    with open(args.requests_file) as fh:
        specs = [json.loads(line) for line in fh if line.strip()]

    lock = threading.Lock()
    budget = itertools.count()
    latencies: list[float] = []
    errors = [0]
    stop_at = [0.0]

    def one(conn: http.client.HTTPConnection, spec: dict) -> bool:
        body = spec.get("body")
        conn.request(spec.get("method", "GET"), spec["path"], body=body.encode() if body else None,
                     headers=spec.get("headers", {}))
        response = conn.getresponse()
        response.read()
        return response.status == 200

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
        mine: list[float] = []
        bad = 0
        for i in itertools.count(offset):
            if time.perf_counter() >= stop_at[0] or next(budget) >= args.max_requests:
                break
            started = time.perf_counter()
            try:
                ok = one(conn, specs[i % len(specs)])
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
                ok = False
            mine.append(time.perf_counter() - started)
            bad += not ok
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    warm = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
    for i in range(args.warmup):
        one(warm, specs[i % len(specs)])
    warm.close()
    started = time.perf_counter()
    stop_at[0] = started + args.duration
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    latencies.sort()
    if args.latencies:
        with open(args.latencies, "w") as fh:
            json.dump(latencies, fh)

    def pct(p: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")

    print(json.dumps({"requests": len(latencies), "errors": errors[0], "seconds": round(seconds, 3),
                      "rps": round(len(latencies) / seconds, 1), "p50_ms": round(pct(0.50), 2),
                      "p99_ms": round(pct(0.99), 2)}))


if __name__ == "__main__":
    main()
