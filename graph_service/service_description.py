"""The SPARQL 1.1 Service Description returned by a GET on ``/sparql`` without a query."""

from __future__ import annotations

import pyoxigraph as ox

from loaders.vocab import PREFIXES

from .service import Service

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def _sd(local: str) -> ox.NamedNode:
    return ox.NamedNode(SD + local)


def service_description(endpoint: str, service: Service, media_type: str) -> bytes:
    node = ox.NamedNode(endpoint)
    dataset, default_graph = ox.BlankNode("dataset"), ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(node, RDF_TYPE, _sd("Service")),
        ox.Triple(node, _sd("endpoint"), node),
        ox.Triple(node, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(node, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(node, _sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(node, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(default_graph, ox.NamedNode("http://rdfs.org/ns/void#triples"),
                  ox.Literal(str(service.store.triple_count()),
                             datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
    ]
    triples += [ox.Triple(node, _sd("resultFormat"), ox.NamedNode(FORMATS + f)) for f in RESULT_FORMATS]
    if service.settings.update_token:
        triples.append(ox.Triple(node, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    prefixes = {"sd": SD, "formats": FORMATS, "void": "http://rdfs.org/ns/void#", **PREFIXES}
    return ox.serialize(triples, format=ox.RdfFormat.from_media_type(media_type), prefixes=prefixes)
