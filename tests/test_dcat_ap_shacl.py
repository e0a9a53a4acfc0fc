"""The /catalog output passes the official DCAT-AP 3.0.1 SHACL shapes (no sh:Violation), on the demo catalogue and on
the first page of the real one."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from tests.conftest import needs_real_catalog

pyshacl = pytest.importorskip("pyshacl")
SHAPES_DIR = Path(__file__).parent.parent.parent / "shared" / "conformance" / "dcat-ap-3.0.1" / "releases" / "3.0.1" / "shacl"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
needs_shapes = pytest.mark.skipif(not (SHAPES_DIR / "dcat-ap-SHACL.ttl").is_file(),
                                  reason=f"the DCAT-AP 3.0.1 shapes are not beside the repository ({SHAPES_DIR})")

pytest_plugins = ["tests.service_fixtures"]


def violations(turtle: bytes) -> list[str]:
    """Results of severity Violation against ``dcat-ap-SHACL.ttl``. (The release's ``ranges.ttl`` is not validated:
    it references property shapes it does not define, and pyshacl refuses to load it, alone or merged.)"""
    data = rdflib.Graph().parse(data=turtle, format="turtle")
    shacl = rdflib.Graph().parse(SHAPES_DIR / "dcat-ap-SHACL.ttl", format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shacl, inference="none")
    return [f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: {report.value(r, SH.resultMessage)}"
            for r in report.subjects(SH.resultSeverity, SH.Violation)]


@needs_shapes
def test_demo_catalogue_has_no_dcat_ap_violations(client):
    assert violations(client.get("/catalog?format=ttl").data) == []


@needs_shapes
@needs_real_catalog
def test_real_catalogue_page_has_no_dcat_ap_violations(real_client):
    assert violations(real_client.get("/catalog?format=ttl").data) == []
