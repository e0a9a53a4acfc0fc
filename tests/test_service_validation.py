"""The validation views: the summary, one record's findings and FAIR score, and the report as HTML and RDF."""

from __future__ import annotations

from tests.http_helpers import get_json

pytest_plugins = ["tests.service_fixtures"]


def test_the_summary_counts_findings_and_scores(client):
    data = get_json(client, "/api/validation")
    assert set(data["counts"]) >= {"total", "by_severity", "by_rule", "by_entity_type", "by_group"}
    assert data["fair"]["records"] > 0 and 0 <= data["fair"]["mean_score"] <= 100
    assert "findings" not in data and data["links"]["html"].endswith("/validation")


def test_the_full_summary_lists_every_finding(client):
    data = get_json(client, "/api/validation?detail=full")
    assert len(data["findings"]) == data["counts"]["total"]


def test_one_records_findings_and_fair_score(client):
    data = get_json(client, "/api/validation/products/arctic-sea-ice-classification")
    assert data["record"]["id"] == "arctic-sea-ice-classification"
    assert set(data["fair"]) >= {"score", "F", "A", "I", "R", "failed"}
    assert all(f["record"].endswith("/products/arctic-sea-ice-classification") for f in data["findings"])


def test_a_record_with_findings_names_rule_message_and_file(client):
    full = get_json(client, "/api/validation?detail=full")
    finding = next(f for f in full["findings"] if f["type"] == "product")
    folder, id_ = finding["file"].split("/")[:2]
    data = get_json(client, f"/api/validation/{folder}/{id_}")
    assert any(f["rule"] == finding["rule"] and f["message"] for f in data["findings"])


def test_unknown_records_and_types_get_json_404(client):
    assert get_json(client, "/api/validation/products/no-such-product", 404)["error"]
    assert get_json(client, "/api/validation/widgets/x", 404)["error"]


def test_the_html_report_for_a_browser(client):
    r = client.get("/validation", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert b"FAIR" in r.data


def test_the_w3c_report_in_turtle(client):
    r = client.get("/validation?format=ttl")
    assert r.mimetype == "text/turtle" and b"ValidationReport" in r.data


def test_the_validation_responses_have_the_documented_fields(client):
    spec = get_json(client, "/openapi.json")
    summary = spec["components"]["schemas"]["ValidationSummary"]["required"]
    assert set(summary) <= set(get_json(client, "/api/validation"))
    record = spec["components"]["schemas"]["RecordValidation"]["required"]
    assert set(record) <= set(get_json(client, "/api/validation/products/arctic-sar-mosaics"))
