"""The ontology parses, declares every ec: term the loaders use, documents each term, and keeps its key alignments."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

import loaders.vocab as vocab
from ontology import ONTOLOGY_IRI, ONTOLOGY_PATH, ontology_ntriples

EC = rdflib.Namespace(vocab.EC)
DCAT = rdflib.Namespace(vocab.DCAT)
PROV = rdflib.Namespace(vocab.PROV)
SKOS = rdflib.Namespace(vocab.SKOS)
FOAF = rdflib.Namespace(vocab.FOAF)
DCT = rdflib.Namespace(vocab.DCT)
LOADERS = Path(vocab.__file__).parent
DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
PROPERTY_TYPES = DECLARATION_TYPES - {OWL.Class}


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_PATH, format="turtle")


def vocab_ec_terms() -> set[str]:
    """Every ec: IRI among loaders.vocab's constants (rendered ``<...>`` terms and bare IRIs alike)."""
    terms = set()
    for name, value in vars(vocab).items():
        if name.startswith("_") or not isinstance(value, str):
            continue
        iri = value[1:-1] if value.startswith("<") and value.endswith(">") else value
        if iri.startswith(vocab.EC) and iri != vocab.EC:
            terms.add(iri)
    return terms


def code_ec_terms() -> set[str]:
    """ec: IRIs written literally anywhere in the loaders' code (e.g. f-strings), not only via vocab constants."""
    pattern = re.compile(r"\{EC\}(\w+)|" + re.escape(vocab.EC) + r"(\w+)")
    found = set()
    for path in LOADERS.glob("*.py"):
        for m in pattern.finditer(path.read_text(encoding="utf-8")):
            found.add(vocab.EC + (m.group(1) or m.group(2)))
    return found


def declared(graph: rdflib.Graph, types=DECLARATION_TYPES) -> set[rdflib.URIRef]:
    return {s for t in types for s in graph.subjects(RDF.type, t) if isinstance(s, rdflib.URIRef)}


def test_parses_with_pyoxigraph():
    triples = [(q.subject, q.predicate, q.object) for q in ox.parse(path=ONTOLOGY_PATH, format=ox.RdfFormat.TURTLE)]
    assert len(triples) > 300
    assert (ox.NamedNode(ONTOLOGY_IRI), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.Ontology))) in triples


def test_parses_with_rdflib(graph):
    assert (rdflib.URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in graph


def test_ontology_header(graph):
    onto = rdflib.URIRef(ONTOLOGY_IRI)
    for p in (DCT.title, DCT.description, DCT.license, OWL.versionInfo, RDFS.seeAlso):
        assert graph.value(onto, p) is not None, p
    vann = rdflib.Namespace("http://purl.org/vocab/vann/")
    assert str(graph.value(onto, vann.preferredNamespacePrefix)) == "ec"
    assert str(graph.value(onto, vann.preferredNamespaceUri)) == vocab.EC
    assert str(graph.value(onto, OWL.versionInfo)) == "0.1.0"


def test_ntriples_export_is_stable_and_complete():
    nt = ontology_ntriples()
    assert nt == ontology_ntriples()
    exported = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    assert len(exported) == len(list(ox.parse(path=ONTOLOGY_PATH, format=ox.RdfFormat.TURTLE)))


def test_vocab_terms_found():
    # Guard the extraction itself, so an empty set cannot make the declaration test pass vacuously.
    terms = vocab_ec_terms()
    assert vocab.EC + "Product" in terms and vocab.EC + "extraFields" in terms
    assert len(terms) > 60


def test_every_ec_term_is_declared(graph):
    missing = sorted((vocab_ec_terms() | code_ec_terms()) - {str(t) for t in declared(graph)})
    assert not missing, f"ec: terms used by the loaders but not declared in {ONTOLOGY_PATH.name}: {missing}"


def test_classes_and_properties_are_declared_as_such(graph):
    classes = {str(c) for c in declared(graph, {OWL.Class})}
    properties = {str(p) for p in declared(graph, PROPERTY_TYPES)}
    for name, value in vars(vocab).items():
        if isinstance(value, str) and value.startswith("<" + vocab.EC):
            iri = value[1:-1]
            if name.startswith("C_"):
                assert iri in classes, name
            elif name.startswith("P_"):
                assert iri in properties, name


def test_each_term_has_one_declaration(graph):
    for term in declared(graph):
        kinds = {t for t in graph.objects(term, RDF.type) if t in DECLARATION_TYPES}
        assert len(kinds) == 1, f"{term} is declared as {sorted(kinds)}"


def test_no_undeclared_ec_terms_in_ontology(graph):
    """Every ec: IRI the ontology mentions (in a domain, range, list, ...) is itself declared."""
    mentioned = {t for triple in graph for t in triple if isinstance(t, rdflib.URIRef) and str(t).startswith(vocab.EC)}
    assert mentioned <= declared(graph), sorted(mentioned - declared(graph))


def test_every_term_is_labelled_and_commented(graph):
    for term in declared(graph):
        if not str(term).startswith(vocab.EC):
            continue
        for p in (RDFS.label, RDFS.comment):
            values = list(graph.objects(term, p))
            assert values, f"{term} has no {p}"
            ok = all(isinstance(v, rdflib.Literal) and v.language == "en" and str(v).strip() for v in values)
            assert ok, f"{term}: every {p} must be a non-empty @en literal"


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        (EC.Product, DCAT.Dataset),
        (EC.Product, PROV.Entity),
        (EC.ProductItem, DCAT.Dataset),
        (EC.Project, PROV.Activity),
        (EC.Project, FOAF.Project),
        (EC.Experiment, PROV.Activity),
        (EC.Workflow, PROV.Plan),
        (EC.Theme, SKOS.Concept),
        (EC.Variable, SKOS.Concept),
        (EC.EOMission, SKOS.Concept),
        (EC.Catalog, DCAT.Catalog),
        (EC.TypeCatalog, DCAT.Catalog),
        (EC.SourceDocument, DCAT.CatalogRecord),
        (EC.InputConfiguration, PROV.Entity),
        (EC.ExecutionEnvironment, PROV.Entity),
        (EC.Asset, DCAT.Distribution),
        (EC.Contact, rdflib.URIRef(vocab.VCARD + "Kind")),
        (EC.Parameter, rdflib.URIRef(vocab.SCHEMA + "PropertyValue")),
    ],
)
def test_class_alignments(graph, sub, sup):
    assert (sub, RDFS.subClassOf, sup) in graph


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        (EC.project, DCT.isPartOf),
        (EC.variable, DCAT.theme),
        (EC.mission, DCT.relation),
        (EC.experiment, PROV.wasGeneratedBy),
        (EC.inputConfiguration, PROV.used),
        (EC.doi, DCT.identifier),
    ],
)
def test_property_alignments(graph, sub, sup):
    assert (sub, RDFS.subPropertyOf, sup) in graph


def test_lineage_is_not_misaligned(graph):
    # ec:project is membership, not generation; a workflow is a plan, not an agent (prov:wasAssociatedWith's range).
    assert (EC.project, RDFS.subPropertyOf, PROV.wasGeneratedBy) not in graph
    assert (EC.workflow, RDFS.subPropertyOf, PROV.wasAssociatedWith) not in graph


@pytest.mark.parametrize(
    ("prop", "kind"),
    [
        (EC.extraFields, OWL.DatatypeProperty),
        (EC.link, OWL.ObjectProperty),
        (EC.doi, OWL.DatatypeProperty),
        (EC.href, OWL.DatatypeProperty),
        (EC.target, OWL.ObjectProperty),
        (EC.scheme, OWL.DatatypeProperty),
        (EC.project, OWL.ObjectProperty),
    ],
)
def test_literal_vs_iri_properties(graph, prop, kind):
    assert (prop, RDF.type, kind) in graph


def test_loose_properties_have_no_domain(graph):
    """Properties the loaders put on many kinds of node must not claim one class as their domain."""
    for prop in (EC.link, EC.extraFields, EC.project, EC.contentHash, EC.contact, EC.doi, EC.licenseId, EC.status):
        assert graph.value(prop, RDFS.domain) is None, prop
    assert str(graph.value(EC.extraFields, RDFS.range)) == vocab.RDF_JSON
