"""Binding values into SPARQL safely, the same way on every backend.

A caller's values (a product IRI from a URL, a theme id…) never become query text by string formatting. They are
pyoxigraph terms, serialised by pyoxigraph itself (so quotes, backslashes and ``>`` are escaped by the library that
parses them back), and joined into the query as a ``VALUES`` block placed first in the query's WHERE group:
``WHERE { VALUES (?p) { (<…>) } …rest… }``. This is standard SPARQL 1.1 that any store runs, unlike Oxigraph's
SEP-0007 substitutions (which also refuse variables a SELECT does not project). Placing it inside the group, rather
than as a trailing VALUES clause, keeps it joined before GROUP BY and aggregates, so aggregates see it.

Only the position of that first brace is found by scanning the text: the prologue and a CONSTRUCT template are the
only parts before it, so only IRIs, strings, comments and the template's own braces need skipping. The scan is in
Python and costs more than running a small query, so its result is cached per query text (:func:`_where_brace` is an
``lru_cache``): the service binds the same few named queries over and over, and every caller of :func:`bind` gets the
cache without keeping one of its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from pyoxigraph import BlankNode, Literal, NamedNode

from .base import Bindings

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CONSTRUCT_TEMPLATE = re.compile(r"\bCONSTRUCT\s*\{", re.IGNORECASE)


class BindingError(ValueError):
    """A binding the query cannot take (bad variable name, unsupported term, no WHERE group)."""


def _term(value: object) -> str:
    if isinstance(value, (NamedNode, Literal)):
        return str(value)
    if isinstance(value, BlankNode):
        raise BindingError("blank nodes cannot be bound from outside a query")
    raise BindingError(f"bind pyoxigraph terms, not {type(value).__name__}")


def values_block(rows: Sequence[Bindings]) -> str:
    """One VALUES block; every row must bind the same variables."""
    names = list(rows[0])
    for name in names:
        if not _NAME.match(name):
            raise BindingError(f"not a SPARQL variable name: {name!r}")
    if any(set(row) != set(names) for row in rows):
        raise BindingError("every row of bindings must bind the same variables")
    variables = " ".join("?" + n for n in names)
    body = " ".join("(" + " ".join(_term(row[n]) for n in names) + ")" for row in rows)
    return f"VALUES ({variables}) {{ {body} }}"


def _skip(query: str, i: int) -> int:
    """If an IRI, string or comment starts at ``i``, the index just past it; else ``i``."""
    c = query[i]
    if c == "#":
        end = query.find("\n", i)
        return len(query) if end < 0 else end
    if c == "<":
        end = query.find(">", i)
        return len(query) if end < 0 else end + 1
    if c in "'\"":
        quote = query[i : i + 3] if query[i : i + 3] in ("'''", '"""') else c
        j = i + len(quote)
        while j < len(query):
            if query[j] == "\\":
                j += 2
                continue
            if query.startswith(quote, j):
                return j + len(quote)
            j += 1
        return len(query)
    return i


@lru_cache(maxsize=256)
def _where_brace(query: str) -> int:
    """Index of the ``{`` that opens the query's WHERE group (cached per query text; a query without one raises
    every time, as exceptions are not cached)."""
    depth = 0
    i = 0
    template = _CONSTRUCT_TEMPLATE.search(_blank_out(query))
    if template:  # skip the CONSTRUCT template's balanced braces first
        i = template.end() - 1
    in_template = bool(template)
    while i < len(query):
        j = _skip(query, i)
        if j != i:
            i = j
            continue
        c = query[i]
        if c == "{":
            if not in_template:
                return i
            depth += 1
        elif c == "}" and in_template:
            depth -= 1
            if depth == 0:
                in_template = False
        i += 1
    raise BindingError("the query has no WHERE group to bind values into")


def _blank_out(query: str) -> str:
    """The query with IRIs, strings and comments replaced by spaces (same length), for keyword searches."""
    out = list(query)
    i = 0
    while i < len(query):
        j = _skip(query, i)
        if j != i:
            out[i:j] = " " * (j - i)
            i = j
        else:
            i += 1
    return "".join(out)


def bind(query: str, bindings: Bindings | Sequence[Bindings] | None) -> str:
    """``query`` with ``bindings`` joined in as a VALUES block at the start of its WHERE group.

    ``bindings`` is one row (variable → term) or a sequence of rows: a page naming fifty records asks for all their
    titles in one query, one VALUES row each.
    """
    if not bindings:
        return query
    rows = [bindings] if isinstance(bindings, Mapping) else list(bindings)
    i = _where_brace(query)
    return f"{query[: i + 1]} {values_block(rows)} {query[i + 1 :]}"
