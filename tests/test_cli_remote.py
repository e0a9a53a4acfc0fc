"""The command line against a remote store: the same commands, with ``--store-url`` instead of ``--store``."""

import json

import pytest
from click.testing import CliRunner

from earthcode_kg.cli import main
from tests.oxigraph_server import free_port


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture
def server_options(oxigraph_server):
    oxigraph_server.remote_store().update("DROP ALL")
    return ["--store-url", oxigraph_server.query_url, "--update-url", oxigraph_server.update_url,
            "--gsp-url", oxigraph_server.gsp_url]


def test_load_then_query_through_a_remote_store(server_options):
    loaded = run("load", "--quiet", *server_options)
    assert loaded.exit_code == 0, loaded.output
    answer = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                 *server_options[:2])
    assert int(json.loads(answer.output)["results"]["bindings"][0]["n"]["value"]) > 0


def test_export_from_a_remote_store_keeps_the_named_graphs(server_options):
    run("load", "--quiet", *server_options)
    exported = run("export", "--format", "nq", *server_options[:2])
    assert exported.exit_code == 0 and " <https://" in exported.output.splitlines()[0]


def test_store_and_store_url_are_alternatives(tmp_path, oxigraph_server):
    result = run("query", "ASK {}", "--store", str(tmp_path), "--store-url", oxigraph_server.query_url)
    assert result.exit_code == 2 and "alternatives" in result.output


def test_update_url_needs_a_store_url():
    result = run("query", "ASK {}", "--update-url", "http://127.0.0.1:1/update")
    assert result.exit_code == 2 and "need --store-url" in result.output


def test_a_store_that_is_down_is_one_clear_error_line():
    url = f"http://127.0.0.1:{free_port()}/query"
    result = run("load", "--quiet", "--store-url", url, env={"EARTHCODE_KG_STORE_TIMEOUT_S": "2"})
    assert result.exit_code == 1
    assert f"SPARQL store at {url} is unreachable" in result.output and "Traceback" not in result.output


def test_an_explicit_store_path_wins_over_a_store_url_from_the_environment(tmp_path):
    result = run("query", "ASK { ?s ?p ?o }", "--store", str(tmp_path / "s"),
                 env={"EARTHCODE_KG_STORE_URL": "http://127.0.0.1:1/query"})
    assert result.exit_code == 0 and "false" in result.output
