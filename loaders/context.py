"""The state of mapping one source document: where it is, what it describes, its triples and its issues."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .iris import Minter, PathInfo
from .ntriples import Triples, lit
from .vocab import P_LOAD_ERROR, P_LOAD_WARNING

JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}


@dataclass(frozen=True)
class LoadIssue:
    """A problem found while loading one file; ``error`` means part of the file could not be mapped."""

    path: str
    severity: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.severity}: {self.message}"


def json_type(value: object) -> str:
    if value is None:
        return "null"
    return JSON_TYPES.get(type(value), type(value).__name__)


@dataclass
class Context:
    path: str
    info: PathInfo
    minter: Minter
    doc_iri: str
    triples: Triples
    issues: list[LoadIssue] = field(default_factory=list)
    #: unmodelled fields per node, written once per node as a JSON object (see ``fields.extra``)
    extras: dict[str, dict] = field(default_factory=dict)
    #: adds one statement; the collector's own method, not a wrapper around it (millions of calls per large load)
    add: Callable[[str, str, str], None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.add = self.triples.add

    @property
    def entity(self) -> str:
        return "<" + (self.info.entity or self.doc_iri) + ">"

    @property
    def doc(self) -> str:
        return "<" + self.doc_iri + ">"

    def error(self, message: str) -> None:
        self.issues.append(LoadIssue(self.path, "error", message))
        self.add(self.doc, P_LOAD_ERROR, lit(message))

    def warning(self, message: str) -> None:
        self.issues.append(LoadIssue(self.path, "warning", message))
        self.add(self.doc, P_LOAD_WARNING, lit(message))

    def expect(self, value: object, kind: type | tuple[type, ...], where: str) -> object | None:
        """``value`` if it has the JSON type the mapping needs, else ``None`` and an error naming the field."""
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if value is None or (isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)):
            return value
        wanted = " or ".join(dict.fromkeys(JSON_TYPES.get(k, k.__name__) for k in kinds))
        self.error(f"`{where}` must be {wanted}, found {json_type(value)}")
        return None
