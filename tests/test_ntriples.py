"""The N-Triples writer escapes literals and never lets a malformed IRI through."""

import pyoxigraph as ox

from loaders.ntriples import Triples, checked_iri, lit, typed


def parses(line: str) -> list:
    return list(ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES))


def test_literals_escape_quotes_backslashes_and_newlines():
    value = 'a "quoted" \\ back\nslash\r'
    (triple,) = parses(f"<http://s> <http://p> {lit(value)} .\n")
    assert triple.object.value == value


def test_json_scalars_keep_their_types():
    assert typed(True).endswith("#boolean>")
    assert typed(3).endswith("#integer>")
    assert typed(3.11).endswith("#double>")
    assert typed(float("inf")).startswith('"INF"')


def test_iris_with_spaces_or_braces_are_percent_encoded():
    assert checked_iri("https://example.org/a b{c}") == "<https://example.org/a%20b%7Bc%7D>"


def test_relative_or_broken_iris_are_rejected():
    assert checked_iri("www.example.org") is None
    assert checked_iri("http://[broken") is None


def test_helper_nodes_are_hash_iris_under_their_document():
    t = Triples("https://example.org/doc.json")
    assert t.node("link") == "<https://example.org/doc.json#link-1>"
    assert t.node("link") == "<https://example.org/doc.json#link-2>"
