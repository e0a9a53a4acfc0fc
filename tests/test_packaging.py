"""`pip install .` ships the data (ontology, shapes, queries, demo catalog, templates) inside the wheel, and the
installed package finds it at run time without the source tree."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
                   check=True, capture_output=True)
    (path,) = out.glob("earthcode_kg-*.whl")
    return path


def test_the_wheel_contains_the_data_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ontology/earthcode.ttl" in names
    assert "earthcode_kg/demo_catalog/catalog.json" in names
    assert "earthcode_kg/demo_catalog/experiments/sea-ice-classification-2024/input.yaml" in names
    assert {"shapes/templates/report.html", "graph_service/templates/resource.html",
            "graph_service/static/style.css", "graph_service/static/openapi.json"} <= names
    for folder, suffix in (("shapes", ".ttl"), ("queries", ".rq")):
        expected = {f"{folder}/{p.name}" for p in (ROOT / folder).glob("*" + suffix)}
        assert expected <= names


def test_the_installed_package_loads_its_demo_catalog_outside_the_source_tree(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    result = subprocess.run(
        [sys.executable, "-m", "earthcode_kg.cli", "load", "--store", str(tmp_path / "store"), "--quiet"],
        cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "0 files with errors" in result.stdout
