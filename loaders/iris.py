"""Where things are: catalog paths, the IRIs minted for them, and href resolution.

Identity in the OSC is the folder: ``<type>/<id>/<file>``. Ids are unique only within a type (``polaris`` is a product,
a workflow and an experiment), and ``self`` hrefs are sometimes stale or name other entities, so every IRI is minted
from the configured base IRI plus the file's path — never from an ``id`` field or a ``self`` href. Because minting is a
pure function of the path, a document can be (re)loaded on its own: its edges point at the same IRIs its targets get
when they load, and an edge to a file that does not exist simply points at an IRI nothing describes.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

import pyoxigraph as ox

#: Where the public catalog is served; `self` hrefs under it map back to catalog paths (as the official validator does).
DEFAULT_SELF_PREFIX = "https://esa-earthcode.github.io/open-science-catalog-metadata/"
DEFAULT_BASE_IRI = "https://w3id.org/earthcode/"

#: type folder -> (entity kind, the file that describes an entity of that type)
TYPE_FOLDERS: dict[str, tuple[str, str]] = {
    "products": ("product", "collection.json"),
    "projects": ("project", "collection.json"),
    "themes": ("theme", "catalog.json"),
    "variables": ("variable", "catalog.json"),
    "eo-missions": ("eo-mission", "catalog.json"),
    "workflows": ("workflow", "record.json"),
    "experiments": ("experiment", "record.json"),
}
KIND_FOLDERS = {kind: folder for folder, (kind, _) in TYPE_FOLDERS.items()}
ENTITY_KINDS = tuple(KIND_FOLDERS)

_SAFE = "/:@!$&'()*+,;=-._~"


@dataclass(frozen=True)
class PathInfo:
    """What a catalog path describes."""

    kind: str  # catalog | type-catalog | <entity kind> | product-item | input-configuration | execution-environment | file
    entity: str | None  # the IRI of the thing the file describes (None for plain files)
    folder: str | None = None  # the type folder (products, …)
    id: str | None = None  # the folder name = the entity id


@dataclass(frozen=True)
class Target:
    """Where an href points: a catalog path (resolved relative to the linking file) or an external URL."""

    path: str | None  # normalised catalog path, e.g. "projects/x/collection.json"; None for external hrefs
    external: str | None  # absolute URL outside the catalog
    escapes: bool = False  # a relative href that climbs above the catalog root


class Minter:
    """Mints IRIs under one base and resolves hrefs; one instance per load."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI, self_prefix: str = DEFAULT_SELF_PREFIX) -> None:
        self.base = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
        # Every IRI we mint starts with one of these and bulk loads skip re-checking IRIs (store.embedded), so they
        # are checked once, here.
        for name, value in (("base IRI", self.base), ("self prefix", self_prefix)):
            try:
                ox.NamedNode(value)
            except ValueError as e:
                raise ValueError(f"{name} {value!r} is not an absolute IRI: {e}") from None
        self.self_prefix = self_prefix
        self._cache: dict[str, PathInfo] = {}

    # -- IRIs ------------------------------------------------------------------------------------------------------
    def document(self, path: str) -> str:
        """The IRI of a source file; also the name of the named graph holding its triples."""
        return self.base + quote(path, safe=_SAFE)

    def entity(self, kind: str, id_: str) -> str:
        return f"{self.base}{KIND_FOLDERS[kind]}/{quote(id_, safe=_SAFE)}"

    def public_url(self, path: str) -> str:
        return self.self_prefix + quote(path, safe=_SAFE)

    def scheme(self, folder: str) -> str:
        """The type catalog's IRI; for themes, variables and missions it is also their SKOS concept scheme."""
        return self.base + folder

    def classify(self, path: str) -> PathInfo:
        info = self._cache.get(path)
        if info is None:
            info = self._cache[path] = self._classify(path)
        return info

    def _classify(self, path: str) -> PathInfo:
        parts = path.split("/")
        if parts == ["catalog.json"]:
            return PathInfo("catalog", self.base + "catalog")
        if len(parts) == 2 and parts[0] in TYPE_FOLDERS and parts[1] == "catalog.json":
            return PathInfo("type-catalog", self.scheme(parts[0]), parts[0])
        if len(parts) == 3 and parts[0] in TYPE_FOLDERS:
            folder, id_, name = parts
            kind, main_file = TYPE_FOLDERS[folder]
            if name == main_file:
                return PathInfo(kind, self.entity(kind, id_), folder, id_)
            stem, _, ext = name.rpartition(".")
            base = f"{self.base}{folder}/{quote(id_, safe=_SAFE)}"
            if folder == "products" and ext == "json":
                return PathInfo("product-item", f"{base}/items/{quote(stem, safe=_SAFE)}", folder, id_)
            if folder == "experiments" and ext in ("yaml", "yml"):
                kind = "execution-environment" if stem.startswith("environment") else "input-configuration"
                return PathInfo(kind, f"{base}/{quote(stem, safe=_SAFE)}", folder, id_)
        return PathInfo("file", None)

    # -- hrefs -------------------------------------------------------------------------------------------------------
    def resolve(self, doc_path: str, href: str) -> Target:
        """Resolve ``href`` found in the file at ``doc_path``."""
        href = href.strip()
        if href.startswith(self.self_prefix):
            return Target(unquote(urlsplit(href[len(self.self_prefix) :]).path) or "catalog.json", None)
        try:
            parts = urlsplit(href)
        except ValueError:  # not even a URL (an unclosed IPv6 bracket): an external href no IRI can be made of
            return Target(None, href)
        if parts.scheme or href.startswith("//"):
            return Target(None, href)
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(doc_path), unquote(parts.path)))
        if joined.startswith("../") or joined == "..":
            return Target(joined, None, escapes=True)
        return Target(joined, None)
