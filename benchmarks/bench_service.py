"""Service benchmark (issue 4): the lineage view and a SPARQL SELECT on `earthcode-kg serve`, against `oxigraph serve`
answering the same SPARQL on the same data, under the same bounded load from a second process on 127.0.0.1.

Run by hand:  python benchmarks/bench_service.py [CATALOG_DIR] [--concurrency 4 1] [--duration 10] [--workers 2]
Prints a Markdown section to append to benchmarks/RESULTS.md. Both servers run during the whole benchmark but are
driven one at a time; every number comes from this one run, so the ratios are fair on a noisy machine. The lineage
view is measured twice: as clients get it (repeated views come from the service's answer cache) and computed on every
request (``Cache-Control: no-cache``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from earthcode_kg.config import Settings
from earthcode_kg.ingest import ingest
from earthcode_kg.store import OxigraphStore
from earthcode_kg.store.bindings import bind
from earthcode_kg.store.formats import N_QUADS
from queries import load_queries

BASE = "https://w3id.org/earthcode/"
LINEAGE_PRODUCTS = ["Predicted-Land-Surface-Temperature-and-Anomalies", "earthcare-frame-lightning",
                    "earthcare-marine-stratocumulus-transitions", "esa-cci-permafrost", "esa-world-cereal-extent-product",
                    "glambie-dataset", "polaris", "polarwarp", "sss-monthly-anomalies"]
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) for line in meminfo if line.startswith("MemTotal")), 0) / 1024 ** 2
    return f"{os.cpu_count()} cores ({model}), {mem:.0f} GiB RAM, Python {platform.python_version()}, pyoxigraph {ox.__version__}"


def load(base_url: str, requests: list[dict], tmp: Path, args: argparse.Namespace, concurrency: int,
         duration: float) -> dict:
    """One slice of closed-loop load; returns loadgen's summary plus every latency."""
    stamp = time.monotonic_ns()
    spec, latencies = tmp / f"requests-{stamp}.jsonl", tmp / f"latencies-{stamp}.json"
    spec.write_text("".join(json.dumps(r) + "\n" for r in requests))
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "loadgen.py"), base_url, str(spec),
                          "--concurrency", str(concurrency), "--duration", str(duration),
                          "--max-requests", str(args.max_requests), "--latencies", str(latencies)],
                         capture_output=True, text=True, check=True)
    return {**json.loads(out.stdout), "latencies": json.loads(latencies.read_text())}


def merge(slices: list[dict]) -> dict:
    """The slices of one row as one measurement: total requests over total time, percentiles of all latencies."""
    latencies = sorted(x for s in slices for x in s["latencies"])
    seconds = sum(s["seconds"] for s in slices)

    def pct(p: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")

    return {"requests": len(latencies), "errors": sum(s["errors"] for s in slices), "seconds": seconds,
            "rps": len(latencies) / seconds, "p50_ms": pct(0.50), "p99_ms": pct(0.99)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("catalog", nargs="?", default=str(ROOT.parent / "shared" / "osc-catalog"))
    parser.add_argument("--concurrency", type=int, nargs="+", default=[4, 1], help="one table per value")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per row, in --rounds slices")
    parser.add_argument("--rounds", type=int, default=5, help="the rows take turns this many times (interleaved, "
                        "so a change in the machine's other load affects every row alike)")
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2, help="server processes of earthcode-kg serve")
    parser.add_argument("--threads", type=int, default=4, help="request threads in each server process")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-service-"))
    procs: list[subprocess.Popen] = []
    try:
        # The same data for both servers: our load of the catalog, exported as N-Quads, loaded by `oxigraph load`.
        store = OxigraphStore()
        ingest(store, args.catalog, Settings(store=":memory:", base_iri=BASE))
        triples = store.triple_count()
        (tmp / "data.nq").write_bytes(store.export(N_QUADS))
        store.close()
        subprocess.run([OXIGRAPH, "load", "--location", str(tmp / "oxigraph"), "--file", str(tmp / "data.nq")],
                       check=True, capture_output=True)

        ours, theirs = free_port(), free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "earthcode_kg.cli", "serve", "--store", ":memory:", "--catalog", args.catalog,
             "--base-iri", BASE, "--host", "127.0.0.1", "--port", str(ours), "--workers", str(args.workers),
             "--threads", str(args.threads)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(tmp / "oxigraph"), "--bind",
             f"127.0.0.1:{theirs}", "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        ours_url, theirs_url = f"http://127.0.0.1:{ours}", f"http://127.0.0.1:{theirs}"
        wait_up(ours_url + "/openapi.json")
        wait_up(theirs_url + "/query?query=" + urllib.parse.quote("ASK {}"))

        lineage_view = [{"path": f"/api/products/{p}/lineage"} for p in LINEAGE_PRODUCTS]
        computed = [{**r, "headers": {"Cache-Control": "no-cache"}} for r in lineage_view]
        query = bind(load_queries()["lineage"].text, {"product": ox.NamedNode(BASE + "products/polaris")})
        sparql = [{"method": "POST", "path": "/sparql", "body": query,
                   "headers": {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}}]
        sparql_ox = [{**sparql[0], "path": "/query"}]
        load_before = os.getloadavg()
        rows = {
            "lineage view (earthcode-kg)": (ours_url, lineage_view),
            "lineage view, computed each time (`Cache-Control: no-cache`)": (ours_url, computed),
            "SPARQL SELECT (earthcode-kg /sparql)": (ours_url, sparql),
            "SPARQL SELECT (oxigraph serve /query)": (theirs_url, sparql_ox),
        }
        runs = {}
        for concurrency in args.concurrency:
            slices: dict[str, list[dict]] = {name: [] for name in rows}
            for _ in range(args.rounds):
                for name, (url, requests) in rows.items():
                    slices[name].append(load(url, requests, tmp, args, concurrency, args.duration / args.rounds))
            runs[concurrency] = {name: merge(parts) for name, parts in slices.items()}
        load_after = os.getloadavg()
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)

    print("## Service (issue 4)\n")
    print(f"Command: `python benchmarks/bench_service.py {args.catalog} --concurrency "
          f"{' '.join(map(str, args.concurrency))} --duration {args.duration:g} --rounds {args.rounds} "
          f"--workers {args.workers} --threads {args.threads}`")
    print(f"Machine: {machine()}. Date: {dt.date.today().isoformat()}. Load average (1 min) at the start and the end "
          f"of the measurements: {load_before[0]:.1f}, {load_after[0]:.1f}.")
    print(f"Data: {triples:,} triples (the real catalog). Servers: `earthcode-kg serve --store :memory:` "
          f"({args.workers} server processes × {args.threads} threads, /sparql queries in forked worker processes) "
          f"and `oxigraph serve` (same data, `--union-default-graph`). Load: `benchmarks/loadgen.py` in a separate "
          f"process, keep-alive connections, closed loop, {args.duration:g} s per row in {args.rounds} slices taken "
          f"in turn with the other rows (at most {args.max_requests} requests a slice). The SPARQL query is "
          f"`queries/lineage.rq` bound to `polaris`; the lineage view cycles over the 9 products with lineage.")
    for concurrency, results in runs.items():
        ours_sparql = results["SPARQL SELECT (earthcode-kg /sparql)"]
        theirs_sparql = results["SPARQL SELECT (oxigraph serve /query)"]
        lineage = results["lineage view (earthcode-kg)"]
        computed = results["lineage view, computed each time (`Cache-Control: no-cache`)"]
        print(f"\n{concurrency} connection{'s' if concurrency > 1 else ''}:\n")
        print("| what | requests | errors | req/s | p50 ms | p99 ms |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, r in results.items():
            print(f"| {name} | {r['requests']} | {r['errors']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | "
                  f"{r['p99_ms']:.2f} |")
        print(f"\nSPARQL throughput ratio earthcode-kg / oxigraph serve: "
              f"**{ours_sparql['rps'] / theirs_sparql['rps']:.2f}** (goal ≥ 0.5). Lineage view p99: "
              f"**{lineage['p99_ms']:.1f} ms**, computed each time **{computed['p99_ms']:.1f} ms** (goal < 20 ms).")


if __name__ == "__main__":
    main()
