"""Named queries: listed with their parameters, run with parameters bound as RDF terms (never as query text)."""

from __future__ import annotations

import orjson
import pytest

from queries import ParameterError, load_queries, parse_query
from tests.conftest import BASE

EXPECTED = {"lineage", "derived_products", "products_by_theme", "products_by_variable", "products_by_mission",
            "workflows_by_project", "experiment", "records_failing_rule", "records_with_load_issues"}

pytest_plugins = ["tests.service_fixtures"]


def results(r) -> list[dict[str, str]]:
    assert r.status_code == 200, r.data
    return [{k: v["value"] for k, v in b.items()} for b in orjson.loads(r.data)["results"]["bindings"]]


def test_the_listing_names_each_query_and_its_parameters(client):
    listing = {q["name"]: q for q in orjson.loads(client.get("/api/queries").data)["queries"]}
    assert EXPECTED <= set(listing)
    theme = listing["products_by_theme"]
    assert theme["form"] == "SELECT" and theme["title"] == "Products by theme"
    assert theme["parameters"] == [{"name": "theme", "type": "iri", "folder": "themes",
                                    "description": "the theme, as an IRI or an id under {base}themes/"}]
    assert theme["links"]["run"] == "http://localhost/api/queries/products_by_theme"


@pytest.mark.parametrize("theme", ["cryosphere", BASE + "themes/cryosphere"])
def test_a_parameter_is_an_id_or_a_full_iri(client, theme):
    rows = results(client.get("/api/queries/products_by_theme", query_string={"theme": theme}))
    assert {r["product"] for r in rows} == {BASE + f"products/{p}" for p in (
        "alpine-glacier-elevation-change", "antarctic-ice-sheet-elevation", "arctic-sea-ice-classification",
        "arctic-sar-mosaics")}


@pytest.mark.parametrize("name, params, expected", [
    ("products_by_variable", {"variable": "land-surface-temperature"}, {"lagos-lst-downscaled"}),
    ("products_by_mission", {"mission": "sentinel-1"}, {"arctic-sar-mosaics", "arctic-sea-ice-classification",
                                                        "arctic-ice-edge-lines"}),
    ("products_by_project", {"project": "urban-heat-lst"}, {"lagos-lst-downscaled"}),
])
def test_products_by(client, name, params, expected):
    rows = results(client.get(f"/api/queries/{name}", query_string=params))
    assert {r["product"].rsplit("/", 1)[1] for r in rows} >= expected


def test_workflows_by_project(client):
    rows = results(client.get("/api/queries/workflows_by_project", query_string={"project": "polar-ice-monitoring"}))
    assert {r["workflow"].rsplit("/", 1)[1] for r in rows} == {"sea-ice-classification", "ice-edge-extraction"}


def test_records_failing_a_rule_is_empty_without_stored_reports(client):
    assert results(client.get("/api/queries/records_failing_rule",
                              query_string={"shape": "https://w3id.org/earthcode/shapes#ProductShape"})) == []


def test_records_with_load_issues_name_the_file_and_the_message(client):
    r = client.get("/api/queries/records_with_load_issues")
    assert r.status_code == 200, r.data[:300]
    assert all(row["path"] and row["message"] for row in results(r))


def test_results_negotiate_like_sparql(client):
    r = client.get("/api/queries/workflows_by_project?project=polar-ice-monitoring&format=csv")
    assert r.mimetype == "text/csv" and r.data.startswith(b"workflow,title")


def test_construct_queries_answer_rdf(client):
    r = client.get("/api/queries/describe", query_string={"entity": BASE + "products/arctic-sar-mosaics"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.mimetype == "application/n-triples"
    assert f"<{BASE}products/arctic-sar-mosaics>".encode() in r.data


@pytest.mark.parametrize("params, message", [
    ({}, "missing parameter"),
    ({"theme": "cryosphere", "them": "x"}, "unknown parameter"),
])
def test_missing_or_unknown_parameters_are_400(client, params, message):
    r = client.get("/api/queries/products_by_theme", query_string=params)
    assert r.status_code == 400 and message in orjson.loads(r.data)["error"]["message"]


def test_unknown_query_is_404(client):
    assert client.get("/api/queries/nope").status_code == 404


@pytest.mark.parametrize("hostile", [
    'cryosphere> } ?product ?p ?o . { ?product ?p ?o',
    "x\" } UNION { ?product ?p ?title } #",
    "> . } DELETE WHERE { ?s ?p ?o } #",
])
def test_hostile_values_are_terms_not_query_text(client, hostile):
    """An id with SPARQL syntax in it is percent-encoded into one IRI (or refused): it never changes the query."""
    r = client.get("/api/queries/products_by_theme", query_string={"theme": hostile})
    assert r.status_code in (200, 400)
    if r.status_code == 200:
        assert results(r) == []
    assert len(results(client.get("/api/queries/products_by_theme", query_string={"theme": "cryosphere"}))) == 4


def test_string_and_integer_parameters_are_typed_literals():
    q = parse_query("t", "# param: name (string) — a name\n# param: n (integer) — a number\nSELECT * WHERE { }")
    terms = q.bindings({"name": 'a" } x', "n": "42"}, BASE)
    assert terms["name"].value == 'a" } x'
    assert terms["n"].datatype.value.endswith("#integer") and terms["n"].value == "42"
    with pytest.raises(ParameterError):
        q.bindings({"name": "a", "n": "4 2"}, BASE)


def test_every_query_file_parses_and_declares_what_it_binds():
    for query in load_queries().values():
        for p in query.parameters:
            assert f"?{p.name}" in query.text, (query.name, p.name)
