"""`earthcode-kg validate`: formats, exit status, stored report, and the pull-request workflow."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from earthcode_kg.cli import main
from earthcode_kg.ingest import DEMO_CATALOG

BASE = "https://example.org/kg/"


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args, "--base-iri", BASE], catch_exceptions=False)


def test_demo_catalog_passes_the_default_gate_and_prints_one_line_per_finding() -> None:
    result = run(str(DEMO_CATALOG))
    assert result.exit_code == 0, result.output
    assert "INT-07" in result.output and "findings (0 violations" in result.output


def test_fail_on_warning_fails_on_warnings_and_never_never_fails() -> None:
    assert run(str(DEMO_CATALOG), "--fail-on", "warning").exit_code == 1
    assert run(str(DEMO_CATALOG), "--fail-on", "never").exit_code == 0


def test_a_violation_fails_the_gate(catalog_copy) -> None:
    path = catalog_copy / "products/arctic-sar-mosaics/collection.json"
    doc = json.loads(path.read_text())
    doc["osc:status"] = "finished"
    path.write_text(json.dumps(doc))
    result = run(str(catalog_copy), "--shapes", "osc-rules")
    assert result.exit_code == 1
    assert "V-EXT-02" in result.output and "products/arctic-sar-mosaics/collection.json" in result.output


def test_usage_errors_exit_with_status_2(tmp_path) -> None:
    assert run().exit_code == 2
    assert run(str(DEMO_CATALOG), "--shapes", "style").exit_code == 2
    assert run(str(tmp_path / "missing")).exit_code == 2
    assert run(str(DEMO_CATALOG), "--changed", "products/nope/collection.json").exit_code == 2


def test_json_summary_counts_and_scores(tmp_path) -> None:
    out = tmp_path / "report.json"
    assert run(str(DEMO_CATALOG), "--format", "json", "-o", str(out)).exit_code == 0
    summary = json.loads(out.read_text())
    assert summary["counts"]["total"] == len(summary["findings"])
    assert set(summary["counts"]["by_severity"]) == {"Violation", "Warning", "Info"}
    products = [r for r in summary["records"] if r["type"] == "product"]
    assert len(products) == 6 and all(0 <= r["fair"]["score"] <= 100 for r in products)
    assert {p["project"].rsplit("/", 1)[-1] for p in summary["projects"]} == {
        "polar-ice-monitoring", "glacier-change-initiative", "urban-heat-lst"}


@pytest.mark.parametrize("fmt, rdf_format", [("ttl", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD)])
def test_w3c_report_formats_parse_as_a_validation_report(fmt, rdf_format) -> None:
    result = CliRunner().invoke(main, ["validate", str(DEMO_CATALOG), "--format", fmt, "--base-iri", BASE])
    triples = list(ox.parse(result.stdout_bytes, format=rdf_format))
    sh = "http://www.w3.org/ns/shacl#"
    assert any(t.object == ox.NamedNode(sh + "ValidationReport") for t in triples)
    assert sum(1 for t in triples if t.predicate == ox.NamedNode(sh + "result")) > 0


def test_html_report_lists_findings_worst_first() -> None:
    html = run(str(DEMO_CATALOG), "--format", "html").output
    assert html.startswith("<!doctype html>")
    assert html.index("Warning") < html.index("FAIR scores per record")


def test_pull_request_mode_reports_only_changed_files_and_stores_the_report(tmp_path) -> None:
    main_branch = tmp_path / "store"
    pr = shutil.copytree(DEMO_CATALOG, tmp_path / "pr")
    assert run(str(pr), "--store", str(main_branch)).exit_code == 0
    path = pr / "workflows/sea-ice-classification/record.json"
    doc = json.loads(path.read_text())
    doc["properties"]["osc:project"] = "no-such-project"
    path.write_text(json.dumps(doc))
    result = CliRunner().invoke(main, ["validate", str(pr), "--store", str(main_branch), "--base-iri", BASE,
                                       "--format", "json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["mode"] == "incremental"
    assert summary["files"] == ["workflows/sea-ice-classification/record.json"]
    assert {f["file"] for f in summary["findings"]} == {"workflows/sea-ice-classification/record.json"}
    assert any("V-WF-02" in f["rule_ids"] for f in summary["findings"])
    from earthcode_kg.store import OxigraphStore

    store = OxigraphStore(main_branch)
    try:
        rules = {r["rule"].value for r in store.select(
            f"SELECT ?rule WHERE {{ GRAPH <{BASE}validation/incremental> "
            "{ ?r <https://w3id.org/earthcode/shapes#rule> ?rule } }")}
    finally:
        store.close()
    assert rules & {"V-WF-02", "V-SCH-19"}
