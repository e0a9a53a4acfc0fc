"""Lineage is unified: whichever side states it, product → experiment → workflow → inputs is one graph."""

from tests.conftest import BASE
from tests.rdf_helpers import rows, values

E, P, W = BASE + "experiments/", BASE + "products/", BASE + "workflows/"


def generated_by(store, product):
    return values(store, "SELECT ?e WHERE { ?p prov:wasGeneratedBy ?e }", p=P + product)


def test_lineage_stated_by_both_sides(demo_store):
    assert generated_by(demo_store, "arctic-sea-ice-classification") == {E + "sea-ice-classification-2024"}


def test_lineage_stated_only_by_the_product_related_link(demo_store):
    assert generated_by(demo_store, "arctic-ice-edge-lines") == {E + "ice-edge-extraction-2024"}


def test_lineage_stated_only_by_the_experiment(demo_store):
    assert generated_by(demo_store, "lagos-lst-downscaled") == {E + "lst-downscaling-lagos"}


def test_each_side_statement_lives_in_its_own_documents_graph(demo_store):
    graphs = values(demo_store, "SELECT ?g WHERE { GRAPH ?g { ?p prov:wasGeneratedBy ?e } }",
                    p=P + "lagos-lst-downscaled")
    assert graphs == {E + "lst-downscaling-lagos/record.json"}


def test_the_experiment_runs_its_workflow_as_the_plan(demo_store):
    e = E + "sea-ice-classification-2024"
    assert values(demo_store, "SELECT ?w WHERE { ?e ec:workflow ?w }", e=e) == {W + "sea-ice-classification"}
    assert values(demo_store, "SELECT ?w WHERE { ?e prov:qualifiedAssociation/prov:hadPlan ?w }", e=e) == {
        W + "sea-ice-classification"}


def test_inputs_are_products_configuration_files_or_urls(demo_store):
    used = values(demo_store, "SELECT ?i WHERE { ?e prov:used ?i }", e=E + "sea-ice-classification-2024")
    assert used == {P + "arctic-sar-mosaics", E + "sea-ice-classification-2024/input"}


def test_lineage_chains_are_traversable_to_any_depth(demo_store):
    upstream = values(demo_store, "SELECT ?src WHERE { ?p (prov:wasGeneratedBy/prov:used)+ ?src . ?src a ec:Product }",
                      p=P + "arctic-ice-edge-lines")
    assert upstream == {P + "arctic-sea-ice-classification", P + "arctic-sar-mosaics"}


def test_full_chain_product_experiment_workflow_inputs_config(demo_store):
    (r,) = rows(demo_store, """SELECT ?e ?w (COUNT(?param) AS ?n) WHERE { ?p prov:wasGeneratedBy ?e . ?e ec:workflow ?w ;
                ec:inputConfiguration/ec:parameter ?param } GROUP BY ?e ?w""", p=P + "arctic-sea-ice-classification")
    assert r["w"] == W + "sea-ice-classification" and int(r["n"]) >= 3
