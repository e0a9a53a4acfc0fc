"""Small helpers that keep the tests' SPARQL readable."""

from __future__ import annotations

from pyoxigraph import NamedNode

from loaders.vocab import PREFIXES

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def rows(store, query: str, **bindings) -> list[dict[str, str]]:
    """SELECT rows as plain strings (IRIs and literal values alike)."""
    terms = {k: NamedNode(v) if isinstance(v, str) and v.startswith("http") else v for k, v in bindings.items()}
    return [{k: t.value for k, t in row.items()} for row in store.select(SPARQL_PREFIXES + query, terms or None)]


def values(store, query: str, **bindings) -> set[str]:
    """The values of the single projected variable."""
    return {next(iter(r.values())) for r in rows(store, query, **bindings) if r}


def ask(store, query: str, **bindings) -> bool:
    terms = {k: NamedNode(v) for k, v in bindings.items()}
    return store.ask(SPARQL_PREFIXES + query, terms or None)
