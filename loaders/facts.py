"""Facts about the source JSON that the SHACL audits need and that the RDF mapping would otherwise lose.

RDF collapses repeated values (``keywords: ["a", "a"]`` becomes one triple) and the mapping keeps the ``osc:*`` fields it
knows as typed edges without recording which keys were written. The official validator checks both (unique arrays,
no unknown ``osc:*`` key), so the loader records them as plain facts on the entity:

* ``ec:oscField "osc:region"`` — every ``osc:*`` key the file uses (top level for STAC, ``properties`` for records);
* ``ec:duplicateEntry "keywords: sea ice"`` — ``<field>: <value>`` for every value repeated in an array that must be
  unique (the value as written, JSON for objects).
"""

from __future__ import annotations

import orjson

from .context import Context
from .ntriples import lit
from .vocab import P_DUPLICATE_ENTRY, P_OSC_FIELD

#: Arrays whose members the schemas require to be unique (V-SCH-05, V-SCH-10, V-SCH-11, V-SCH-17, STAC core).
UNIQUE_ARRAYS = ("keywords", "osc:variables", "osc:missions", "osc:workflows", "cf:parameter", "stac_extensions",
                 "conformsTo")
_RECORD_KINDS = {"workflow", "experiment"}
_YAML_KINDS = {"input-configuration", "execution-environment"}


def record_facts(ctx: Context, doc: object) -> None:
    """Add the facts for one parsed file (anything but a JSON object is ignored: it has no fields)."""
    if not isinstance(doc, dict) or ctx.info.entity is None or ctx.info.kind in _YAML_KINDS:
        return
    fields = doc
    if ctx.info.kind in _RECORD_KINDS:
        props = doc.get("properties")
        fields = {**{k: v for k, v in doc.items() if k == "conformsTo"}, **(props if isinstance(props, dict) else {})}
    s = ctx.entity
    for key, value in fields.items():
        if key.startswith("osc:"):
            ctx.add(s, P_OSC_FIELD, lit(key))
        if key in UNIQUE_ARRAYS and isinstance(value, list):
            for repeated in _repeated(value):
                ctx.add(s, P_DUPLICATE_ENTRY, lit(f"{key}: {repeated}"))


def _repeated(values: list) -> list[str]:
    """The values written more than once, as text (strings as they are, anything else as compact JSON)."""
    seen: set[str] = set()
    out: list[str] = []
    for v in values:
        text = v if isinstance(v, str) else orjson.dumps(v, option=orjson.OPT_SORT_KEYS).decode()
        if text in seen and text not in out:
            out.append(text)
        seen.add(text)
    return out
