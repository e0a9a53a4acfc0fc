"""Values are bound into SPARQL as a VALUES block that the library escapes, never by string formatting."""

import pyoxigraph as ox
import pytest

from earthcode_kg.store.bindings import BindingError, bind


def run(query, **bindings):
    store = ox.Store()
    store.update('INSERT DATA { <http://a> <http://p> "x" . <http://b> <http://p> "y" }')
    return store.query(bind(query, bindings), use_default_graph_as_union=True)


def test_a_bound_variable_need_not_be_projected():
    assert [s["o"].value for s in run("SELECT ?o WHERE { ?s <http://p> ?o }", s=ox.NamedNode("http://a"))] == ["x"]


def test_aggregates_see_the_binding():
    (row,) = run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", s=ox.NamedNode("http://b"))
    assert row["n"].value == "1"


def test_construct_templates_are_skipped():
    triples = list(run("CONSTRUCT { ?s <http://q> ?o } WHERE { ?s <http://p> ?o }", s=ox.NamedNode("http://a")))
    assert len(triples) == 1


def test_braces_inside_iris_strings_and_comments_do_not_confuse_it():
    q = 'PREFIX x: <http://e/x#y> # a { comment\nSELECT ?o WHERE { ?s <http://p> ?o FILTER(?o != "}") }'
    assert len(list(run(q, s=ox.NamedNode("http://a")))) == 1


def test_hostile_literal_values_stay_literals():
    evil = ox.Literal('x" } ; DROP ALL ; #')
    assert list(run("SELECT ?s WHERE { ?s <http://p> ?o }", o=evil)) == []


def test_variable_names_are_checked():
    with pytest.raises(BindingError):
        bind("SELECT * WHERE { ?s ?p ?o }", {"s) } DROP ALL #": ox.NamedNode("http://a")})


def test_plain_strings_are_refused():
    with pytest.raises(BindingError):
        bind("SELECT * WHERE { ?s ?p ?o }", {"s": "http://a"})


def test_the_where_brace_is_found_once_per_query_text():
    """Every caller of bind() shares one cache of where the VALUES block goes (the scan is in Python)."""
    from earthcode_kg.store.bindings import _where_brace

    query = "PREFIX x: <http://e/x#cache-test> # a { comment\nSELECT ?o WHERE { ?s <http://p> ?o }"
    before = _where_brace.cache_info()
    first = bind(query, {"s": ox.NamedNode("http://a")})
    second = bind(query, {"s": ox.NamedNode("http://b")})
    after = _where_brace.cache_info()
    assert after.misses == before.misses + 1 and after.hits == before.hits + 1
    assert first.replace("http://a", "http://b") == second
    assert len(list(run(query, s=ox.NamedNode("http://b")))) == 1


def test_a_query_without_where_group_fails_every_time():
    for _ in range(2):
        with pytest.raises(BindingError):
            bind("SELECT * FROM <http://g>", {"s": ox.NamedNode("http://a")})


def test_several_rows_bind_in_one_values_block():
    rows = [{"s": ox.NamedNode("http://a")}, {"s": ox.NamedNode("http://b")}]
    assert sorted(s["o"].value for s in run_rows("SELECT ?o WHERE { ?s <http://p> ?o }", rows)) == ["x", "y"]


def test_rows_must_bind_the_same_variables():
    with pytest.raises(BindingError):
        bind("SELECT * WHERE { ?s ?p ?o }", [{"s": ox.NamedNode("http://a")}, {"o": ox.NamedNode("http://b")}])


def run_rows(query, rows):
    store = ox.Store()
    store.update('INSERT DATA { <http://a> <http://p> "x" . <http://b> <http://p> "y" }')
    return store.query(bind(query, rows), use_default_graph_as_union=True)
