"""Reloading a catalog rewrites only what changed: one file's graph, or the graphs of deleted files."""

import json

from earthcode_kg.ingest import ingest
from tests.conftest import BASE
from tests.rdf_helpers import values

PRODUCT = "products/arctic-sar-mosaics/collection.json"


def test_reloading_an_unchanged_catalog_writes_nothing(store, settings, catalog_copy):
    ingest(store, catalog_copy, settings)
    before = store.triple_count()
    again = ingest(store, catalog_copy, settings)
    assert (again.loaded, again.deleted, again.unchanged) == (0, 0, sum(again.files_by_kind.values()))
    assert store.triple_count() == before


def test_a_changed_file_replaces_exactly_its_graph(store, settings, catalog_copy):
    ingest(store, catalog_copy, settings)
    path = catalog_copy / PRODUCT
    doc = json.loads(path.read_text())
    doc["title"] = "Renamed mosaics"
    path.write_text(json.dumps(doc))
    summary = ingest(store, catalog_copy, settings)
    assert summary.loaded == 1
    assert values(store, "SELECT ?t WHERE { ?p dct:title ?t }", p=BASE + "products/arctic-sar-mosaics") == {"Renamed mosaics"}


def test_a_deleted_file_takes_its_graph_with_it(store, settings, catalog_copy):
    ingest(store, catalog_copy, settings)
    (catalog_copy / PRODUCT).unlink()
    summary = ingest(store, catalog_copy, settings)
    assert summary.deleted == 1
    assert not values(store, "SELECT ?t WHERE { ?p a ?t }", p=BASE + "products/arctic-sar-mosaics")
    assert BASE + PRODUCT not in store.graphs()


def test_edges_from_other_files_survive_the_reload_of_their_target(store, settings, catalog_copy):
    ingest(store, catalog_copy, settings)
    path = catalog_copy / PRODUCT
    path.write_text(path.read_text().replace('"title"', '"title" ', 1))  # same content, new bytes
    ingest(store, catalog_copy, settings)
    assert values(store, "SELECT ?e WHERE { ?e prov:used ?p }", p=BASE + "products/arctic-sar-mosaics")


def test_a_file_that_breaks_on_reload_keeps_its_document_with_the_error(store, settings, catalog_copy):
    ingest(store, catalog_copy, settings)
    (catalog_copy / PRODUCT).write_text("{ not json")
    summary = ingest(store, catalog_copy, settings)
    assert [i.path for i in summary.errors] == [PRODUCT]
    assert values(store, f"SELECT ?e WHERE {{ ?d ec:path '{PRODUCT}' ; ec:loadError ?e }}")
