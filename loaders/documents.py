"""One source file → one named graph.

Each file's graph holds a description of the file itself (an ``ec:SourceDocument``: its path, public URL, content
hash, size, load errors and warnings) and, when it parses, what the file says. A file that cannot be parsed still gets
its graph — with the error — so audits see it and nothing else is lost.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

import yaml
from ftfy import fix_text

from .context import Context, LoadIssue
from .experiment_files import map_experiment_file
from .facts import record_facts
from .fields import flush_extras
from .iris import Minter
from .ntriples import Triples, iri, lit
from .records import map_record
from .stac import map_stac
from .vocab import (
    IANA_MEDIA_TYPES,
    XSD_NON_NEGATIVE_INTEGER,
    A,
    C_SOURCE_DOCUMENT,
    P_BYTE_SIZE,
    P_CONTENT_HASH,
    P_DUPLICATE_KEY,
    P_LINE_ENDINGS,
    P_MEDIA_TYPE,
    P_PATH,
    P_PRIMARY_TOPIC,
    P_SOURCE,
)

_STAC_KINDS = {"catalog", "type-catalog", "theme", "variable", "eo-mission", "project", "product", "product-item"}
_RECORD_KINDS = {"workflow", "experiment"}
_YAML_KINDS = {"input-configuration", "execution-environment"}
_MEDIA_TYPES = {"json": "application/json", "yaml": "application/yaml", "yml": "application/yaml",
                "webp": "image/webp", "md": "text/markdown", "png": "image/png"}
# Mis-decoded UTF-8 read as cp1252/latin-1 ("â€™", "Ã¶"): a cheap pre-filter before ftfy confirms it.
_MOJIBAKE = re.compile("[ÂÃâÅ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]+")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class MappedDocument:
    path: str
    graph: str
    kind: str
    content_hash: str
    ntriples: bytes
    triple_count: int
    issues: list[LoadIssue] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(i.severity == "error" for i in self.issues)


class _DuplicateKeys:
    """``object_pairs_hook`` that builds dicts as json does (last value wins) but remembers repeated keys."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def __call__(self, pairs: list[tuple[str, object]]) -> dict:
        d = dict(pairs)
        if len(d) != len(pairs):
            seen: set[str] = set()
            self.keys.extend(k for k, _ in pairs if k in seen or seen.add(k))
        return d


def _parse(ctx: Context, data: bytes, ext: str) -> tuple[bool, object]:
    """Decode and parse; on failure record an error naming the problem and return (False, None)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        ctx.error(f"not valid UTF-8: {e.reason} at byte {e.start}")
        return False, None
    if text.startswith("\ufeff"):
        ctx.warning("starts with a byte-order mark")
        text = text[1:]
    if "\r\n" in text:
        ctx.add(ctx.doc, P_LINE_ENDINGS, lit("CRLF"))
    if not text.isascii():
        for m in _MOJIBAKE.finditer(text):
            fragment = text[max(0, m.start() - 20) : m.end() + 20]
            if fix_text(fragment) != fragment:
                ctx.warning(f"mojibake (mis-decoded UTF-8) near {fragment!r}")
                break
    if ext == "json":
        hook = _DuplicateKeys()
        try:
            doc = json.loads(text, object_pairs_hook=hook)
        except json.JSONDecodeError as e:
            ctx.error(f"invalid JSON: {e.msg} at line {e.lineno} column {e.colno}")
            return False, None
        for key in dict.fromkeys(hook.keys):
            ctx.add(ctx.doc, P_DUPLICATE_KEY, lit(key))
            ctx.warning(f"duplicated JSON key {key!r} (the last value is used)")
        return True, doc
    try:
        return True, yaml.safe_load(text)
    except yaml.YAMLError as e:
        ctx.error(f"invalid YAML: {' '.join(str(e).split())}")
        return False, None


def map_document(minter: Minter, path: str, data: bytes) -> MappedDocument:
    """Map one file (``path`` relative to the catalog root, with ``/`` separators) to its named graph."""
    info = minter.classify(path)
    graph = minter.document(path)
    digest = content_hash(data)
    ctx = Context(path, info, minter, graph, Triples(graph))
    d = ctx.doc
    ext = path.rpartition(".")[2].lower()
    ctx.add(d, A, C_SOURCE_DOCUMENT)
    ctx.add(d, P_PATH, lit(path))
    ctx.add(d, P_SOURCE, iri(minter.public_url(path)))
    ctx.add(d, P_CONTENT_HASH, lit(digest))
    ctx.add(d, P_BYTE_SIZE, lit(str(len(data)), XSD_NON_NEGATIVE_INTEGER))
    if ext in _MEDIA_TYPES:
        ctx.add(d, P_MEDIA_TYPE, iri(IANA_MEDIA_TYPES + _MEDIA_TYPES[ext]))
    if info.entity:
        ctx.add(d, P_PRIMARY_TOPIC, ctx.entity)
    if ext in ("json", "yaml", "yml") and (info.kind != "file" or ext == "json"):
        _map_content(ctx, data, ext)
    return MappedDocument(path, graph, info.kind, digest, ctx.triples.to_bytes(), len(ctx.triples), ctx.issues)


def _map_content(ctx: Context, data: bytes, ext: str) -> None:
    ok, doc = _parse(ctx, data, ext)
    if not ok:
        return
    kind = ctx.info.kind
    try:
        if kind in _YAML_KINDS:
            map_experiment_file(ctx, doc)
        elif not isinstance(doc, dict):
            ctx.error(f"expected a JSON object at the top level, found {type(doc).__name__}")
        elif kind in _STAC_KINDS:
            if "stac_version" not in doc:
                ctx.error("a STAC file without `stac_version`")
            map_stac(ctx, doc)
        elif kind in _RECORD_KINDS:
            if "stac_version" in doc:
                ctx.warning("an OGC API Record with `stac_version`")
            map_record(ctx, doc)
        else:
            ctx.warning("a JSON file outside the catalog layout; only its file description is loaded")
    except Exception as e:  # a mapper bug must not cost the rest of the catalog
        ctx.error(f"could not be mapped: {type(e).__name__}: {e}")
    record_facts(ctx, doc)
    flush_extras(ctx)
