"""IRIs are minted from catalog paths under the base IRI, and hrefs resolve against the linking file."""

import pytest

from loaders.iris import DEFAULT_SELF_PREFIX, Minter, Target

BASE = "https://example.org/kg/"
m = Minter(BASE)


def test_entity_iris_are_minted_from_the_type_folder_and_the_folder_name():
    assert m.classify("products/polaris/collection.json").entity == BASE + "products/polaris"
    assert m.classify("workflows/polaris/record.json").entity == BASE + "workflows/polaris"
    assert m.classify("experiments/polaris/record.json").entity == BASE + "experiments/polaris"


@pytest.mark.parametrize("base", ["not an iri", "relative/path/", "https://example.org/a b/"])
def test_a_base_iri_nothing_valid_could_be_minted_under_is_refused(base):
    with pytest.raises(ValueError, match="base IRI .* is not an absolute IRI"):
        Minter(base)


def test_a_self_prefix_that_is_not_an_iri_is_refused():
    with pytest.raises(ValueError, match="self prefix"):
        Minter(BASE, "esa earthcode/")


def test_ids_reused_across_types_get_distinct_iris():
    iris = {m.classify(f"{t}/polaris/{f}").entity for t, f in
            [("products", "collection.json"), ("workflows", "record.json"), ("experiments", "record.json")]}
    assert len(iris) == 3


def test_root_and_type_catalogs_have_their_own_iris():
    assert m.classify("catalog.json").entity == BASE + "catalog"
    assert m.classify("variables/catalog.json").entity == BASE + "variables"


def test_product_items_are_minted_from_their_file_name_not_their_id():
    info = m.classify("products/polaris/item.json")
    assert (info.kind, info.entity) == ("product-item", BASE + "products/polaris/items/item")


def test_experiment_yaml_files_are_configuration_and_environment_entities():
    assert m.classify("experiments/x/input.yaml").kind == "input-configuration"
    assert m.classify("experiments/x/environment.yaml").kind == "execution-environment"
    assert m.classify("experiments/x/input.yaml").entity == BASE + "experiments/x/input"


def test_files_outside_the_layout_describe_no_entity():
    assert m.classify("themes/land/land/catalog.json").entity is None
    assert m.classify("README.md").kind == "file"


def test_document_iris_are_the_base_plus_the_catalog_path():
    assert m.document("products/polaris/collection.json") == BASE + "products/polaris/collection.json"


def test_unusual_characters_in_ids_are_percent_encoded():
    assert m.entity("product", "a b") == BASE + "products/a%20b"


def test_relative_hrefs_resolve_against_the_linking_file():
    t = m.resolve("products/polaris/collection.json", "../../projects/cif/collection.json")
    assert (t.path, t.external) == ("projects/cif/collection.json", None)


def test_self_prefix_hrefs_map_back_to_catalog_paths():
    t = m.resolve("products/a/collection.json", DEFAULT_SELF_PREFIX + "products/b/collection.json")
    assert t.path == "products/b/collection.json"


def test_external_hrefs_stay_external():
    t = m.resolve("products/a/collection.json", "https://doi.org/10.1/x")
    assert (t.path, t.external) == (None, "https://doi.org/10.1/x")


def test_hrefs_climbing_above_the_catalog_are_flagged():
    assert m.resolve("products/a/collection.json", "../../../x.json").escapes


def test_a_bare_hostname_is_a_relative_href_that_resolves_inside_the_catalog():
    assert m.resolve("products/a/collection.json", "www.climate.esa.int").path == "products/a/www.climate.esa.int"


def test_an_href_that_is_not_even_a_url_resolves_as_external():
    """``urlsplit`` raises on it; the link must still resolve (and the loader warn), not end the file's mapping."""
    assert m.resolve("products/x/collection.json", "http://[::1") == Target(None, "http://[::1")
