"""Links: every link is kept as a node (rel, href, media type, title, extension keys, resolved target), and the
relations that carry meaning become direct edges between entity IRIs.

Lineage is unified here: a product's experiment is stated by the product (`related` → experiment) or by the
experiment (`child`/`related` → product); both sides emit the same ``prov:wasGeneratedBy`` edge, each into its own
document's graph, so the lineage holds whichever side states it and the graph records who said it.
"""

from __future__ import annotations

from .context import Context
from .fields import extra, is_doi_url
from .ntriples import checked_iri, iri, lit
from .vocab import (
    P_CODE_REPOSITORY,
    P_CLOSE_MATCH,
    P_DEPICTION,
    P_DISTRIBUTION_URL,
    P_DOI,
    P_EXACT_MATCH,
    P_EXECUTION_ENVIRONMENT,
    P_HAS_PART,
    P_HREF,
    P_INPUT_CONFIGURATION,
    P_IS_PART_OF,
    P_IS_REFERENCED_BY,
    P_LANDING_PAGE,
    P_LINK,
    P_LINK_TYPE,
    P_REL,
    P_RELATION,
    P_SEE_ALSO,
    P_TARGET,
    P_TARGET_PATH,
    P_TITLE,
    P_USED,
    P_WAS_GENERATED_BY,
    P_WORKFLOW_DEFINITION,
)

_LINK_KEYS = {"rel", "href", "type", "title"}
_VIA_PREDICATE = {
    "product": P_LANDING_PAGE,
    "project": P_LANDING_PAGE,
    "theme": P_EXACT_MATCH,
    "variable": P_CLOSE_MATCH,
}
_CODE_RELS = {"git": P_CODE_REPOSITORY, "vcs": P_CODE_REPOSITORY}
_DEFINITION_RELS = {"application", "jupyter-notebook"}


def links(ctx: Context, subject: str, value: object, where: str = "links") -> None:
    if ctx.expect(value, list, where) is None:
        return
    add = ctx.add
    for i, link in enumerate(value):
        if type(link) is not dict:
            ctx.expect(link, dict, f"{where}[{i}]")  # an error unless it is null
            continue
        rel = _string(ctx, link, "rel", where, i)
        node = ctx.triples.node("link")
        add(subject, P_LINK, node)
        if rel is not None:
            add(node, P_REL, lit(rel))
        media_type = _string(ctx, link, "type", where, i)
        if media_type is not None:
            add(node, P_LINK_TYPE, lit(media_type))
        title = _string(ctx, link, "title", where, i)
        if title is not None:
            add(node, P_TITLE, lit(title))
        href = _string(ctx, link, "href", where, i)
        if not _LINK_KEYS.issuperset(link):  # fields besides rel, href, type and title
            for key, v in link.items():
                if key not in _LINK_KEYS:
                    extra(ctx, node, key, v)
        if href is None:
            continue
        add(node, P_HREF, lit(href))
        target = _resolve(ctx, node, href)
        if target is not None and rel is not None:
            _semantic_edge(ctx, subject, rel, *target)


def _string(ctx: Context, link: dict, key: str, where: str, i: int) -> str | None:
    """A link's string field, or None (with an error naming the field when it has another JSON type).

    The hot path of every load (links are over half of all statements), so the field's name is only spelled out
    when there is an error to report.
    """
    v = link.get(key)
    if v is None or type(v) is str:
        return v
    ctx.expect(v, str, f"{where}[{i}].{key}")
    return None


def _resolve(ctx: Context, node: str, href: str) -> tuple[str, str | None] | None:
    """Record where ``href`` points; return (target IRI, target kind or None for external)."""
    doi = is_doi_url(href) or _bare_doi(href)
    t = ctx.minter.resolve(ctx.path, f"https://doi.org/{doi}" if doi else href)
    if t.external is not None:
        target = checked_iri(t.external)
        if target is None:
            ctx.warning(f"link href {href!r} is not a valid IRI")
            return None
        ctx.add(node, P_TARGET, target)
        return target, None
    if t.escapes:
        # Nothing can be minted outside the catalog: keep the path so the audit can show where it went.
        ctx.add(node, P_TARGET_PATH, lit(t.path))
        ctx.warning(f"link href {href!r} points outside the catalog")
        return None
    info = ctx.minter.classify(t.path)
    target = iri(info.entity or ctx.minter.document(t.path))
    ctx.add(node, P_TARGET, target)
    return target, info.kind


def _bare_doi(href: str) -> str | None:
    """A DOI written without its resolver (``10.1109/x``) is a DOI, not a relative path inside the catalog."""
    return href.strip() if href.strip().startswith("10.") and "/" in href else None


def _semantic_edge(ctx: Context, subject: str, rel: str, target: str, kind: str | None) -> None:
    source = ctx.info.kind
    internal = kind is not None
    if rel in ("child", "item"):
        if internal:
            ctx.add(subject, P_HAS_PART, target)
            if source == "experiment" and kind == "product":
                ctx.add(target, P_WAS_GENERATED_BY, subject)
        elif source == "product":
            ctx.add(subject, P_DISTRIBUTION_URL, target)
    elif rel == "parent" and internal:
        ctx.add(subject, P_IS_PART_OF, target)
    elif rel == "related":
        if internal:
            ctx.add(subject, P_RELATION, target)
            if source == "product" and kind == "experiment":
                ctx.add(subject, P_WAS_GENERATED_BY, target)
            elif source == "experiment" and kind == "product":
                ctx.add(target, P_WAS_GENERATED_BY, subject)
        else:
            ctx.add(subject, P_SEE_ALSO, target)
    elif rel == "via":
        ctx.add(subject, _VIA_PREDICATE.get(source, P_SEE_ALSO) if not internal else P_SEE_ALSO, target)
    elif rel == "input" and source == "experiment":
        ctx.add(subject, P_USED, target)
        if kind == "input-configuration":
            ctx.add(subject, P_INPUT_CONFIGURATION, target)
    elif rel == "environment" and source == "experiment":
        ctx.add(subject, P_EXECUTION_ENVIRONMENT, target)
    elif rel in _CODE_RELS:
        ctx.add(subject, _CODE_RELS[rel], target)
    elif rel in _DEFINITION_RELS:
        ctx.add(subject, P_WORKFLOW_DEFINITION, target)
    elif rel == "preview":
        ctx.add(subject, P_DEPICTION, target)
    elif rel == "example":
        ctx.add(subject, P_IS_REFERENCED_BY, target)
    elif rel == "cite-as":
        doi = is_doi_url(target[1:-1])
        if doi:
            ctx.add(subject, P_DOI, lit(doi))
        else:
            ctx.add(subject, P_IS_REFERENCED_BY, target)
