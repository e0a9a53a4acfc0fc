"""Entity pages for people: titles instead of IRIs, key facts, the lineage of a product, links, extents and contacts
as tables, dangling references marked, escaped descriptions — and still the JSON-LD, the alternates and every
statement (folded away)."""

from __future__ import annotations

import html as htmllib
import re

import orjson
import pytest
from pyoxigraph import NamedNode

from graph_service.app import close_app
from tests.conftest import BASE, QUIRKS_CATALOG
from tests.service_fixtures import app_on, ready

pytest_plugins = ["tests.service_fixtures"]
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def page(client, path: str) -> str:
    r = client.get(path, headers=HTML)
    assert r.status_code == 200 and r.mimetype == "text/html", r.data[:500]
    return r.data.decode()


def section(html: str, id_: str) -> str:
    """The HTML of ``<section id=…>`` (sections are not nested in the template)."""
    m = re.search(rf'<section id="{id_}"[^>]*>(.*?)</section>', html, re.DOTALL)
    assert m, f"no section {id_!r}"
    return m.group(1)


def readable(html: str) -> str:
    """The page without its folded table of all statements (the raw view, where IRIs are expected)."""
    return html.split('<section id="statements">')[0]


def text(html: str) -> str:
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def section_text(html: str, cls: str) -> str:
    return text(re.search(rf'<div class="{cls}">(.*?)</div>', html, re.DOTALL).group(1))


@pytest.fixture(scope="module")
def quirks_app(request, backend):
    app = app_on(request, backend, QUIRKS_CATALOG)
    yield app
    close_app(app)


@pytest.fixture
def quirks(quirks_app):
    return ready(quirks_app).test_client()


# -- naming records ---------------------------------------------------------------------------------------------------
def test_related_records_are_shown_by_title_and_link_to_their_pages(client):
    html = page(client, "/products/arctic-sea-ice-classification")
    related = section(html, "related")
    for path, title in (("projects/polar-ice-monitoring", "Polar Ice Monitoring Service"),
                        ("themes/cryosphere", "Cryosphere"), ("variables/sea-ice-extent", "Sea Ice Extent"),
                        ("eo-missions/sentinel-1", "Sentinel-1"),
                        ("experiments/sea-ice-classification-2024", "Sea Ice Type Classification 2024")):
        assert re.search(rf'<a href="http://localhost/{path}" title="{BASE}{path}">{re.escape(title)}</a>', related)
    # outside the raw view, no IRI of the graph is shown as the name of a link
    assert not re.search(rf">\s*{re.escape(BASE)}(?!products/arctic-sea-ice-classification<)", readable(html)
                         .replace(f"<code>{BASE}products/arctic-sea-ice-classification</code>", ""))
    assert "collection.json#link-" not in readable(html)


def test_kinds_are_named_from_the_ontology(client):
    related = section(page(client, "/products/arctic-sea-ice-classification"), "related")
    assert '<span class="kind">Project</span>' in related and '<span class="kind">EO mission</span>' in related


def test_an_untitled_input_configuration_is_named_after_its_experiment(client):
    html = page(client, "/experiments/sea-ice-classification-2024/input")
    assert "<h1>Input configuration of Sea Ice Type Classification 2024</h1>" in html
    assert "hh_threshold" in section(html, "parameters")


def test_one_labels_query_per_page(demo_app, client, monkeypatch):
    store = demo_app.extensions["earthcode_kg"].store
    calls = []
    original = store.select

    def counting(query, bindings=None, **kw):
        if "title: Labels of resources" in query:
            calls.append(bindings)
        return original(query, bindings, **kw)

    monkeypatch.setattr(store, "select", counting)
    page(client, "/themes/cryosphere")
    assert len(calls) == 1
    # every IRI is one row of bound terms (never free text in the query)
    assert {"iri": NamedNode(f"{BASE}products/arctic-sar-mosaics")} in calls[0]


# -- header -----------------------------------------------------------------------------------------------------------
def test_header_has_kind_title_description_and_key_facts(client):
    html = page(client, "/products/arctic-sea-ice-classification")
    assert '<p class="entity-kind">Product</p>' in html
    assert "<h1>Arctic Sea Ice Type Classification Maps</h1>" in html
    assert "derived from Sentinel-1 SAR mosaics" in section_text(html, "description")
    facts = text(re.search(r'<dl class="facts">(.*?)</dl>', html, re.DOTALL).group(1))
    for expected in ("Status ongoing", "Licence CC-BY-4.0", "DOI 10.5281/zenodo.1234567", "Created 2025-01-10",
                     "Modified 2025-02-25 14:00 UTC", "Time period 2024-01-01 – 2024-12-31 23:59 UTC",
                     "Spatial extent longitude −180 to 180, latitude 60 to 90", "Region Arctic Ocean",
                     "Keywords Arctic classification sea ice"):
        assert expected in facts
    assert '<a href="https://doi.org/10.5281/zenodo.1234567">10.5281/zenodo.1234567</a>' in html
    assert '<a href="http://spdx.org/licenses/CC-BY-4.0">CC-BY-4.0</a>' in html


def test_html_in_a_description_is_escaped(quirks):
    html = page(quirks, "/products/Hydrology-4D")
    description = re.search(r'<div class="description">(.*?)</div>', html, re.DOTALL).group(1)
    assert "&lt;b&gt;4D&lt;/b&gt;" in description
    assert "<b>" not in description and "<br/>" not in description


# -- lineage ----------------------------------------------------------------------------------------------------------
def test_a_product_page_shows_its_lineage(client):
    lineage = section(page(client, "/products/arctic-ice-edge-lines"), "lineage")
    flat = text(lineage)
    assert "Generated by Ice Edge Extraction 2024" in flat and "Workflow Ice Edge Extraction" in flat
    assert '<a href="http://localhost/products/arctic-sea-ice-classification"' in lineage  # the input product
    # the input's own lineage, from the same tree as /api/products/<id>/lineage
    assert "Lineage of Arctic Sea Ice Type Classification Maps" in flat
    assert "Generated by Sea Ice Type Classification 2024" in flat
    assert "hh_threshold" in flat and "-18.5" in flat
    assert "sea-ice-classifier==0.4.1" in flat  # its environment
    assert "Arctic Sentinel-1 SAR Mosaics" in flat and "no experiment in the catalog generated it" in flat


def test_a_product_page_lists_the_products_derived_from_it(client):
    derived = text(section(page(client, "/products/arctic-sar-mosaics"), "derived"))
    assert "Arctic Sea Ice Type Classification Maps" in derived and "Arctic Sea Ice Edge Lines" in derived


def test_a_product_without_an_experiment_says_so(client):
    assert "No experiment in the catalog generated this product." in page(client, "/products/arctic-sar-mosaics")


def test_experiment_and_workflow_pages_show_their_products(client):
    experiment = page(client, "/experiments/sea-ice-classification-2024")
    related = text(section(experiment, "related"))
    assert "Products generated Arctic Sea Ice Type Classification Maps" in related
    assert "Used (inputs) Arctic Sentinel-1 SAR Mosaics" in related
    assert "hh_threshold" in section(experiment, "parameters")
    assert "conda-forge" in section(experiment, "environment")
    workflow = text(section(page(client, "/workflows/ice-edge-extraction"), "related"))
    assert "Experiments that ran this workflow Ice Edge Extraction 2024" in workflow
    assert "Products generated Arctic Sea Ice Edge Lines" in workflow


# -- dangling references ----------------------------------------------------------------------------------------------
def test_a_dangling_reference_is_marked_and_not_linked(quirks):
    html = readable(page(quirks, "/products/stale-self-product"))
    assert re.search(rf'<span class="dangling" title="{BASE}themes/ocean: [^"]*"><s>themes/ocean</s> '
                     r'<span class="badge warn">not in catalog</span>', html)
    assert 'href="http://localhost/themes/ocean"' not in html
    # the link table marks the wrongly nested theme link the same way
    assert re.search(r'<span class="dangling"[^>]*><s>Theme: Land</s>', section(html, "links"))


def test_a_missing_lineage_input_is_marked(quirks):
    lineage = section(page(quirks, "/products/l3_water-level"), "lineage")
    assert re.search(rf'<span class="dangling" title="{BASE}experiments/missing-yaml/input:', lineage)


# -- links, extents, contacts, assets ---------------------------------------------------------------------------------
def test_links_are_a_table(client):
    links = section(page(client, "/products/arctic-sea-ice-classification"), "links")
    rows = re.findall(r"<tr>(.*?)</tr>", links, re.DOTALL)
    assert len(rows) == 1 + 10  # the header and the record's ten links
    via = next(text(r) for r in rows if "<code>via</code>" in r)
    assert "Zenodo record" in via and "text/html" in via
    assert '<a href="https://doi.org/10.5281/zenodo.1234567" class="external">' in links
    # relative hrefs resolve against the source file's public URL; the target is named by its title
    project = next(r for r in rows if "projects/polar-ice-monitoring" in r)
    assert ('<a href="https://esa-earthcode.github.io/open-science-catalog-metadata/projects/polar-ice-monitoring/'
            'collection.json" class="external">../../projects/polar-ice-monitoring/collection.json</a>') in project
    assert ">Polar Ice Monitoring Service</a>" in project


def test_contacts_are_a_table(client):
    contacts = section(page(client, "/projects/polar-ice-monitoring"), "contacts")
    assert "Anna Lindqvist" in contacts and "technical officer" in contacts
    assert '<a href="mailto:anna.lindqvist@esa.int">anna.lindqvist@esa.int</a>' in contacts
    assert "NORDIC ICE SERVICES AS (NO)" in contacts


def test_an_item_shows_its_assets_and_product(client):
    html = page(client, "/products/alpine-glacier-elevation-change/items/aletsch-dh-2019")
    assert '<p class="entity-kind">Product item</p>' in html
    assert "s3.example.org/glacier-change-initiative/aletsch/dh_2019.tif" in section(html, "assets")
    assert ">Alpine Glacier Elevation Change</a>" in section(html, "related")
    assert "longitude 7.85 to 8.15, latitude 46.35 to 46.6" in text(html)


# -- every kind -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path, kind, title", [
    ("/products/arctic-sea-ice-classification", "Product", "Arctic Sea Ice Type Classification Maps"),
    ("/projects/polar-ice-monitoring", "Project", "Polar Ice Monitoring Service"),
    ("/themes/cryosphere", "Theme", "Cryosphere"),
    ("/variables/sea-ice-extent", "Variable", "Sea Ice Extent"),
    ("/eo-missions/sentinel-1", "EO mission", "Sentinel-1"),
    ("/workflows/ice-edge-extraction", "Workflow", "Ice Edge Extraction"),
    ("/experiments/sea-ice-classification-2024", "Experiment", "Sea Ice Type Classification 2024"),
    ("/experiments/sea-ice-classification-2024/environment", "Execution environment", "sea-ice-cnn"),
    ("/products", "Type catalog", "Products"),
    ("/catalog.json", "Source document", "catalog.json"),
    ("/products/arctic-sar-mosaics/collection.json", "Source document", "products/arctic-sar-mosaics/collection.json"),
    ("/catalog", "Catalogue", "EarthCODE Open Science Catalog"),
])
def test_every_kind_of_page_reads(client, path, kind, title):
    html = page(client, path)
    assert f'<p class="entity-kind">{kind}</p>' in html
    assert f"<h1>{htmllib.escape(title)}</h1>" in html
    assert '<details class="statements">' in html and f'<link rel="canonical" href="{BASE}' in html


def test_theme_page_lists_its_products(client):
    related = text(section(page(client, "/themes/cryosphere"), "related"))
    assert "Products Alpine Glacier Elevation Change" in related and "Arctic Sentinel-1 SAR Mosaics" in related


# -- what is kept -----------------------------------------------------------------------------------------------------
def test_json_ld_alternates_and_all_statements_are_kept(client):
    html = page(client, "/products/arctic-sea-ice-classification")
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert orjson.loads(script)["name"] == "Arctic Sea Ice Type Classification Maps"
    assert f'<link rel="canonical" href="{BASE}products/arctic-sea-ice-classification">' in html
    for media in ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"):
        assert f'<link rel="alternate" type="{media}"' in html and f">{media}</a>" in html
    statements = section(html, "statements")
    assert "<summary>All statements (" in statements
    assert "collection.json#link-7" in statements and "ec:oscField" in statements  # nothing hidden
    assert '<a href="http://localhost/api/products/arctic-sea-ice-classification/lineage">' in html


def test_the_stylesheet_is_served(client):
    assert '<link rel="stylesheet" href="/static/style.css">' in page(client, "/themes/cryosphere")
    r = client.get("/static/style.css")
    assert r.status_code == 200 and r.mimetype == "text/css"
