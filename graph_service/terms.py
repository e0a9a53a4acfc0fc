"""RDF terms as plain JSON values for the JSON views (SPARQL JSON stays available from /sparql)."""

from __future__ import annotations

from typing import Any

import orjson
from pyoxigraph import Literal, NamedNode

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
_NUMBERS = {XSD + "integer": int, XSD + "int": int, XSD + "long": int, XSD + "double": float, XSD + "decimal": float,
            XSD + "float": float}


def value(term: Any) -> Any:
    """A literal's value in its JSON type (numbers, booleans, JSON literals parsed); IRIs and others as strings."""
    if term is None:
        return None
    if isinstance(term, Literal):
        datatype = term.datatype.value
        if datatype in _NUMBERS:
            try:
                return _NUMBERS[datatype](term.value)
            except ValueError:
                return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        if datatype == RDF_JSON:
            return orjson.loads(term.value)
        return term.value
    if isinstance(term, NamedNode):
        return term.value
    return str(term)


def text(term: Any) -> str | None:
    return None if term is None else term.value
