"""The command line: load, query and export, as a user runs them."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from earthcode_kg.cli import main
from tests.conftest import QUIRKS_CATALOG


@pytest.fixture
def store_dir(tmp_path):
    return str(tmp_path / "store")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_load_with_no_catalog_loads_the_bundled_demo(store_dir):
    result = run("load", "--store", store_dir)
    assert result.exit_code == 0
    assert "triples in store" in result.output and "0 files with errors" in result.output


def test_load_names_every_broken_file_and_loads_the_rest(store_dir):
    result = run("load", str(QUIRKS_CATALOG), "--store", store_dir)
    assert result.exit_code == 0
    for broken in ("products/broken-json/collection.json", "products/invalid-utf8/collection.json",
                   "experiments/bad-yaml/input.yaml"):
        assert f"error: {broken}:" in result.output


def test_a_second_load_rewrites_nothing(store_dir):
    run("load", "--store", store_dir)
    assert "loaded 0," in run("load", "--store", store_dir).output


def test_query_prints_sparql_json(store_dir):
    run("load", "--store", store_dir)
    result = run("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/earthcode/ontology#Product> }",
                 "--store", store_dir)
    assert json.loads(result.output)["results"]["bindings"][0]["n"]["value"] == "6"


def test_query_csv_and_turtle(store_dir):
    run("load", "--store", store_dir)
    csv = run("query", "SELECT ?s WHERE { ?s a <https://w3id.org/earthcode/ontology#Theme> }", "--format", "csv",
              "--store", store_dir)
    assert csv.output.splitlines()[0].strip() == "s"
    ttl = run("query", "CONSTRUCT WHERE { ?s a <https://w3id.org/earthcode/ontology#Theme> }", "--format", "turtle",
              "--store", store_dir)
    assert "ontology#Theme>" in ttl.output


def test_a_malformed_query_is_a_usage_error(store_dir):
    result = CliRunner().invoke(main, ["query", "SELEC nothing", "--store", store_dir])
    assert result.exit_code == 2 and "invalid SPARQL" in result.output


def test_a_base_iri_that_is_not_an_iri_is_a_usage_error(store_dir):
    result = CliRunner().invoke(main, ["load", "--store", store_dir, "--base-iri", "my catalog"])
    assert result.exit_code == 2
    assert "base IRI 'my catalog/' is not an absolute IRI" in result.output


def test_export_nquads_keeps_named_graphs(store_dir, tmp_path):
    run("load", "--store", store_dir)
    out = tmp_path / "dump.nq"
    assert run("export", "--format", "nq", "--store", store_dir, "--output", str(out)).exit_code == 0
    first = out.read_text().splitlines()[0]
    assert first.endswith("> .") and first.count("<") >= 3


def test_the_console_script_is_installed():
    result = subprocess.run([sys.executable, "-m", "earthcode_kg.cli", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "load" in result.stdout
