"""STAC Catalogs, Collections and Items → RDF: root and type catalogs, themes, variables, EO missions (SKOS concepts),
projects, products (DCAT datasets) and product items.

The mapping works on the parsed JSON directly: pystac's object model would validate and resolve links for us, but
it normalises away the very defects the audits must see (relative/absolute hrefs, duplicate links, stale `self`), and
costs ~0.3 s over the catalog before any RDF is written (see benchmarks/RESULTS.md).
"""

from __future__ import annotations

from . import fields as f
from .context import Context
from .links import links
from .ntriples import checked_iri, iri, lit
from .vocab import (
    A,
    C_ASSET,
    C_CATALOG,
    C_CONCEPT_SCHEME,
    C_EO_MISSION,
    C_GEOMETRY,
    C_PRODUCT,
    C_PRODUCT_ITEM,
    C_PROJECT,
    C_THEME,
    C_TYPE_CATALOG,
    C_VARIABLE,
    P_ASSET,
    P_ASSET_ROLE,
    P_BROADER,
    P_CITATION,
    P_COLLECTION_ID,
    P_DATETIME,
    P_DEFINITION,
    P_DESCRIPTION,
    P_DOWNLOAD_URL,
    P_EXPERIMENT_REF,
    P_HAS_GEOMETRY,
    P_HAS_WORKFLOW,
    P_IN_SCHEME,
    P_ISSUED,
    P_KEY,
    P_LINK_TYPE,
    P_MISSION,
    P_OSC_TYPE,
    P_PREF_LABEL,
    P_PRODUCT_REF,
    P_PROJECT,
    P_REGION,
    P_STAC_EXTENSION,
    P_STAC_TYPE,
    P_STAC_VERSION,
    P_STATUS,
    P_TITLE,
    P_TOP_CONCEPT_OF,
    P_VARIABLE,
    P_VERSION,
    P_WAS_GENERATED_BY,
    XSD_ANYURI,
)

GEOJSON_LITERAL = "http://www.opengis.net/ont/geosparql#geoJSONLiteral"
P_AS_GEOJSON = "<http://www.opengis.net/ont/geosparql#asGeoJSON>"

_CLASS = {
    "catalog": C_CATALOG,
    "type-catalog": C_TYPE_CATALOG,
    "theme": C_THEME,
    "variable": C_VARIABLE,
    "eo-mission": C_EO_MISSION,
    "project": C_PROJECT,
    "product": C_PRODUCT,
    "product-item": C_PRODUCT_ITEM,
}
_CONCEPT_KINDS = {"theme": "themes", "variable": "variables", "eo-mission": "eo-missions"}
#: Keys every STAC kind maps explicitly; the rest go through the kind's own table or are kept as extra fields.
_COMMON = {"type", "id", "stac_version", "stac_extensions", "title", "description", "links", "keywords", "license",
           "created", "updated", "themes", "contacts", "extent"}


def map_stac(ctx: Context, doc: dict) -> None:
    s = ctx.entity
    kind = ctx.info.kind
    ctx.add(s, A, _CLASS[kind])
    f.identifier(ctx, s, doc.get("id"))
    f.text(ctx, s, P_STAC_VERSION, doc.get("stac_version"), "stac_version")
    f.text(ctx, s, P_STAC_TYPE, doc.get("type"), "type")
    for ext in f.string_list(ctx, doc.get("stac_extensions", []), "stac_extensions"):
        target = checked_iri(ext)
        ctx.add(s, P_STAC_EXTENSION, target or lit(ext, XSD_ANYURI))
    concept_scheme = _CONCEPT_KINDS.get(kind)
    f.title_and_description(ctx, s, doc, (P_PREF_LABEL, P_DEFINITION) if concept_scheme else None)
    if concept_scheme:
        scheme = iri(ctx.minter.scheme(concept_scheme))
        ctx.add(s, P_IN_SCHEME, scheme)
        if kind == "theme":
            ctx.add(s, P_TOP_CONCEPT_OF, scheme)
    if kind == "type-catalog" and ctx.info.folder in _CONCEPT_KINDS.values():
        ctx.add(s, A, C_CONCEPT_SCHEME)
    if "keywords" in doc:
        f.keywords(ctx, s, doc["keywords"])
    if "license" in doc:
        f.license_(ctx, s, doc["license"])
    f.created_updated(ctx, s, doc)
    if "themes" in doc:
        f.themes(ctx, s, doc["themes"])
        if kind == "variable":
            for theme in _osc_theme_ids(doc["themes"]):
                ctx.add(s, P_BROADER, iri(ctx.minter.entity("theme", theme)))
    if "contacts" in doc:
        f.contacts(ctx, s, doc["contacts"])
    if "extent" in doc:
        f.extent(ctx, s, doc["extent"])
    links(ctx, s, doc.get("links"))
    handled = _COMMON | _osc_fields(ctx, s, doc)
    if kind == "product-item":
        handled |= _item(ctx, s, doc)
    for key, value in doc.items():
        if key not in handled:
            f.extra(ctx, s, key, value)


def _osc_theme_ids(value: object) -> list[str]:
    if not isinstance(value, list):
        return []
    return [
        c["id"]
        for entry in value
        if isinstance(entry, dict) and entry.get("scheme") == f.OSC_THEME_SCHEME and isinstance(entry.get("concepts"), list)
        for c in entry["concepts"]
        if isinstance(c, dict) and isinstance(c.get("id"), str)
    ]


def _refs(ctx: Context, s: str, predicate: str, kind: str, value: object, where: str) -> None:
    for ref in f.string_list(ctx, value, where):
        ctx.add(s, predicate, iri(ctx.minter.entity(kind, ref)))


def _ref(ctx: Context, s: str, predicate: str, kind: str, value: object, where: str) -> None:
    if ctx.expect(value, str, where) is not None and value is not None:
        ctx.add(s, predicate, iri(ctx.minter.entity(kind, value)))


def _osc_fields(ctx: Context, s: str, doc: dict) -> set[str]:
    """The osc, sci and cf extension fields of products and projects (and wherever else they appear)."""
    handled = set()
    for key, value in doc.items():
        if key == "osc:type":
            f.text(ctx, s, P_OSC_TYPE, value, key)
        elif key == "osc:status":
            f.text(ctx, s, P_STATUS, value, key)
        elif key == "osc:region":
            f.text(ctx, s, P_REGION, value, key)
        elif key == "osc:project":
            _ref(ctx, s, P_PROJECT, "project", value, key)
        elif key == "osc:variables":
            _refs(ctx, s, P_VARIABLE, "variable", value, key)
        elif key == "osc:missions":
            _refs(ctx, s, P_MISSION, "eo-mission", value, key)
        elif key == "osc:workflows":
            _refs(ctx, s, P_HAS_WORKFLOW, "workflow", value, key)
        elif key == "osc:experiment":
            # A product's own statement of its lineage.
            _ref(ctx, s, P_EXPERIMENT_REF, "experiment", value, key)
            if isinstance(value, str):
                ctx.add(s, P_WAS_GENERATED_BY, iri(ctx.minter.entity("experiment", value)))
        elif key == "sci:doi":
            f.doi(ctx, s, value, key)
        elif key == "sci:citation":
            f.text(ctx, s, P_CITATION, value, key)
        elif key == "cf:parameter":
            f.cf_parameters(ctx, s, value)
        elif key == "version":
            f.text(ctx, s, P_VERSION, value, key)
        elif key == "published":
            f.datetime(ctx, s, P_ISSUED, value, key)
        else:
            continue
        handled.add(key)
    if "start_datetime" in doc or "end_datetime" in doc:
        f.period(ctx, s, doc.get("start_datetime"), doc.get("end_datetime"), "start_datetime/end_datetime")
        handled |= {"start_datetime", "end_datetime"}
    return handled


def _item(ctx: Context, s: str, doc: dict) -> set[str]:
    """Product items: collection, datetime, bbox, geometry, assets, and their free-form properties."""
    collection = doc.get("collection")
    if ctx.expect(collection, str, "collection") is not None and collection is not None:
        ctx.add(s, P_COLLECTION_ID, lit(collection))
        ctx.add(s, P_PRODUCT_REF, iri(ctx.minter.entity("product", collection)))
    if "bbox" in doc:
        f.spatial(ctx, s, [doc["bbox"]], "bbox")
    geometry = doc.get("geometry")
    if isinstance(geometry, dict):
        node = ctx.triples.node("geometry")
        ctx.add(s, P_HAS_GEOMETRY, node)
        ctx.add(node, A, C_GEOMETRY)
        ctx.add(node, P_AS_GEOJSON, f.json_literal(geometry, GEOJSON_LITERAL))
    props = ctx.expect(doc.get("properties"), dict, "properties") or {}
    for key, value in props.items():
        if key == "datetime":
            if value is not None:
                f.datetime(ctx, s, P_DATETIME, value, "properties.datetime")
        elif key in ("title", "description"):
            f.text(ctx, s, P_TITLE if key == "title" else P_DESCRIPTION, value, f"properties.{key}")
        elif key == "license":
            f.license_(ctx, s, value, "properties.license")
        elif key in ("created", "updated"):
            f.created_updated(ctx, s, {key: value})
        elif key in ("start_datetime", "end_datetime"):
            continue
        else:
            f.extra(ctx, s, "properties." + key, value)
    if "start_datetime" in props or "end_datetime" in props:
        f.period(ctx, s, props.get("start_datetime"), props.get("end_datetime"), "properties.start_datetime/end_datetime")
    for key, asset in (ctx.expect(doc.get("assets"), dict, "assets") or {}).items():
        if ctx.expect(asset, dict, f"assets.{key}") is None:
            continue
        node = ctx.triples.node("asset")
        ctx.add(s, P_ASSET, node)
        ctx.add(node, A, C_ASSET)
        ctx.add(node, P_KEY, lit(key))
        href = asset.get("href")
        if isinstance(href, str):
            t = ctx.minter.resolve(ctx.path, href)
            target = checked_iri(t.external) if t.external else iri(ctx.minter.document(t.path)) if not t.escapes else None
            if target:
                ctx.add(node, P_DOWNLOAD_URL, target)
        else:
            ctx.error(f"`assets.{key}.href` must be a string")
        f.text(ctx, node, P_LINK_TYPE, asset.get("type"), f"assets.{key}.type")
        f.text(ctx, node, P_TITLE, asset.get("title"), f"assets.{key}.title")
        for role in f.string_list(ctx, asset.get("roles", []), f"assets.{key}.roles"):
            ctx.add(node, P_ASSET_ROLE, lit(role))
        for k, v in asset.items():
            if k not in ("href", "type", "title", "roles"):
                f.extra(ctx, node, k, v)
    return {"collection", "bbox", "geometry", "properties", "assets"}

