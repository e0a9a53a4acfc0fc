"""Load benchmark (issue 2): the whole real catalog, end to end, against pyoxigraph's own bulk load as the floor.

Run by hand:  python benchmarks/bench_load.py [CATALOG_DIR] [--repeat N]
Prints a Markdown table to paste into benchmarks/RESULTS.md. Every number comes from this one run, so the ratios
are fair even on a noisy machine: each variant runs N times and the median is reported.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from earthcode_kg.config import Settings  # noqa: E402
from earthcode_kg.ingest import ingest  # noqa: E402
from earthcode_kg.store import OxigraphStore  # noqa: E402
from loaders.catalog import walk  # noqa: E402

DEFAULT_CATALOG = Path(__file__).resolve().parents[2] / "shared" / "osc-catalog"


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def fresh_dir(root: Path, name: str) -> Path:
    path = root / name
    shutil.rmtree(path, ignore_errors=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("catalog", nargs="?", type=Path, default=DEFAULT_CATALOG)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = Settings(store=":memory:")
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        # The triples our loader produces, as N-Quads: the input for the floor measurements.
        mem = OxigraphStore()
        summary = ingest(mem, args.catalog, settings)
        nquads = mem.export("application/n-quads")
        triples = mem.triple_count()
        files = [p for _, p in walk(args.catalog)]
        stac = [orjson.loads(p.read_bytes()) for p in files if p.suffix == ".json"]

        results = {}
        results["ours, in memory"] = timed(lambda: ingest(OxigraphStore(), args.catalog, settings), args.repeat)
        results["ours, on disk"] = timed(
            lambda: ingest(OxigraphStore(fresh_dir(tmp, "ours")), args.catalog, settings), args.repeat)
        results["floor: pyoxigraph bulk_load of the same N-Quads, in memory"] = timed(
            lambda: ox.Store().bulk_load(nquads, format=ox.RdfFormat.N_QUADS), args.repeat)

        def floor_disk() -> None:
            store = ox.Store(str(fresh_dir(tmp, "floor")))
            store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
            store.flush()

        results["floor: pyoxigraph bulk_load of the same N-Quads, on disk"] = timed(floor_disk, args.repeat)
        results["reading + parsing the JSON only (orjson)"] = timed(
            lambda: [orjson.loads(p.read_bytes()) for p in files if p.suffix == ".json"], args.repeat)
        try:
            import pystac

            def pystac_all() -> None:
                for d in stac:
                    if "stac_version" in d and d.get("type") in ("Catalog", "Collection", "Feature"):
                        {"Catalog": pystac.Catalog, "Collection": pystac.Collection, "Feature": pystac.Item}[
                            d["type"]].from_dict(d, preserve_dict=True, migrate=False)

            results["pystac from_dict on every STAC file (not used by the loader)"] = timed(pystac_all, args.repeat)
        except ImportError:
            pass
        import rdflib

        results["rdflib parse of the same N-Quads (not used)"] = timed(
            lambda: rdflib.Dataset().parse(data=nquads, format="nquads"), 1)

        env = dict(os.environ)
        cli = [sys.executable, "-m", "earthcode_kg.cli", "load", str(args.catalog), "--quiet"]
        results["CLI `earthcode-kg load` (new on-disk store), wall"] = timed(
            lambda: subprocess.run(cli + ["--store", str(fresh_dir(tmp, "cli"))], check=True, env=env,
                                   capture_output=True), args.repeat)
        results["CLI reload with nothing changed, wall"] = timed(
            lambda: subprocess.run(cli + ["--store", str(tmp / "cli")], check=True, env=env, capture_output=True),
            args.repeat)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print(f"Catalog: {args.catalog} — {sum(summary.files_by_kind.values())} files, {triples:,} triples; "
          f"median of {args.repeat} runs (rdflib: 1 run)")
    print(f"Machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, pyoxigraph {ox.__version__ if hasattr(ox, '__version__') else ''}")
    print()
    print("| what | seconds | triples/s | × floor (same medium) |")
    print("|---|---:|---:|---:|")
    floors = {"memory": results["floor: pyoxigraph bulk_load of the same N-Quads, in memory"],
              "disk": results["floor: pyoxigraph bulk_load of the same N-Quads, on disk"]}
    for name, seconds in results.items():
        medium = "memory" if "memory" in name else "disk" if ("disk" in name or "CLI" in name) else None
        ratio = f"{seconds / floors[medium]:.2f}" if medium else ""
        print(f"| {name} | {seconds:.3f} | {triples / seconds:,.0f} | {ratio} |")


if __name__ == "__main__":
    main()
