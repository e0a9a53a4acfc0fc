"""The loader survives every quirk class of the real catalog (field guide §5), on a fixture that has each of them."""

import pytest

from earthcode_kg.ingest import ingest
from tests.conftest import BASE, QUIRKS_CATALOG
from tests.rdf_helpers import ask, rows, values

P, W, E = BASE + "products/", BASE + "workflows/", BASE + "experiments/"


@pytest.fixture
def quirks(store, settings):
    summary = ingest(store, QUIRKS_CATALOG, settings)
    store.summary = summary
    return store


def issues(store, path: str, severity: str = "error") -> list[str]:
    return [i.message for i in store.summary.issues if i.path == path and i.severity == severity]


# --- broken files: named, explained, and nothing else lost ------------------------------------------------------------
def test_invalid_json_is_reported_with_the_file_and_position(quirks):
    (msg,) = issues(quirks, "products/broken-json/collection.json")
    assert msg.startswith("invalid JSON") and "line" in msg


def test_invalid_utf8_is_reported(quirks):
    (msg,) = issues(quirks, "products/invalid-utf8/collection.json")
    assert msg.startswith("not valid UTF-8")


def test_invalid_yaml_is_reported(quirks):
    (msg,) = issues(quirks, "experiments/bad-yaml/input.yaml")
    assert msg.startswith("invalid YAML")


def test_wrong_json_types_name_the_field(quirks):
    msgs = issues(quirks, "products/wrong-types/collection.json")
    assert any("`links` must be an array, found a string" in m for m in msgs)
    assert any("`keywords` must be an array" in m for m in msgs)


def test_a_broken_file_still_has_its_document_with_the_error(quirks):
    assert values(quirks, "SELECT ?e WHERE { ?d ec:path 'products/broken-json/collection.json' ; ec:loadError ?e }")


def test_broken_files_do_not_stop_the_rest_of_the_catalog(quirks):
    assert len(values(quirks, "SELECT ?p WHERE { ?p a ec:Product }")) >= 6
    assert quirks.summary.loaded == sum(quirks.summary.files_by_kind.values())


# --- identity --------------------------------------------------------------------------------------------------------
def test_an_id_reused_across_types_is_three_distinct_entities(quirks):
    assert ask(quirks, "ASK { ?p a ec:Product . ?w a ec:Workflow . ?e a ec:Experiment }",
               p=P + "driftwatch", w=W + "driftwatch", e=E + "driftwatch")


@pytest.mark.parametrize("id_", ["Hydrology-4D", "l3_water-level"])
def test_ids_that_are_not_lowercase_slugs_keep_their_spelling(quirks, id_):
    assert ask(quirks, "ASK { ?p a ec:Product }", p=P + id_)


def test_a_stale_self_href_does_not_change_the_entity_iri(quirks):
    assert ask(quirks, "ASK { ?p a ec:Product }", p=P + "stale-self-product")
    target = values(quirks, "SELECT ?t WHERE { ?p ec:link ?l . ?l ec:rel 'self' ; ec:target ?t }", p=P + "stale-self-product")
    assert target == {P + "sea-ice-thickness"}


def test_duplicate_item_ids_in_two_folders_are_two_items(quirks):
    items = values(quirks, "SELECT ?i WHERE { ?i a ec:ProductItem ; dct:identifier 'sea-ice-thickness-2019' }")
    assert len(items) == 2


def test_an_item_whose_collection_differs_from_its_folder_keeps_both_facts(quirks):
    (r,) = rows(quirks, "SELECT ?coll ?parent WHERE { ?i ec:collectionId ?coll ; dct:isPartOf ?parent }",
                i=P + "sea-ice-thickness/items/foreign-collection-item")
    assert (r["coll"], r["parent"]) == ("l3_water-level", P + "sea-ice-thickness")


def test_a_repeated_link_is_kept_twice(quirks):
    hrefs = rows(quirks, "SELECT ?l ?h WHERE { ?p ec:link ?l . ?l ec:rel 'via' ; ec:href ?h }", p=P + "stale-self-product")
    assert len(hrefs) > len({r["h"] for r in hrefs})


def test_a_dangling_href_points_at_an_iri_nothing_describes(quirks):
    (t,) = values(quirks, "SELECT ?t WHERE { ?p ec:link/ec:target ?t FILTER(CONTAINS(STR(?t), 'land/land')) }",
                  p=P + "stale-self-product")
    assert not ask(quirks, "ASK { ?t ?p ?o }", t=t)


# --- types and values ------------------------------------------------------------------------------------------------
def test_duplicated_json_keys_keep_the_last_value_and_are_recorded(quirks):
    p = BASE + "projects/duplicate-key-project"
    assert values(quirks, "SELECT ?s WHERE { ?p ec:status ?s }", p=p) == {"completed"}
    assert values(quirks, "SELECT ?k WHERE { ?d foaf:primaryTopic ?p ; ec:duplicateKey ?k }", p=p) == {"osc:status"}


def test_mojibake_is_loaded_as_is_and_warned_about(quirks):
    assert any("mojibake" in m for m in issues(quirks, "variables/sea-ice/catalog.json", "warning"))


@pytest.mark.parametrize("wf, expected", [("driftwatch", "true"), ("notebook-workflow", "true"), ("glacier-workflow-v1.0.2", "true")])
def test_application_container_true_string_or_list_is_one_boolean(quirks, wf, expected):
    assert values(quirks, "SELECT ?c WHERE { ?w ec:containerised ?c }", w=W + wf) == {expected}


@pytest.mark.parametrize("wf", ["driftwatch", "notebook-workflow"])
def test_application_language_string_or_list(quirks, wf):
    assert values(quirks, "SELECT ?l WHERE { ?w schema:programmingLanguage ?l }", w=W + wf) == {"Python"}


def test_odd_link_keys_are_kept_as_json(quirks):
    extras = values(quirks, "SELECT ?x WHERE { ?w ec:link/ec:extraFields ?x }", w=W + "driftwatch")
    assert any("argo-workflow:" in x for x in extras) and any("jupyter:kernel" in x for x in extras)


def test_top_level_record_title_and_string_themes_are_kept(quirks):
    (extra,) = values(quirks, "SELECT ?x WHERE { ?w ec:extraFields ?x }", w=W + "driftwatch")
    assert '"themes":["ocean"]' in extra and '"title"' in extra


@pytest.mark.parametrize("product", ["l3_water-level", "Hydrology-4D"])
def test_dois_bare_or_as_urls_are_normalised(quirks, product):
    (doi,) = values(quirks, "SELECT ?d WHERE { ?p ec:doi ?d }", p=P + product)
    assert doi.startswith("10.")


def test_licence_spellings_are_normalised_to_spdx(quirks):
    lic = values(quirks, "SELECT ?l WHERE { ?i dct:license ?l }", i=P + "sea-ice-thickness/items/sea-ice-thickness-2019")
    assert lic == {"http://spdx.org/licenses/CC-BY-4.0"}


def test_an_unknown_licence_spelling_is_kept_and_warned_about(quirks):
    i = P + "sea-ice-thickness/items/sea-ice-thickness-2020"
    assert values(quirks, "SELECT ?l WHERE { ?i ec:licenseId ?l }", i=i) == {"CC-BY.4.0"}
    assert not values(quirks, "SELECT ?l WHERE { ?i dct:license ?l }", i=i)


def test_contact_role_typos_are_kept_verbatim(quirks):
    assert "consoritum_member" in values(quirks, "SELECT ?r WHERE { ?p ec:contact/ec:role ?r }",
                                         p=BASE + "projects/duplicate-key-project")


def test_a_repeated_osc_theme_scheme_contributes_all_its_concepts(quirks):
    themes = values(quirks, "SELECT ?t WHERE { ?v dcat:theme ?t }", v=BASE + "variables/sea-ice")
    assert len(themes) >= 2


def test_a_theme_concept_naming_no_theme_points_at_an_undescribed_iri(quirks):
    assert BASE + "themes/ocean" in values(quirks, "SELECT ?t WHERE { ?p dcat:theme ?t }", p=P + "stale-self-product")
    assert not ask(quirks, "ASK { ?t a ec:Theme }", t=BASE + "themes/ocean")


def test_several_bboxes_become_several_locations(quirks):
    assert len(values(quirks, "SELECT ?l WHERE { ?p dct:spatial ?l }", p=P + "l3_water-level")) == 3


@pytest.mark.parametrize("literal", ["created", "modified"])
def test_dates_with_microseconds_or_offsets_are_xsd_datetimes(quirks, literal):
    (dt,) = values(quirks, f"SELECT (DATATYPE(?d) AS ?t) WHERE {{ ?p dct:{literal} ?d }}", p=P + "l3_water-level")
    assert dt.endswith("#dateTime")


def test_null_item_datetime_is_left_out_and_zone_less_datetimes_are_kept(quirks):
    assert not values(quirks, "SELECT ?d WHERE { ?i ec:datetime ?d }", i=P + "sea-ice-thickness/items/sea-ice-thickness-2019")
    assert values(quirks, "SELECT ?d WHERE { ?i ec:datetime ?d }", i=P + "sea-ice-thickness/items/sea-ice-thickness-2020")


def test_empty_yaml_files_are_described_as_empty(quirks):
    assert ask(quirks, "ASK { ?c a ec:InputConfiguration ; ec:isEmpty true }", c=E + "driftwatch/input")


def test_absent_yaml_files_leave_the_experiment_pointing_at_nothing(quirks):
    (used,) = values(quirks, "SELECT ?i WHERE { ?e ec:inputConfiguration ?i }", e=E + "missing-yaml")
    assert not ask(quirks, "ASK { ?i a ?c }", i=used)


def test_git_url_inputs_are_used_as_external_resources(quirks):
    used = values(quirks, "SELECT ?i WHERE { ?e prov:used ?i }", e=E + "git-inputs")
    assert used and all(u.startswith("https://") for u in used)


def test_crlf_files_are_recorded(quirks):
    assert values(quirks, "SELECT ?l WHERE { ?d ec:path 'themes/land/catalog.json' ; ec:lineEndings ?l }") == {"CRLF"}


def test_stac_1_1_files_load(quirks):
    assert values(quirks, "SELECT ?v WHERE { ?p ec:stacVersion ?v }", p=BASE + "projects/stac-110-project") == {"1.1.0"}


def test_unnormalised_rels_are_kept_verbatim(quirks):
    rels = values(quirks, "SELECT ?r WHERE { ?p ec:link/ec:rel ?r }", p=P + "sea-ice-thickness")
    assert {"Download", "download"} <= rels


def test_a_bare_doi_href_is_a_doi_not_a_catalog_path(store, settings, catalog_copy):
    path = catalog_copy / "products/arctic-sar-mosaics/collection.json"
    path.write_text(path.read_text().replace('"links": [', '"links": [{"rel": "cite-as", "href": "10.1109/JSTARS.2023.3287285"},', 1))
    ingest(store, catalog_copy, settings)
    assert "10.1109/JSTARS.2023.3287285" in values(store, "SELECT ?d WHERE { ?p ec:doi ?d }", p=P + "arctic-sar-mosaics")
