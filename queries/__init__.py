"""The named SPARQL queries: one ``.rq`` file each, data rather than Python strings.

Each file is a complete query any SPARQL tool can run (its own PREFIX lines), preceded by a header of comments::

    # title: Products by theme
    # Free text describing what the query answers (any number of lines).
    # param: theme (iri in themes) — the theme, as an IRI or an id under {base}themes/

A parameter is a variable of the query that a caller binds. Its type is ``iri`` (optionally ``in <folder>``, which
lets callers give a bare id that is resolved under ``{base}<folder>/``), ``string``, ``integer`` or ``boolean``.
Values are turned into pyoxigraph terms here and handed to the store as bindings, so user input is never spliced
into query text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode

QUERIES_DIR = Path(str(files(__name__)))
XSD = "http://www.w3.org/2001/XMLSchema#"
_PARAM = re.compile(r"^#\s*param:\s*(?P<name>[A-Za-z_]\w*)\s*\((?P<type>iri|string|integer|boolean)"
                    r"(?:\s+in\s+(?P<folder>[\w-]+))?\)\s*(?:[—–-]+\s*(?P<doc>.*))?$")
_TITLE = re.compile(r"^#\s*title:\s*(?P<title>.+)$")
_FORM = re.compile(r"^\s*(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)


class ParameterError(ValueError):
    """A caller's parameter is missing, unknown or not of the declared type (HTTP 400)."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    folder: str | None
    description: str

    def to_term(self, raw: str, base_iri: str) -> NamedNode | Literal:
        """The term to bind for the caller's text ``raw``."""
        if self.type == "iri":
            if ":" not in raw:
                if not self.folder:
                    raise ParameterError(f"parameter {self.name!r} must be an absolute IRI")
                raw = f"{base_iri}{self.folder}/{quote(raw, safe='')}"
            try:
                return NamedNode(raw)
            except ValueError as e:
                raise ParameterError(f"parameter {self.name!r} is not a valid IRI: {e}") from e
        if self.type == "integer":
            try:
                return Literal(str(int(raw)), datatype=NamedNode(XSD + "integer"))
            except ValueError as e:
                raise ParameterError(f"parameter {self.name!r} must be an integer") from e
        if self.type == "boolean":
            if raw.lower() not in ("true", "false"):
                raise ParameterError(f"parameter {self.name!r} must be true or false")
            return Literal(raw.lower(), datatype=NamedNode(XSD + "boolean"))
        return Literal(raw)

    def as_json(self) -> dict:
        return {"name": self.name, "type": self.type, "folder": self.folder, "description": self.description}


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    form: str
    parameters: tuple[Parameter, ...]
    text: str

    def bindings(self, raw: Mapping[str, str], base_iri: str) -> dict[str, NamedNode | Literal]:
        """Check the caller's parameters against the declaration and type them; unknown names are refused so a typo
        is not silently ignored."""
        declared = {p.name: p for p in self.parameters}
        unknown = sorted(set(raw) - set(declared))
        if unknown:
            raise ParameterError(f"unknown parameter(s) for {self.name}: {', '.join(unknown)}")
        missing = [p.name for p in self.parameters if not raw.get(p.name)]
        if missing:
            raise ParameterError(f"missing parameter(s) for {self.name}: {', '.join(missing)}")
        return {name: declared[name].to_term(value, base_iri) for name, value in raw.items()}

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "form": self.form,
            "parameters": [p.as_json() for p in self.parameters],
        }


def parse_query(name: str, text: str) -> NamedQuery:
    """Read the header comments of one ``.rq`` file."""
    title, description, params = name, [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if m := _PARAM.match(line):
            params.append(Parameter(m["name"], m["type"], m["folder"], (m["doc"] or "").strip()))
        elif m := _TITLE.match(line):
            title = m["title"].strip()
        elif line.lstrip("# ").lower().startswith("param:"):
            raise ValueError(f"{name}.rq: cannot read the parameter declaration {line!r}")
        else:
            description.append(line.lstrip("#").strip())
    form = _FORM.search(re.sub(r"#[^\n]*", "", text))
    if form is None:
        raise ValueError(f"{name}.rq: no SELECT, CONSTRUCT, ASK or DESCRIBE")
    return NamedQuery(name, title, " ".join(d for d in description if d), form.group(1).upper(), tuple(params), text)


@lru_cache(maxsize=4)
def load_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """All named queries in ``directory``, by file stem, sorted by name."""
    return {p.stem: parse_query(p.stem, p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.rq"))}
