"""The EarthCODE ontology (``earthcode.ttl``): the classes and properties the loaders emit.

The loaders put it in the store in its own named graph (:data:`ONTOLOGY_IRI`), next to the data it describes.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

ONTOLOGY_IRI = "https://w3id.org/earthcode/ontology"
ONTOLOGY_PATH = Path(str(files(__name__) / "earthcode.ttl"))


@lru_cache(maxsize=1)
def ontology_ntriples() -> bytes:
    """The ontology as N-Triples.

    Blank nodes (OWL union classes and lists) are relabelled in parse order, so the bytes — and the content hash the
    loader uses to decide whether to replace the ontology's graph — are the same on every call and every run.
    """
    labels: dict[str, ox.BlankNode] = {}

    def stable(term):
        if isinstance(term, ox.BlankNode):
            if term.value not in labels:
                labels[term.value] = ox.BlankNode(f"b{len(labels)}")
            return labels[term.value]
        return term

    triples = [
        ox.Triple(stable(t.subject), t.predicate, stable(t.object))
        for t in ox.parse(path=ONTOLOGY_PATH, format=ox.RdfFormat.TURTLE)
    ]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
