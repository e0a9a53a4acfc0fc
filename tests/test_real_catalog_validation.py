"""On the real catalog (every file passes the official validator): the osc-rules group reports exactly the defects
the validator's known gaps let through, and integrity finds the cross-file defects the field guide describes."""

from __future__ import annotations

import pytest
from conftest import needs_real_catalog

from shapes.engine import validate_documents, validate_store
from shapes.report import Report

pytestmark = needs_real_catalog

#: V-GEN-08 stops at the first relative-rule link: later absolute `related` links (workflow web/openEO pages) pass.
ABSOLUTE_RELATED = {
    "products/earthcare-marine-stratocumulus-transitions/collection.json": 1,
    "workflows/delta-nbr-workflow-example/record.json": 1,
    "workflows/downscaling-land-surface-temperature-over-kinshasa/record.json": 1,
    "workflows/esa-cci-permafrost/record.json": 1,
    "workflows/esa-world-cereal-extent-workflow/record.json": 2,
    "workflows/land-biosphere-society/record.json": 1,
    "workflows/mesoscale-structure/record.json": 1,
    "workflows/pca-on-ocean-data-cube/record.json": 1,
    "workflows/polaris/record.json": 1,
    "workflows/polarwarp/record.json": 1,
    "workflows/sss-cci-global-anomalies/record.json": 1,
}
#: V-PRD-04…06 and V-THEMES-01 match hrefs by suffix: fuelity's `../variables/…` (one `../` too few) passes.
FUELITY_VARIABLES = {"dead-foliage", "dead-foliage-fuel-moisture-content", "dead-wood", "dead-wood-fuel-moisture-content",
                     "high-live-fuel-moisture-content", "live-fuel-moisture-content", "live-leaf", "live-wood",
                     "low-live-fuel-moisture-content"}


@pytest.fixture(scope="module")
def report(real_store) -> Report:
    return Report.build(real_store, validate_store(real_store))


def _findings(report: Report, group: str) -> list[tuple[str, str, str]]:
    return [(f.rule, r.file, f.value or "") for r, f in report.findings if f.group == group]


def test_osc_rules_report_only_what_the_validator_gaps_let_through(report) -> None:
    found = _findings(report, "osc-rules")
    gen08: dict[str, int] = {}
    for rule, file, _ in found:
        if rule == "V-GEN-08":
            gen08[file] = gen08.get(file, 0) + 1
    assert gen08 == ABSOLUTE_RELATED
    rest = sorted((rule, file, value.rsplit("/", 1)[-1]) for rule, file, value in found if rule != "V-GEN-08")
    assert rest == sorted(
        [("V-PRD-05", "products/fuelity/collection.json", v) for v in FUELITY_VARIABLES]
        + [("V-PRD-06", "products/fuelity/collection.json", "amsr2"),
           ("V-THEMES-01", "products/fuelity/collection.json", "land"),
           ("V-THEMES-01", "projects/fuelity/collection.json", "land")])


def test_integrity_finds_the_field_guides_cross_file_defects(report) -> None:
    found = _findings(report, "integrity")
    by_rule = lambda rule: [(file, value) for r, file, value in found if r == rule]
    # experiment files referenced but absent (permafrost, sss) or empty (world-cereal)
    assert sorted(by_rule("INT-08")) == sorted(
        (f"experiments/{e}/record.json", f"./{n}.yaml")
        for e in ("esa-cci-permafrost", "sss-cci-global-anomalies", "esa-world-cereal-extent-experiment")
        for n in ("input", "environment"))
    assert by_rule("INT-04") == [("workflows/pca-on-ocean-data-cube/record.json", by_rule("INT-04")[0][1])]
    assert by_rule("INT-04")[0][1].endswith("/themes/ocean")
    assert {v for _, v in by_rule("INT-09")} == {
        "polaris", "polarwarp", "esa-cci-permafrost", "sss-cci-global-anomalies",
        "downscaling-land-surface-temperature-over-kinshasa", "fairsendd", "fuelity", "methane"}
    assert len({f for f, _ in by_rule("INT-10")}) == 69
    dangling = by_rule("INT-01")
    assert ("products/fuelity/collection.json", "../themes/land/catalog.json") in dangling
    assert len(dangling) >= 20
    stale_self = dict(by_rule("INT-02"))
    assert stale_self["products/hydrology-4D/collection.json"].endswith("/products/deepesdl/collection.json")
    # lineage stated only from the experiment side (field guide §3)
    assert {f for f, _ in by_rule("INT-07")} == {"experiments/esa-world-cereal-extent-experiment/record.json",
                                                 "experiments/lightning2earthcare-experiment/record.json"}
    assert len(by_rule("INT-05")) > 50  # missing reverse child links


def test_every_finding_names_a_file_and_fair_scores_cover_every_record(report) -> None:
    assert all(r.file for r, _ in report.findings)
    summary = report.summary()
    assert summary["fair"]["records"] == 351 + 208 + 17 + 9
    assert summary["counts"]["by_severity"]["Violation"] > 0


def test_incremental_report_for_one_record_equals_the_full_run(report, real_store) -> None:
    full = report.validation.findings
    for path in ("products/fuelity/collection.json", "workflows/polaris/record.json",
                 "experiments/esa-cci-permafrost/record.json", "themes/land/catalog.json"):
        run = validate_documents(real_store, [f"https://example.org/kg/{path}"])
        assert sorted(f.key for f in run.findings) == sorted(f.key for f in full if f.focus in run.focus), path


def test_a_full_report_built_in_document_batches_equals_one_run(report, real_store) -> None:
    """How a store too large for one run is validated (validate_store's batches): same findings, none lost."""
    batched = validate_store(real_store, batch=400)
    assert batched.seconds["batches"] == 6
    assert [f.key for f in batched.findings] == [f.key for f in report.validation.findings]
