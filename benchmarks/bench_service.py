"""Service benchmark (issue 4): the lineage view and a SPARQL SELECT on `earthcode-kg serve`, against `oxigraph serve`
answering the same SPARQL on the same data, under the same bounded load from a second process on 127.0.0.1.

Run by hand:  python benchmarks/bench_service.py [CATALOG_DIR] [--concurrency 4] [--duration 10]
Prints a Markdown section to append to benchmarks/RESULTS.md. Both servers run during the whole benchmark but are
driven one at a time; every number comes from this one run, so the ratios are fair on a noisy machine.
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


def load(base_url: str, requests: list[dict], tmp: Path, args: argparse.Namespace) -> dict:
    spec = tmp / f"requests-{time.monotonic_ns()}.jsonl"
    spec.write_text("".join(json.dumps(r) + "\n" for r in requests))
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "loadgen.py"), base_url, str(spec),
                          "--concurrency", str(args.concurrency), "--duration", str(args.duration),
                          "--max-requests", str(args.max_requests)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("catalog", nargs="?", default=str(ROOT.parent / "shared" / "osc-catalog"))
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4, help="waitress threads of earthcode-kg serve")
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
             "--base-iri", BASE, "--host", "127.0.0.1", "--port", str(ours), "--workers", str(args.workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(tmp / "oxigraph"), "--bind",
             f"127.0.0.1:{theirs}", "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        ours_url, theirs_url = f"http://127.0.0.1:{ours}", f"http://127.0.0.1:{theirs}"
        wait_up(ours_url + "/openapi.json")
        wait_up(theirs_url + "/query?query=" + urllib.parse.quote("ASK {}"))

        lineage_view = [{"path": f"/api/products/{p}/lineage"} for p in LINEAGE_PRODUCTS]
        query = bind(load_queries()["lineage"].text, {"product": ox.NamedNode(BASE + "products/polaris")})
        sparql = [{"method": "POST", "path": "/sparql", "body": query,
                   "headers": {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}}]
        sparql_ox = [{**sparql[0], "path": "/query"}]
        results = {
            "lineage view (earthcode-kg)": load(ours_url, lineage_view, tmp, args),
            "SPARQL SELECT (earthcode-kg /sparql)": load(ours_url, sparql, tmp, args),
            "SPARQL SELECT (oxigraph serve /query)": load(theirs_url, sparql_ox, tmp, args),
        }
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)

    ours_sparql = results["SPARQL SELECT (earthcode-kg /sparql)"]
    theirs_sparql = results["SPARQL SELECT (oxigraph serve /query)"]
    lineage = results["lineage view (earthcode-kg)"]
    print("## Service (issue 4)\n")
    print(f"Command: `python benchmarks/bench_service.py {args.catalog} --concurrency {args.concurrency} "
          f"--duration {args.duration:g} --workers {args.workers}`")
    print(f"Machine: {machine()}. Date: {dt.date.today().isoformat()}.")
    print(f"Data: {triples:,} triples (the real catalog). Servers: `earthcode-kg serve --store :memory:` (waitress, "
          f"{args.workers} threads, /sparql queries in forked worker processes) and `oxigraph serve` (same data, "
          f"`--union-default-graph`). Load: `benchmarks/loadgen.py` in a separate process, {args.concurrency} "
          f"keep-alive connections, closed loop, {args.duration:g} s per row (at most {args.max_requests} requests).\n")
    print("| what | requests | errors | req/s | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['requests']} | {r['errors']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} |")
    print(f"\nSPARQL throughput ratio earthcode-kg / oxigraph serve: **{ours_sparql['rps'] / theirs_sparql['rps']:.2f}** "
          f"(goal ≥ 0.5). Lineage view p99: **{lineage['p99_ms']:.1f} ms** (goal < 20 ms). "
          f"The SPARQL query is `queries/lineage.rq` bound to `polaris`; the lineage view cycles over the 9 products "
          f"with lineage.")


if __name__ == "__main__":
    main()
