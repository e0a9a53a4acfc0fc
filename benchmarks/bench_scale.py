"""Scale benchmark (issue 5): synthetic catalogs at 1x, 10x, 100x the real one, on the embedded store and on
``oxigraph serve``.

    python benchmarks/bench_scale.py --scales 1 10 100 [--backends embedded oxigraph-server] [--out benchmarks/out]

For each size and backend it measures, every number from this run:
* load: wall time of a first load (``earthcode-kg load`` code path: :func:`earthcode_kg.ingest.ingest`) in a child
  process, whose peak RSS (``getrusage``) is the loader's peak memory; for the server, the server's own peak
  (``VmHWM``) is reported too, since that is where the data lives;
* the baseline for the load, in the same run: the same statements (mapped once by the same code and written to an
  N-Quads file, which is not timed) loaded by pyoxigraph's own ``Store.bulk_load`` in one call into a fresh on-disk
  store, with the parser option the loader uses (``lenient``) — what the load costs with no mapping and no batching;
* store size on disk after the load;
* incremental reload: 1% of the product files edited, then the same load again (only those are rewritten);
* lineage latency: ``?p (prov:wasGeneratedBy/prov:used)+ ?src`` for 200 products (100 with lineage, 100 at random),
  p50 and p99, through the store interface (so over HTTP for the server);
* validation, in a child process (its peak RSS is the validator's): the full report (``validate_store``: one run
  below a million statements, batches of documents above) and the incremental report for one changed record
  (``validate_documents`` on one product document, median over 21 products).

Outputs (catalogs, stores) go to ``--out`` (git-ignored) and are deleted after each size unless ``--keep``.
Results are printed as a Markdown table and saved as JSON beside them.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate_catalog import DEFAULT_SOURCE, generate
from earthcode_kg.config import Settings
from earthcode_kg.ingest import ingest
from earthcode_kg.store import OxigraphStore
from earthcode_kg.store.base import GraphStore
from earthcode_kg.store.embedded import ntriples_to_nquads
from earthcode_kg.store.remote import RemoteStore
from loaders.vocab import PREFIXES
from tests.oxigraph_server import OxigraphServer

BASE = "https://example.org/kg/"
PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
LINEAGE = PROLOGUE + "SELECT ?src WHERE { ?p (prov:wasGeneratedBy/prov:used)+ ?src }"
WITH_LINEAGE = PROLOGUE + "SELECT DISTINCT ?p WHERE { ?p prov:wasGeneratedBy ?e }"
PRODUCTS = PROLOGUE + "SELECT ?p WHERE { ?p a ec:Product }"
SAMPLES = 100


# -- child-process entry points (so each load's peak memory is its own) -----------------------------------------------
def open_backend(spec: dict) -> GraphStore:
    if spec["backend"] == "embedded":
        return OxigraphStore(spec["store"])
    return RemoteStore(spec["query_url"], spec["update_url"], spec["gsp_url"], timeout_s=600)


def child_load(spec: dict) -> dict:
    store = open_backend(spec)
    started = time.perf_counter()
    summary = ingest(store, spec["catalog"], Settings(store=":memory:", base_iri=BASE))
    seconds = time.perf_counter() - started
    store.close()
    return {"seconds": seconds, "loaded": summary.loaded, "triples": summary.store_triples,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


class _NQuadsFile:
    """Just enough of a store for ``ingest`` to write the mapped statements to an N-Quads file (the baseline's
    input)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def select(self, *args: object, **kwargs: object) -> list:
        return []

    def graphs(self) -> set[str]:
        return set()

    def replace_graphs(self, graphs) -> None:
        with self.path.open("wb") as out:
            for graph, ntriples in graphs:
                out.write(ntriples_to_nquads(graph, ntriples))

    def triple_count(self) -> int:
        return 0


def child_raw_bulk_load(spec: dict) -> dict:
    """The baseline: pyoxigraph's ``bulk_load`` of the same statements from a file, in one call, on disk, parsed as
    the loader parses them (``lenient``: no second IRI check)."""
    import pyoxigraph as ox

    nquads = Path(spec["store"] + ".nq")
    ingest(_NQuadsFile(nquads), spec["catalog"], Settings(store=":memory:", base_iri=BASE))
    started = time.perf_counter()
    store = ox.Store(spec["store"])
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS, lenient=True)
    store.flush()
    seconds = time.perf_counter() - started
    del store
    nquads.unlink()
    shutil.rmtree(spec["store"])
    return {"seconds": seconds}


def child_lineage(spec: dict) -> dict:
    store = open_backend(spec)
    rng = random.Random(5)
    with_lineage = sorted(r["p"].value for r in store.select(WITH_LINEAGE))
    products = sorted(r["p"].value for r in store.select(PRODUCTS))
    sample = rng.sample(with_lineage, min(SAMPLES, len(with_lineage))) + rng.sample(products, SAMPLES)
    import pyoxigraph as ox

    for p in sample[:10]:  # warm-up
        store.select(LINEAGE, {"p": ox.NamedNode(p)})
    times, depth = [], 0
    for p in sample:
        started = time.perf_counter()
        rows = store.select(LINEAGE, {"p": ox.NamedNode(p)})
        times.append((time.perf_counter() - started) * 1000)
        depth = max(depth, len(rows))
    store.close()
    q = statistics.quantiles(times, n=100)
    return {"p50_ms": statistics.median(times), "p99_ms": q[98], "queries": len(times),
            "products_with_lineage": len(with_lineage), "max_upstream": depth}


def child_validation(spec: dict) -> dict:
    from shapes.engine import validate_documents, validate_store

    store = open_backend(spec)
    full, full_seconds = None, None
    if spec.get("full_validation", True):
        started = time.perf_counter()
        full = validate_store(store)
        full_seconds = time.perf_counter() - started
    documents = sorted(r["d"].value for r in store.select(
        PROLOGUE + "SELECT ?d WHERE { ?d foaf:primaryTopic ?p . ?p a ec:Product }"))
    times = []
    for doc in random.Random(3).sample(documents, min(21, len(documents))):
        started = time.perf_counter()
        validate_documents(store, [doc])
        times.append((time.perf_counter() - started) * 1000)
    store.close()
    return {"full_seconds": full_seconds, "batches": full.seconds.get("batches", 1) if full else None,
            "findings": len(full.findings) if full else None,
            "incremental_median_ms": statistics.median(times),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_child(kind: str, spec: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, "_child", kind, json.dumps(spec)], capture_output=True, text=True,
                         check=False, timeout=3600)
    if out.returncode:
        raise RuntimeError(f"{kind} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- measurements ---------------------------------------------------------------------------------------------------
def du_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def edit_one_percent(catalog: Path) -> int:
    """Change the title of 1% of the product collections (a realistic daily change set)."""
    files = sorted(catalog.glob("products/*/collection.json"))
    chosen = random.Random(7).sample(files, max(1, len(files) // 100))
    for f in chosen:
        f.write_bytes(f.read_bytes().replace(b'"title": "', b'"title": "edited ', 1))
    return len(chosen)


def server_peak_mib(server: OxigraphServer) -> float:
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(backend: str, catalog: Path, work: Path, skip_full_validation: bool = False) -> dict:
    location = work / f"store-{backend}"
    server = None
    if backend == "embedded":
        spec = {"backend": backend, "store": str(location)}
    else:
        server = OxigraphServer(location).start()
        spec = {"backend": backend, "query_url": server.query_url, "update_url": server.update_url,
                "gsp_url": server.gsp_url}
    spec["catalog"] = str(catalog)
    try:
        load = run_child("load", spec)
        result = {"backend": backend, **load, "store_mib": du_mib(location),
                  "raw_bulk_load_seconds": run_child("raw_bulk_load", {**spec, "store": str(work / "raw-store")})[
                      "seconds"]}
        if server:
            result["server_peak_rss_mib"] = server_peak_mib(server)
        result["validation"] = run_child("validation", {**spec, "full_validation": not skip_full_validation})
        result["lineage"] = run_child("lineage", spec)
        result["edited_files"] = edit_one_percent(catalog)
        result["reload_seconds"] = run_child("load", spec)["seconds"]
    finally:
        if server:
            server.stop()
            server.log.unlink(missing_ok=True)
        shutil.rmtree(location, ignore_errors=True)
    return result


def table(results: list[dict]) -> str:
    lines = [("| size | documents | triples | backend | load s | raw bulk_load s (load ÷ raw) | loader peak MiB | "
             "server peak MiB | store MiB | reload 1% s | lineage p50 ms | lineage p99 ms | "
             "full validation s (batches) | validation peak MiB | "
             "incremental validation ms |"),
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(
            f"| {r['scale']}x | {r['files']:,} | {r['triples']:,} | {r['backend']} | {r['seconds']:.1f} | "
            f"{r['raw_bulk_load_seconds']:.1f} ({r['seconds'] / r['raw_bulk_load_seconds']:.2f}) | "
            f"{r['peak_rss_mib']:.0f} | {r.get('server_peak_rss_mib', float('nan')):.0f} | {r['store_mib']:.0f} | "
            f"{r['reload_seconds']:.1f} | {r['lineage']['p50_ms']:.2f} | {r['lineage']['p99_ms']:.2f} | "
            + (f"{r['validation']['full_seconds']:.1f} ({r['validation']['batches']}) | "
               if r["validation"]["full_seconds"] is not None else "not run | ")
            + f"{r['validation']['peak_rss_mib']:.0f} | {r['validation']['incremental_median_ms']:.0f} |")
    return "\n".join(lines).replace("| nan |", "| – |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--backends", nargs="+", default=["embedded", "oxigraph-server"])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--keep", action="store_true", help="keep the generated catalogs")
    parser.add_argument("--skip-full-validation", action="store_true",
                        help="measure the incremental report only (the full report takes long at 100x)")
    args = parser.parse_args()
    results = []
    for scale in args.scales:
        catalog = args.out / f"catalog-{scale}"
        started = time.perf_counter()
        files = generate(args.source, catalog, scale)
        print(f"generated {files} files at {scale}x in {time.perf_counter() - started:.1f} s", flush=True)
        for backend in args.backends:
            if backend != args.backends[0]:  # undo the previous backend's 1% edit: every backend loads the same bytes
                generate(args.source, catalog, scale)
            r = {"scale": scale, "files": files, **measure(backend, catalog, args.out, args.skip_full_validation)}
            print(json.dumps(r), flush=True)
            results.append(r)
        if not args.keep:
            shutil.rmtree(catalog)
    (args.out / "scale-results.json").write_text(json.dumps(results, indent=2))
    print(table(results))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        kind, spec = sys.argv[2], json.loads(sys.argv[3])
        print(json.dumps({"load": child_load, "raw_bulk_load": child_raw_bulk_load, "lineage": child_lineage,
                          "validation": child_validation}[kind](spec)))
    else:
        main()
