"""OGC API Records (workflows and experiments) → RDF.

A workflow is a ``prov:Plan``; an experiment is a ``prov:Activity`` associated with its workflow as the plan, that
used its inputs (``input`` link: a configuration file, a product, or an external URL) in an execution environment.
"""

from __future__ import annotations

from . import fields as f
from .context import Context
from .links import links
from .ntriples import checked_iri, iri, lit, typed
from .vocab import (
    A,
    C_ASSOCIATION,
    C_EXPERIMENT,
    C_WORKFLOW,
    P_APPLICATION_TYPE,
    P_CONFORMS_TO,
    P_CONTAINERISED,
    P_ENDED,
    P_HAD_PLAN,
    P_KERNEL_ENV_FILE,
    P_KERNEL_NAME,
    P_MISSION,
    P_OSC_TYPE,
    P_PRODUCT_REF,
    P_PROGRAMMING_LANGUAGE,
    P_PROJECT,
    P_PYTHON_VERSION,
    P_QUALIFIED_ASSOCIATION,
    P_RECORD_TYPE,
    P_REGION,
    P_STARTED,
    P_STATUS,
    P_VARIABLE,
    P_VERSION,
    P_WAS_GENERATED_BY,
    P_WORKFLOW,
    XSD_ANYURI,
)

_TOP_LEVEL = {"id", "type", "conformsTo", "properties", "links"}
_PROPERTIES = {"type", "title", "description", "created", "updated", "keywords", "license", "themes", "contacts",
               "formats", "version", "osc:project", "osc:workflow", "osc:product", "osc:status", "osc:type",
               "osc:variables", "osc:missions", "osc:region", "application:type", "application:container",
               "application:language", "jupyter_kernel_info", "DOI", "start_datetime", "end_datetime"}


def map_record(ctx: Context, doc: dict) -> None:
    s = ctx.entity
    kind = ctx.info.kind
    ctx.add(s, A, C_WORKFLOW if kind == "workflow" else C_EXPERIMENT)
    f.identifier(ctx, s, doc.get("id"))
    if doc.get("type") != "Feature":
        ctx.error(f"`type` must be \"Feature\" for an OGC API Record, found {doc.get('type')!r}")
    for uri in f.string_list(ctx, doc.get("conformsTo", []), "conformsTo"):
        ctx.add(s, P_CONFORMS_TO, checked_iri(uri) or lit(uri, XSD_ANYURI))
    props = ctx.expect(doc.get("properties"), dict, "properties") or {}
    _properties(ctx, s, props)
    links(ctx, s, doc.get("links"))
    for key, value in doc.items():
        if key not in _TOP_LEVEL and not (key == "geometry" and value is None):  # linkTemplates, top-level title/themes
            f.extra(ctx, s, key, value)
    for key, value in props.items():
        if key not in _PROPERTIES:
            f.extra(ctx, s, "properties." + key, value)


def _properties(ctx: Context, s: str, p: dict) -> None:
    f.text(ctx, s, P_RECORD_TYPE, p.get("type"), "properties.type")
    f.title_and_description(ctx, s, p)
    f.created_updated(ctx, s, p)
    if "keywords" in p:
        f.keywords(ctx, s, p["keywords"])
    if "license" in p:
        f.license_(ctx, s, p["license"], "properties.license")
    if "themes" in p:
        f.themes(ctx, s, p["themes"], "properties.themes")
    if "contacts" in p:
        f.contacts(ctx, s, p["contacts"], "properties.contacts")
    if "formats" in p:
        f.formats(ctx, s, p["formats"])
    f.text(ctx, s, P_VERSION, p.get("version"), "properties.version")
    f.text(ctx, s, P_STATUS, p.get("osc:status"), "properties.osc:status")
    f.text(ctx, s, P_OSC_TYPE, p.get("osc:type"), "properties.osc:type")
    f.text(ctx, s, P_REGION, p.get("osc:region"), "properties.osc:region")
    for key, predicate, kind in (("osc:project", P_PROJECT, "project"), ("osc:workflow", P_WORKFLOW, "workflow"),
                                 ("osc:product", P_PRODUCT_REF, "product")):
        value = p.get(key)
        if ctx.expect(value, str, "properties." + key) is None or value is None:
            continue
        target = iri(ctx.minter.entity(kind, value))
        ctx.add(s, predicate, target)
        if key == "osc:workflow" and ctx.info.kind == "experiment":
            association = ctx.triples.node("association")
            ctx.add(s, P_QUALIFIED_ASSOCIATION, association)
            ctx.add(association, A, C_ASSOCIATION)
            ctx.add(association, P_HAD_PLAN, target)
        elif key == "osc:product" and ctx.info.kind == "experiment":
            ctx.add(target, P_WAS_GENERATED_BY, s)
    for key, predicate, kind in (("osc:variables", P_VARIABLE, "variable"), ("osc:missions", P_MISSION, "eo-mission")):
        for ref in f.string_list(ctx, p.get(key, []), "properties." + key):
            ctx.add(s, predicate, iri(ctx.minter.entity(kind, ref)))
    if "DOI" in p:
        f.doi(ctx, s, p["DOI"], "properties.DOI")
    if ctx.info.kind == "experiment":
        for key, predicate in (("start_datetime", P_STARTED), ("end_datetime", P_ENDED)):
            if p.get(key) is not None:
                f.datetime(ctx, s, predicate, p[key], "properties." + key)
    elif "start_datetime" in p or "end_datetime" in p:
        f.period(ctx, s, p.get("start_datetime"), p.get("end_datetime"), "properties.start_datetime/end_datetime")
    software(ctx, s, p)


def software(ctx: Context, s: str, p: dict) -> None:
    """Application and kernel fields, whose real-data forms vary (`true`, `"true"`, `["true"]`; `"Python"`, `["Python"]`)."""
    f.text(ctx, s, P_APPLICATION_TYPE, p.get("application:type"), "application:type")
    container = p.get("application:container")
    if container is not None:
        flag = _truthy(container)
        if flag is None:
            ctx.warning(f"`application:container` is not a boolean: {container!r}")
        else:
            ctx.add(s, P_CONTAINERISED, typed(flag))
    language = p.get("application:language")
    for lang in [language] if isinstance(language, str) else f.string_list(ctx, language or [], "application:language"):
        ctx.add(s, P_PROGRAMMING_LANGUAGE, lit(lang))
    kernel = p.get("jupyter_kernel_info")
    if ctx.expect(kernel, dict, "jupyter_kernel_info") is not None and kernel is not None:
        f.text(ctx, s, P_KERNEL_NAME, kernel.get("name"), "jupyter_kernel_info.name")
        version = kernel.get("python_version")
        if version is not None:
            # A JSON number (3.11) is kept as written; note that "3.10" written as a number reads 3.1.
            ctx.add(s, P_PYTHON_VERSION, lit(str(version)))
        env = kernel.get("env_file")
        target = checked_iri(env) if isinstance(env, str) else None
        if target:
            ctx.add(s, P_KERNEL_ENV_FILE, target)


def _truthy(value: object) -> bool | None:
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None

