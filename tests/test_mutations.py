"""Mutation tests: copies of the demo catalog with one controlled defect each.

For every mutation the rule meant to catch it must report it on the expected record, the unmutated catalog must be
clean for that rule on that record, and the incremental report (changed files only) must agree with the full one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from shapes_fixtures import (
    LoadedCatalog,
    Mutate,
    add_link,
    both,
    change_link,
    copy_file,
    delete,
    drop_links,
    edit,
    remover,
    setter,
    write,
)

from earthcode_kg.ingest import DEMO_CATALOG

BASE = "https://example.org/kg/"
P1 = "products/arctic-sea-ice-classification/collection.json"  # osc:experiment, sci:doi, 2 variables
P2 = "products/arctic-sar-mosaics/collection.json"
P3 = "products/arctic-ice-edge-lines/collection.json"
PA = "products/alpine-glacier-elevation-change/collection.json"  # items
IT = "products/alpine-glacier-elevation-change/aletsch-dh-2019.json"
PJ = "projects/polar-ice-monitoring/collection.json"  # osc:workflows
WF = "workflows/sea-ice-classification/record.json"
EX = "experiments/sea-ice-classification-2024/record.json"  # input.yaml, environment.yaml
EL = "experiments/lst-downscaling-lagos/record.json"  # the only side stating lagos-lst-downscaled's lineage
TH = "themes/cryosphere/catalog.json"
TO = "themes/oceans/catalog.json"
VA = "variables/sea-ice-concentration/catalog.json"
MI = "eo-missions/sentinel-1/catalog.json"
ROOT = "catalog.json"
PC = "products/catalog.json"
WC = "workflows/catalog.json"
SELF = "https://esa-earthcode.github.io/open-science-catalog-metadata/"


@dataclass(frozen=True)
class Mutation:
    id: str
    rule: str  # the rule id expected to report it
    file: str  # the catalog file of the record it must be reported on
    mutate: Mutate
    also: list[str] = field(default_factory=list)  # further files to validate incrementally (e.g. when one is deleted)


def _dup_keyword(doc: dict) -> None:
    doc["keywords"].append(doc["keywords"][0])


def _dup_variable(doc: dict) -> None:
    doc["osc:variables"].append(doc["osc:variables"][0])


def _first_box(path: str, value: list) -> Mutate:
    return edit(path, lambda doc: doc["extent"]["spatial"].__setitem__("bbox", [value]))


MUTATIONS = [
    # --- osc-rules: the official validator's rules ---------------------------------------------------------------
    Mutation("product-title-removed", "V-GEN-02", P1, edit(P1, remover("title"))),
    Mutation("project-description-empty", "V-SCH-04", PJ, edit(PJ, setter("description", ""))),
    Mutation("product-osc-type-removed", "V-PRD-03", P1, edit(P1, remover("osc:type"))),
    Mutation("product-osc-type-wrong", "V-PRD-03", P1, edit(P1, setter("osc:type", "project"))),
    Mutation("product-status-unknown", "V-EXT-02", P2, edit(P2, setter("osc:status", "finished"))),
    Mutation("product-project-removed", "V-PRD-04", P2, edit(P2, remover("osc:project"))),
    Mutation("product-project-unknown", "V-PRD-04", P2, edit(P2, setter("osc:project", "no-such-project"))),
    Mutation("product-project-link-title", "V-PRD-04", P1,
             edit(P1, change_link("related", "/projects/", title="Project: Something Else"))),
    Mutation("product-project-link-untyped", "V-PRD-04", P1, edit(P1, change_link("related", "/projects/", type=None))),
    Mutation("product-variable-unknown", "V-PRD-05", P1,
             edit(P1, lambda d: d["osc:variables"].append("no-such-variable"))),
    Mutation("product-variable-link-removed", "V-PRD-05", P1, edit(P1, drop_links("related", "sea-ice-extent"))),
    Mutation("product-mission-unknown", "V-PRD-06", P1, edit(P1, setter("osc:missions", ["no-such-mission"]))),
    Mutation("product-mission-link-removed", "V-PRD-06", P1, edit(P1, drop_links("related", "/eo-missions/"))),
    Mutation("product-experiment-unknown", "V-PRD-07", P1, edit(P1, setter("osc:experiment", "no-such-experiment"))),
    Mutation("product-experiment-link-removed", "V-PRD-07", P1, edit(P1, drop_links("related", "/experiments/"))),
    Mutation("product-id-not-folder", "V-GEN-04", P2, edit(P2, setter("id", "arctic-sar-mosaic"))),
    Mutation("workflow-id-not-folder", "V-GEN-04", WF, edit(WF, setter("id", "sea-ice"))),
    Mutation("variable-stac-version", "V-GEN-01", VA, edit(VA, setter("stac_version", "0.9.0"))),
    Mutation("product-stac-type-unknown", "V-BASE-03", P2, edit(P2, setter("type", "Dataset"))),
    Mutation("product-as-catalog", "V-PRD-01", P2, edit(P2, setter("type", "Catalog"))),
    Mutation("product-osc-extension-removed", "V-EXT-01", P2,
             edit(P2, lambda d: d.__setitem__("stac_extensions", [e for e in d["stac_extensions"] if "/osc/" not in e]))),
    Mutation("product-themes-extension-removed", "V-THEMES-01", P2,
             edit(P2, lambda d: d.__setitem__("stac_extensions", [e for e in d["stac_extensions"] if "/themes/" not in e]))),
    Mutation("product-themes-empty", "V-THEMES-01", P2, edit(P2, setter("themes", []))),
    Mutation("product-theme-unknown", "V-THEMES-01", P1,
             edit(P1, lambda d: d["themes"][0]["concepts"].append({"id": "ocean"}))),
    Mutation("product-theme-link-removed", "V-THEMES-01", P1, edit(P1, drop_links("related", "/themes/"))),
    Mutation("theme-entry-without-scheme", "V-EXT-06", P1, edit(P1, lambda d: d["themes"][0].pop("scheme"))),
    Mutation("product-parent-removed", "V-GEN-05", P2, edit(P2, drop_links("parent"))),
    Mutation("product-parent-wrong", "V-GEN-05", P2, edit(P2, change_link("parent", "", href="../../catalog.json"))),
    Mutation("variable-root-removed", "V-GEN-06", VA, edit(VA, drop_links("root"))),
    Mutation("variable-root-wrong", "V-GEN-06", VA, edit(VA, change_link("root", "", href="../catalog.json"))),
    Mutation("mission-parent-title-wrong", "V-GEN-05", MI, edit(MI, change_link("parent", "", title="Missions"))),
    Mutation("product-self-prefix", "V-GEN-07", P2,
             edit(P2, change_link("self", "", href="https://example.com/products/arctic-sar-mosaics/collection.json"))),
    Mutation("product-related-absolute", "V-GEN-08", P2,
             edit(P2, change_link("related", "/projects/", href=SELF + "projects/polar-ice-monitoring/collection.json"))),
    Mutation("mission-via-removed", "V-GEN-09", MI, edit(MI, drop_links("via"))),
    Mutation("project-child-dangling", "V-GEN-10", PJ,
             edit(PJ, add_link(rel="child", href="../../products/no-such-product/collection.json",
                               type="application/json", title="No such product"))),
    Mutation("workflow-child-not-experiment", "V-GEN-10", WF,
             edit(WF, add_link(rel="child", href="../../products/arctic-sar-mosaics/collection.json",
                               type="application/json", title="Arctic Sentinel-1 SAR Mosaics"))),
    Mutation("root-id", "V-ROOT-01", ROOT, edit(ROOT, setter("id", "root"))),
    Mutation("root-title", "V-ROOT-01", ROOT, edit(ROOT, setter("title", "OSC"))),
    Mutation("root-has-parent", "V-ROOT-02", ROOT,
             edit(ROOT, add_link(rel="parent", href="./catalog.json", type="application/json"))),
    Mutation("root-missing-child", "V-ROOT-03", ROOT, edit(ROOT, drop_links("child", "workflows"))),
    Mutation("type-catalog-missing-member", "V-SUB-02", PC, edit(PC, drop_links("child", "arctic-sar-mosaics"))),
    Mutation("type-catalog-unexpected-rel", "V-SCH-03", WC,
             edit(WC, add_link(rel="via", href="https://example.org/", type="text/html"))),
    Mutation("project-no-technical-officer", "V-PRJ-03", PJ,
             edit(PJ, lambda d: [c.__setitem__("roles", ["consortium_member"]) for c in d["contacts"]])),
    Mutation("project-osc-type-removed", "V-PRJ-04", PJ, edit(PJ, remover("osc:type"))),
    Mutation("project-workflow-unknown", "V-PRJ-05", PJ, edit(PJ, lambda d: d["osc:workflows"].append("no-such-workflow"))),
    Mutation("project-contacts-extension-removed", "V-PRJ-01", PJ,
             edit(PJ, lambda d: d.__setitem__("stac_extensions", [e for e in d["stac_extensions"] if "/contacts/" not in e]))),
    Mutation("project-region-field", "V-EXT-05", PJ, edit(PJ, setter("osc:region", "Arctic"))),
    Mutation("theme-preview-png", "V-THM-02", TH, edit(TH, change_link("preview", "", type="image/png"))),
    Mutation("workflow-conformance-removed", "V-REC-02", WF, edit(WF, setter("conformsTo", []))),
    Mutation("workflow-project-removed", "V-SCH-19", WF, edit(WF, remover("properties.osc:project"))),
    Mutation("workflow-project-unknown", "V-WF-02", WF, edit(WF, setter("properties.osc:project", "no-such-project"))),
    Mutation("experiment-workflow-removed", "V-SCH-21", EX, edit(EX, remover("properties.osc:workflow"))),
    Mutation("experiment-no-input-link", "V-EXP-03", EX, edit(EX, drop_links("input"))),
    Mutation("experiment-no-environment-link", "V-EXP-03", EX, edit(EX, drop_links("environment"))),
    Mutation("product-licence-unknown", "V-SCH-06", P1, edit(P1, setter("license", "my-own-licence"))),
    Mutation("product-licence-removed", "V-SCH-04", P1, edit(P1, remover("license"))),
    Mutation("product-keyword-repeated", "V-SCH-05", P1, edit(P1, _dup_keyword)),
    Mutation("product-keyword-empty", "V-SCH-05", P1, edit(P1, lambda d: d["keywords"].append(""))),
    Mutation("product-variable-repeated", "V-SCH-10", P1, edit(P1, _dup_variable)),
    Mutation("product-updated-without-zone", "V-SCH-09", P1, edit(P1, setter("updated", "2025-02-25T14:00:00"))),
    Mutation("product-interval-without-zone", "V-SCH-07", P1,
             edit(P1, lambda d: d["extent"]["temporal"].__setitem__("interval", [["2024-01-01T00:00:00", None]]))),
    Mutation("product-invalid-json", "V-BASE-01", P2, write(P2, b'{"type": "Collection", "id": ')),
    Mutation("product-keywords-object", "V-BASE-04", P2, edit(P2, setter("keywords", {"a": 1}))),
    Mutation("product-bbox-three-numbers", "V-SCH-07", P2, _first_box(P2, [-180, 60, 180])),
    Mutation("product-osc-name-field", "V-EXT-05", P2, edit(P2, setter("osc:name", "SAR mosaics"))),
    Mutation("product-region-empty", "V-EXT-03", P1, edit(P1, setter("osc:region", ""))),
    Mutation("link-without-href", "V-SCH-02", P2, edit(P2, add_link(rel="via", type="text/html"))),
    Mutation("json-file-misplaced", "V-GEN-03", "products/notes.json", write("products/notes.json", b"{}")),
    Mutation("experiment-related-html", "V-SCH-22", EX, edit(EX, change_link("related", "/workflows/", type="text/html"))),
    Mutation("workflow-record-type", "V-SCH-17", WF, edit(WF, setter("properties.type", "notebook"))),
    Mutation("product-via-typed-png", "V-SCH-13", P2, edit(P2, change_link("via", "", type="image/png"))),
    Mutation("contact-without-name", "V-EXT-07", PJ, edit(PJ, lambda d: d["contacts"][0].pop("name"))),
    # --- integrity: cross-file defects ------------------------------------------------------------------------------
    Mutation("dangling-theme-link", "INT-01", P2,
             edit(P2, change_link("related", "/themes/", href="../../themes/cryosphere/cryosphere/catalog.json"))),
    Mutation("dangling-after-delete", "INT-01", P1, delete("variables/sea-ice-extent/catalog.json"), also=[P1]),
    Mutation("stale-self", "INT-02", P2, edit(P2, change_link("self", "", href=SELF + "products/arctic-ice-edge-lines/collection.json"))),
    Mutation("experiment-input-yaml-deleted", "INT-08", EX, delete("experiments/sea-ice-classification-2024/input.yaml"),
             also=[EX]),
    Mutation("experiment-environment-yaml-emptied", "INT-08", EX,
             write("experiments/sea-ice-classification-2024/environment.yaml", b""), also=[EX]),
    Mutation("project-child-removed", "INT-05", P2, edit(PJ, drop_links("child", "arctic-sar-mosaics")), also=[P2]),
    Mutation("variable-child-removed", "INT-05", P1, edit(VA, drop_links("child", "arctic-sea-ice-classification")),
             also=[P1]),
    Mutation("theme-child-foreign-product", "INT-06", TO,
             edit(TO, add_link(rel="child", href="../../products/alpine-glacier-elevation-change/collection.json",
                               type="application/json", title="Alpine Glacier Elevation Change"))),
    Mutation("workflow-child-experiment-removed", "INT-05", EX, edit(WF, drop_links("child")), also=[EX]),
    Mutation("experiment-output-link-removed", "INT-07", P1, edit(EX, drop_links("child")), also=[P1]),
    Mutation("duplicated-link", "INT-10", P2,
             edit(P2, lambda d: d["links"].append(next(l for l in d["links"] if l["rel"] == "via")))),
    Mutation("id-reused-across-types", "INT-09", MI,
             copy_file(WF, "workflows/sentinel-1/record.json", both(setter("id", "sentinel-1"))), also=[MI]),
    Mutation("experiment-product-unknown", "INT-03", EX, edit(EX, setter("properties.osc:product", "no-such-product"))),
    Mutation("item-collection-foreign", "INT-11", IT, edit(IT, setter("collection", "arctic-sar-mosaics"))),
    Mutation("item-not-listed", "INT-11", IT, edit(PA, drop_links("item", "aletsch-dh-2019")), also=[IT]),
    Mutation("workflow-theme-unknown", "INT-04", WF, edit(WF, lambda d: d["properties"]["themes"][0]["concepts"].append({"id": "ocean"}))),
    # --- fair: FAIR completeness ----------------------------------------------------------------------------------------
    Mutation("product-doi-removed", "FAIR-F1-PID", P1, edit(P1, remover("sci:doi"))),
    Mutation("product-description-short", "FAIR-F2-DESCRIPTION", P1, edit(P1, setter("description", "Sea ice types."))),
    Mutation("product-keywords-removed", "FAIR-F2-KEYWORDS", P1, edit(P1, remover("keywords"))),
    Mutation("workflow-licence-proprietary", "FAIR-R1.1-OPEN-LICENSE", WF, edit(WF, setter("properties.license", "proprietary"))),
    Mutation("workflow-licence-removed", "FAIR-R1.1-LICENSE", WF, edit(WF, remover("properties.license"))),
    Mutation("product-interval-reversed", "FAIR-R1-TEMPORAL-ORDER", P1,
             edit(P1, lambda d: d["extent"]["temporal"].__setitem__("interval", [["2024-12-31T00:00:00Z", "2024-01-01T00:00:00Z"]]))),
    Mutation("product-interval-open-start", "FAIR-R1-TEMPORAL", P1,
             edit(P1, lambda d: d["extent"]["temporal"].__setitem__("interval", [[None, "2024-01-01T00:00:00Z"]]))),
    Mutation("product-bbox-latitude-out-of-range", "FAIR-R1-SPATIAL", P1, _first_box(P1, [-180, 60, 180, 95])),
    Mutation("product-bbox-south-above-north", "FAIR-R1-SPATIAL", P1, _first_box(P1, [-10, 80, 10, 60])),
    Mutation("product-bbox-global-placeholder", "FAIR-R1-SPATIAL-PLACEHOLDER", P1, _first_box(P1, [-180, -90, 180, 90])),
    Mutation("workflow-code-links-removed", "FAIR-R1.2-SOURCE", WF,
             edit(WF, both(drop_links("git"), drop_links("application")))),
    Mutation("experiment-input-yaml-emptied", "FAIR-R1.2-INPUTS", EX,
             write("experiments/sea-ice-classification-2024/input.yaml", b""), also=[EX]),
    Mutation("experiment-workflow-unknown", "FAIR-R1.2-WORKFLOW", EX, edit(EX, setter("properties.osc:workflow", "nope"))),
    Mutation("experiment-no-output", "FAIR-R1.2-OUTPUT", EL,
             edit(EL, both(drop_links("related", "/products/"), remover("properties.osc:product")))),
    Mutation("product-access-removed", "FAIR-A1-ACCESS", P2, edit(P2, drop_links("via"))),
    Mutation("product-via-bare-host", "FAIR-A1.1-PROTOCOL", P2,
             edit(P2, change_link("via", "", href="www.example.org/sar-mosaics"))),
    Mutation("experiment-contacts-removed", "FAIR-R1-CONTACT", EX, edit(EX, remover("properties.contacts"))),
    Mutation("product-variables-removed", "FAIR-I2-VARIABLES", P1,
             edit(P1, both(setter("osc:variables", []), drop_links("related", "/variables/")))),
]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory) -> LoadedCatalog:
    loaded = LoadedCatalog.copy_of(DEMO_CATALOG, tmp_path_factory.mktemp("mutations") / "catalog", BASE)
    loaded.base_findings = loaded.files_of(loaded.full().findings)
    return loaded


def test_there_are_at_least_sixty_mutations_with_distinct_ids() -> None:
    assert len(MUTATIONS) >= 60
    assert len({m.id for m in MUTATIONS}) == len(MUTATIONS)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.id)
def test_mutation_is_reported_by_its_rule(catalog: LoadedCatalog, mutation: Mutation) -> None:
    def hits(pairs):
        return [f for file, f in pairs if file == mutation.file and mutation.rule in (f.rule, *f.rule_ids)]

    assert not hits(catalog.base_findings), f"the unmutated catalog already fires {mutation.rule} on {mutation.file}"
    incremental, full, files = catalog.mutated(mutation.mutate, also=[mutation.file, *mutation.also])
    assert hits((files[f.focus], f) for f in full.findings), (
        f"{mutation.rule} did not fire on {mutation.file}; findings: "
        f"{[(f.rule, files[f.focus], f.message) for f in full.findings if f.group != 'fair']}")
    assert hits((files[f.focus], f) for f in incremental.findings), "the incremental report misses it"
    # the incremental run reports exactly what the full run reports for the same focus nodes
    expected = sorted(f.key for f in full.findings if f.focus in incremental.focus)
    assert sorted(f.key for f in incremental.findings) == expected
