"""How each kind of catalog file is described in RDF (on the bundled demo catalog)."""

import json

import pytest

from loaders.documents import map_document
from loaders.iris import Minter
from tests.conftest import BASE
from tests.rdf_helpers import ask, rows, values

P = BASE + "products/"


@pytest.mark.parametrize(
    "cls, expected",
    [
        ("ec:Catalog", 1), ("ec:TypeCatalog", 7), ("ec:Theme", 3), ("ec:Variable", 5), ("ec:EOMission", 3),
        ("ec:Project", 3), ("ec:Product", 6), ("ec:ProductItem", 2), ("ec:Workflow", 3), ("ec:Experiment", 3),
        ("ec:InputConfiguration", 2), ("ec:ExecutionEnvironment", 2),
    ],
)
def test_every_entity_type_is_typed_once_per_file(demo_store, cls, expected):
    assert len(values(demo_store, f"SELECT ?s WHERE {{ ?s a {cls} }}")) == expected


def test_every_file_is_a_source_document_in_its_own_named_graph(demo_store):
    docs = rows(demo_store, "SELECT ?g ?path WHERE { GRAPH ?g { ?g a ec:SourceDocument ; ec:path ?path } }")
    assert len(docs) > 40
    assert all(r["g"] == BASE + r["path"] for r in docs)


def test_a_document_names_the_entity_it_describes_and_its_public_url(demo_store):
    (r,) = rows(demo_store, """SELECT ?topic ?src WHERE { ?d ec:path "products/arctic-sar-mosaics/collection.json" ;
                                 foaf:primaryTopic ?topic ; dct:source ?src }""")
    assert r["topic"] == P + "arctic-sar-mosaics"
    assert r["src"].endswith("/products/arctic-sar-mosaics/collection.json")


def test_product_core_metadata(demo_store):
    (r,) = rows(demo_store, """SELECT ?id ?title ?lic ?status WHERE { ?p dct:identifier ?id ; dct:title ?title ;
                                 dct:license ?lic ; ec:status ?status }""", p=P + "arctic-sea-ice-classification")
    assert r["id"] == "arctic-sea-ice-classification"
    assert r["lic"].startswith("http://spdx.org/licenses/")


def test_product_cross_references_become_edges_to_entity_iris(demo_store):
    p = P + "arctic-sea-ice-classification"
    assert values(demo_store, "SELECT ?x WHERE { ?p ec:project ?x }", p=p) == {BASE + "projects/polar-ice-monitoring"}
    assert all(v.startswith(BASE + "variables/") for v in values(demo_store, "SELECT ?x WHERE { ?p ec:variable ?x }", p=p))
    assert all(v.startswith(BASE + "eo-missions/") for v in values(demo_store, "SELECT ?x WHERE { ?p ec:mission ?x }", p=p))
    assert all(v.startswith(BASE + "themes/") for v in values(demo_store, "SELECT ?x WHERE { ?p dcat:theme ?x }", p=p))


def test_themes_variables_and_missions_are_skos_concepts_in_their_schemes(demo_store):
    assert ask(demo_store, "ASK { ?t skos:inScheme ?s ; skos:topConceptOf ?s ; skos:prefLabel ?l }",
               t=BASE + "themes/cryosphere", s=BASE + "themes")
    assert ask(demo_store, "ASK { ?v skos:broader ?t }", v=BASE + "variables/sea-ice-concentration",
               t=BASE + "themes/cryosphere")
    assert ask(demo_store, "ASK { ?s a skos:ConceptScheme }", s=BASE + "eo-missions")


def test_every_link_is_kept_with_rel_href_type_title_and_target(demo_store):
    links = rows(demo_store, """SELECT ?rel ?href ?type ?title ?target WHERE { ?p ec:link ?l . ?l ec:rel ?rel ; ec:href ?href .
                 OPTIONAL { ?l ec:mediaType ?type } OPTIONAL { ?l dct:title ?title } OPTIONAL { ?l ec:target ?target } }""",
                 p=P + "arctic-sea-ice-classification")
    project = [r for r in links if r["href"].endswith("projects/polar-ice-monitoring/collection.json")]
    assert project and project[0]["rel"] == "related" and project[0]["title"].startswith("Project: ")
    assert project[0]["target"] == BASE + "projects/polar-ice-monitoring"
    assert {r["rel"] for r in links} >= {"root", "parent", "self", "via", "related"}


def test_hierarchy_links_become_part_of_edges(demo_store):
    assert ask(demo_store, "ASK { ?c dct:hasPart ?p . ?p dct:isPartOf ?c }", c=BASE + "products",
               p=P + "arctic-sar-mosaics")


def test_extent_becomes_a_wkt_bbox_and_a_period(demo_store):
    (r,) = rows(demo_store, """SELECT ?wkt ?start WHERE { ?p dct:spatial/dcat:bbox ?wkt ;
                                 dct:temporal/dcat:startDate ?start }""", p=P + "arctic-sar-mosaics")
    assert r["wkt"].startswith("POLYGON((")


def test_an_open_interval_has_no_end_date(demo_store):
    assert not ask(demo_store, "ASK { ?p dct:temporal/dcat:endDate ?e }", p=P + "arctic-sar-mosaics")


def test_contacts_keep_name_roles_and_email(demo_store):
    rs = rows(demo_store, """SELECT ?name ?email WHERE { ?p dcat:contactPoint ?c . ?c vcard:fn ?name ; vcard:hasEmail ?email ;
                              ec:role "technical_officer" }""", p=BASE + "projects/polar-ice-monitoring")
    assert rs and rs[0]["email"].startswith("mailto:")


def test_product_items_link_to_their_product_and_keep_assets(demo_store):
    items = values(demo_store, "SELECT ?i WHERE { ?i a ec:ProductItem ; ec:product ?p }", p=P + "alpine-glacier-elevation-change")
    assert len(items) == 2
    assert ask(demo_store, "ASK { ?i ec:asset/dcat:downloadURL ?u ; geo:hasGeometry/geo:asGeoJSON ?g }", i=sorted(items)[0])


def test_workflows_describe_their_software(demo_store):
    w = BASE + "workflows/lst-downscaling"
    assert values(demo_store, "SELECT ?l WHERE { ?w schema:programmingLanguage ?l }", w=w)
    assert values(demo_store, "SELECT ?r WHERE { ?w schema:codeRepository ?r }", w=w)
    assert values(demo_store, "SELECT ?v WHERE { ?w ec:pythonVersion ?v }", w=w)


def test_input_yaml_parameters_keep_their_yaml_types(demo_store):
    params = {r["name"]: r["dt"] for r in rows(demo_store, """SELECT ?name (DATATYPE(?v) AS ?dt) WHERE {
        ?e ec:inputConfiguration/ec:parameter ?x . ?x schema:name ?name ; schema:value ?v }""",
        e=BASE + "experiments/sea-ice-classification-2024")}
    assert params["date"].endswith("#date")
    assert any(dt.endswith("#double") for dt in params.values())
    assert any(dt.endswith("#integer") for dt in params.values())


def test_environment_yaml_keeps_the_conda_environment(demo_store):
    e = BASE + "experiments/sea-ice-classification-2024"
    assert values(demo_store, "SELECT ?d WHERE { ?e ec:executionEnvironment/ec:dependency ?d }", e=e)
    assert values(demo_store, "SELECT ?d WHERE { ?e ec:executionEnvironment/ec:pipDependency ?d }", e=e)


def test_the_ontology_is_loaded_next_to_the_data(demo_store):
    assert ask(demo_store, "ASK { GRAPH <https://w3id.org/earthcode/ontology> { ec:Product rdfs:subClassOf dcat:Dataset } }")


def test_an_href_no_iri_can_be_made_of_is_a_warning_and_the_rest_of_the_file_still_maps():
    doc = {"type": "Collection", "stac_version": "1.0.0", "id": "x", "title": "X",
           "links": [{"rel": "related", "href": "http://[::1"}, {"rel": "via", "href": "https://ex.org/%zz"}]}
    mapped = map_document(Minter(BASE), "products/x/collection.json", json.dumps(doc).encode())
    assert [(i.severity, i.message) for i in mapped.issues if "href" in i.message] == [
        ("warning", "link href 'http://[::1' is not a valid IRI"),
        ("warning", "link href 'https://ex.org/%zz' is not a valid IRI"),
    ]
    assert not mapped.failed
    assert b"<http://purl.org/dc/terms/title> \"X\"" in mapped.ntriples
