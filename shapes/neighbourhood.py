"""The data an incremental validation needs: changed documents plus the slice of the catalog their shapes read.

Every shape is written so that its findings for a record depend only on (1) the record's own document graph, (2) all
statements about the record made elsewhere (e.g. ``prov:wasGeneratedBy`` stated by an experiment), (3) a few facts
about the things the record points at — their type, title, id, emptiness, contact point, source file, and whatever
they state about the record (links back to it, id fields naming it) — and (4) three small global facts: the files
of the record's folder and the root/type catalogs it should link to, and the other entities sharing its id. This
module collects exactly that with a handful of SPARQL queries, so validating one changed record reads a few hundred
statements instead of the whole catalog. ``tests/test_incremental.py`` checks the findings equal a full run's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from earthcode_kg.store.base import GraphStore
from earthcode_kg.store.formats import N_TRIPLES
from loaders.vocab import EC

LINK = EC + "link"
#: The inverse of ec:link, which the shapes navigate by; derived for the slice as :func:`shapes.engine.export_data`
#: derives it for the whole store.
LINK_OF = EC + "linkOf"
_LINK, _LINK_OF = ox.NamedNode(LINK), ox.NamedNode(LINK_OF)

_PREFIXES = """PREFIX ec: <https://w3id.org/earthcode/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""

_DOCS = _PREFIXES + """SELECT ?doc ?path ?entity ?class WHERE {
  VALUES ?doc { %s } ?doc ec:path ?path . OPTIONAL { ?doc foaf:primaryTopic ?entity OPTIONAL { ?entity a ?class } } }"""

_OWN = "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?g { %s } GRAPH ?g { ?s ?p ?o } }"

_ABOUT = "CONSTRUCT { ?f ?p ?o . ?s ?q ?f } WHERE { VALUES ?f { %s } { ?f ?p ?o } UNION { ?s ?q ?f } }"

#: What the shapes read about the nodes the focus records point at: a few of their own facts, their source files, and
#: their links back to a focus node. Separate queries, each led by one VALUES block: with a UNION of the three, or a
#: second VALUES block for the predicates, Oxigraph took seconds to minutes for a batch of a few hundred documents.
_REFERENCED_FACTS = _PREFIXES + """CONSTRUCT { ?r ?p ?o } WHERE {
  VALUES ?r { %s } ?r ?p ?o FILTER(?p IN (rdf:type, dct:title, dct:identifier, ec:isEmpty, dcat:contactPoint)) }"""
_REFERENCED_FILES = _PREFIXES + """CONSTRUCT { ?d ?p ?o } WHERE {
  VALUES ?r { %s } ?d foaf:primaryTopic ?r ; ?p ?o
  FILTER(?p IN (rdf:type, ec:path, dct:source, foaf:primaryTopic, ec:loadError, dcat:mediaType)) }"""
_LINKS_TO_FOCUS = _PREFIXES + """SELECT ?r ?l WHERE { VALUES ?f { %s } ?l ec:target ?f . ?r ec:link ?l }"""
_LINK_FACTS = "CONSTRUCT { ?l ?p ?o } WHERE { VALUES ?l { %s } ?l ?p ?o }"

_AT_PATHS = _PREFIXES + """SELECT DISTINCT ?e WHERE { VALUES ?path { %s } ?d ec:path ?path ; foaf:primaryTopic ?e }"""
_BY_PATH = _PREFIXES + """SELECT DISTINCT ?e WHERE { ?d ec:path ?path ; foaf:primaryTopic ?e . FILTER(%s) }"""

_SAME_ID = _PREFIXES + """CONSTRUCT { ?e dct:identifier ?id . ?e a ?c } WHERE { VALUES ?id { %s } ?e dct:identifier ?id ; a ?c }"""


@dataclass
class Neighbourhood:
    documents: list[str]  # the document graphs validated
    focus: set[str]  # their focus nodes: the files, their entities, and the nodes minted under each file
    ntriples: str  # the data slice
    links: set[str] = field(default_factory=set)  # the focus nodes that are links (objects of ec:link)


def _values(terms) -> str:
    return " ".join(t if t.startswith(("<", '"')) else f"<{t}>" for t in terms)


def _literal(text: str) -> str:
    return ox.Literal(text).__str__()


def _nt(triples: list) -> str:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8") if triples else ""


def neighbourhood(store: GraphStore, documents: list[str]) -> Neighbourhood:
    """Collect the focus nodes and the data slice for ``documents`` (document graph IRIs)."""
    documents = sorted(set(documents))
    if not documents:
        return Neighbourhood([], set(), "")
    docs = store.select(_DOCS % _values(documents))
    entities = {r["entity"].value for r in docs if "entity" in r}
    classes = {r["class"].value.rsplit("#", 1)[-1] for r in docs if "class" in r}
    own = store.construct(_OWN % _values(documents), union=False)
    focus = set(documents) | entities
    prefixes = tuple(d + "#" for d in documents)
    focus |= {t.subject.value for t in own if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(prefixes)}
    about = store.construct(_ABOUT % _values(entities)) if entities else []

    referenced = {t.object.value for t in (*own, *about) if isinstance(t.object, ox.NamedNode)}
    referenced |= {t.subject.value for t in about if isinstance(t.subject, ox.NamedNode)}
    referenced |= _expected(store, [r["path"].value for r in docs], classes)
    referenced -= focus
    # The slice is kept as N-Triples text part by part; what is only passed on to the engine is fetched already
    # serialised (``construct_text``), so a type catalog's slice (millions of statements at 100x) never exists as
    # one Python object per statement.
    texts = [_nt(own), _nt(about)]
    links_stated = [t for t in (*own, *about) if t.predicate == _LINK]
    if referenced:
        text, back = _referenced(store, referenced, focus)
        texts += [text, _nt(back)]
        links_stated += back
    ids = {t.object for t in own if t.predicate.value == "http://purl.org/dc/terms/identifier"
           and t.subject.value in entities}
    if ids:
        texts.append(construct_text(store, _SAME_ID % " ".join(str(i) for i in ids)))
    texts.append(_nt([ox.Triple(t.object, _LINK_OF, t.subject) for t in links_stated]))
    links = {t.object.value for t in own if t.predicate == _LINK} & focus
    return Neighbourhood(documents, focus, "".join(texts), links)


def construct_text(store: GraphStore, query: str) -> str:
    """A CONSTRUCT's triples as N-Triples text, serialised by the store, ending in a newline: callers concatenate
    several answers (a slice's parts here, the export's per-core queries in :func:`shapes.engine.export_data`)."""
    text = store.query_raw(query, N_TRIPLES).body.decode("utf-8")
    return text if not text or text.endswith("\n") else text + "\n"


def _referenced(store: GraphStore, referenced: set[str], focus: set[str]) -> tuple[str, list]:
    """What the shapes read about the referenced nodes, as text (none of it states ``ec:link``), and the ``ec:link``
    statements that link them back to a focus node, as triples (the caller derives ``ec:linkOf`` from them)."""
    values = _values(sorted(referenced))
    texts = [construct_text(store, _REFERENCED_FACTS % values), construct_text(store, _REFERENCED_FILES % values)]
    back = [(r["r"], r["l"]) for r in store.select(_LINKS_TO_FOCUS % _values(sorted(focus)))
            if r["r"].value in referenced]
    if back:
        texts.append(construct_text(store, _LINK_FACTS % " ".join(str(l) for _, l in back)))
    return "".join(texts), [ox.Triple(r, _LINK, l) for r, l in back]


def _expected(store: GraphStore, paths: list[str], classes: set[str]) -> set[str]:
    """Entities a record must link to whether or not it does (root, its type catalog, an item's product), plus the
    members a root or type catalog must list.

    Exact paths are looked up through a VALUES block (an index lookup each); only a root or type catalog in the batch
    scans the files, once. A FILTER of ORs over every file would scan the whole catalog for every batch.
    """
    exact = {"catalog.json"}
    prefixes = []
    for path in paths:
        parts = path.split("/")
        if len(parts) >= 2:
            exact.add(parts[0] + "/catalog.json")
        if len(parts) == 3 and parts[0] == "products":
            exact.add(f"products/{parts[1]}/collection.json")
        if len(parts) == 2 and "TypeCatalog" in classes:
            prefixes.append(f'STRSTARTS(?path, {_literal(parts[0] + "/")})')
    if "Catalog" in classes:
        prefixes.append('REGEX(?path, "^[^/]+/catalog[.]json$")')
    rows = store.select(_AT_PATHS % " ".join(_literal(p) for p in sorted(exact)))
    if prefixes:
        rows += store.select(_BY_PATH % " || ".join(dict.fromkeys(prefixes)))
    return {r["e"].value for r in rows}
