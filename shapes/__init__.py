"""SHACL shapes for the catalog (Turtle files shipped with the package) and the validation built on them.

Three groups, one file each: ``osc-rules`` (the official validator's rules), ``integrity`` (cross-file defects the
validator cannot see) and ``fair`` (FAIR completeness). :mod:`shapes.engine` runs them, :mod:`shapes.report` turns
the results into summaries and FAIR scores, :mod:`shapes.html` into a page, :mod:`shapes.cli` is ``earthcode-kg validate``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SHAPES_DIR = Path(str(files(__name__)))
GROUPS: tuple[str, ...] = ("osc-rules", "integrity", "fair")
#: Namespace of the shape annotations (rule id, FAIR principle, …) and of the extra terms in stored reports.
ECSH = "https://w3id.org/earthcode/shapes#"


def shapes_path(group: str) -> Path:
    """The Turtle file of one group."""
    if group not in GROUPS:
        raise ValueError(f"unknown shape group {group!r} (known: {', '.join(GROUPS)})")
    return SHAPES_DIR / f"{group}.ttl"


#: The SPARQL prefix declarations every group's SHACL-SPARQL constraints use (loaded with any selection of groups).
PREFIXES_PATH = SHAPES_DIR / "prefixes.ttl"
