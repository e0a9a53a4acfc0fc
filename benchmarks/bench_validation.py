"""Validation benchmark (issue 3): full report on a catalog, incremental report for one changed record, and the raw
engines on the same data graph (pyshacl-turbo, and pySHACL on rdflib as the baseline).

    python benchmarks/bench_validation.py ../shared/osc-catalog --repeat 3 --incremental 21 [--skip-reference]

Prints a Markdown table (seconds, and the ratio to the pySHACL baseline) to paste into benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

from earthcode_kg.config import Settings
from earthcode_kg.ingest import ingest, minter_for
from earthcode_kg.store import OxigraphStore
from shapes.engine import (
    available_cores,
    export_data,
    run_reference,
    run_turbo,
    target_sizes,
    validate_documents,
    validate_store,
)
from shapes.report import Report
from shapes.shapeset import load_shapes

#: One changed record of each kind that matters for a pull request.
RECORDS = ["products/fuelity/collection.json", "projects/fuelity/collection.json", "workflows/polaris/record.json",
           "experiments/esa-cci-permafrost/record.json", "variables/methane/catalog.json"]


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("catalog", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--incremental", type=int, default=21, help="runs per record for the incremental median")
    parser.add_argument("--skip-reference", action="store_true", help="skip the (slow) pySHACL baseline")
    args = parser.parse_args()

    settings = Settings(store=":memory:")
    store = OxigraphStore()
    ingest(store, args.catalog, settings)
    shapes = load_shapes()
    shapes.compiled()
    data = export_data(store, shapes.predicates)
    rows: list[tuple[str, float]] = []

    full, validation = timed(lambda: validate_store(store), args.repeat)
    rows.append(("full report: export + validate (validate_store)", full))
    report_t, _ = timed(lambda: Report.build(store, validation).summary(), args.repeat)
    rows.append(("summary + FAIR scores (Report.build + summary)", report_t))
    sizes = target_sizes(store, shapes)
    turbo_t, findings = timed(lambda: run_turbo(data, shapes, sizes=sizes), args.repeat)
    rows.append((f"raw pyshacl-turbo run on the exported graph ({available_cores()} threads)", turbo_t))
    single_t, _ = timed(lambda: run_turbo(data, shapes, threads=1), args.repeat)
    rows.append(("raw pyshacl-turbo run on the exported graph (1 thread)", single_t))

    minter = minter_for(settings)
    per_record = {}
    for path in RECORDS:
        if (args.catalog / path).exists():
            median, _ = timed(lambda p=path: validate_documents(store, [minter.document(p)]), args.incremental)
            per_record[path] = median
    incremental = statistics.median(per_record.values())
    rows.append((f"incremental, one changed record (median over {len(per_record)} records × {args.incremental} runs)",
                 incremental))

    reference = None
    if not args.skip_reference:
        started = time.perf_counter()
        reference_findings = run_reference(data, shapes)
        reference = time.perf_counter() - started
        rows.append(("baseline: raw pySHACL run (rdflib) on the same graph", reference))
        assert [f.key for f in reference_findings] == [f.key for f in findings], "engines disagree"

    print(f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python "
          f"{platform.python_version()}. Data graph: {data.count(chr(10))} triples, {len(shapes.info)} shapes "
          f"({len(findings)} findings).\n")
    print("| what | seconds | × pySHACL baseline |\n|---|---:|---:|")
    for name, seconds in rows:
        ratio = f"{seconds / reference:.3f}" if reference else "—"
        print(f"| {name} | {seconds:.3f} | {ratio} |")
    print("\nincremental per record (s):", json.dumps({k: round(v, 4) for k, v in per_record.items()}))


if __name__ == "__main__":
    main()
