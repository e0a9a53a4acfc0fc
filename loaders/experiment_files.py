"""An experiment's ``input.yaml`` (configuration parameters) and ``environment.yaml`` (execution environment) → RDF.

Real files are small and irregular: ``parameters`` is a list or a map, unquoted dates load as dates, ``$comment``
holds folded prose, and some files are empty (YAML null). Values keep their YAML types (dates as ``xsd:date``).
"""

from __future__ import annotations

import datetime as dt

from . import fields as f
from .context import Context
from .ntriples import lit, typed
from .vocab import (
    A,
    C_EXECUTION_ENVIRONMENT,
    C_INPUT_CONFIGURATION,
    C_PARAMETER,
    P_COMMENT,
    P_CONDA_CHANNEL,
    P_DEPENDENCY,
    P_EMPTY,
    P_ENVIRONMENT_NAME,
    P_NAME,
    P_PARAMETER,
    P_PIP_DEPENDENCY,
    P_POSITION,
    P_VALUE,
    XSD_DATE,
    XSD_DATETIME,
)


def yaml_value(value: object) -> str:
    """A literal for a YAML scalar; collections are kept as JSON."""
    if isinstance(value, dt.datetime):
        return lit(value.isoformat(), XSD_DATETIME)
    if isinstance(value, dt.date):
        return lit(value.isoformat(), XSD_DATE)
    if isinstance(value, (dict, list)):
        return f.json_literal(value)
    if value is None:
        return lit("")
    return typed(value)


def map_experiment_file(ctx: Context, doc: object) -> None:
    s = ctx.entity
    is_env = ctx.info.kind == "execution-environment"
    ctx.add(s, A, C_EXECUTION_ENVIRONMENT if is_env else C_INPUT_CONFIGURATION)
    if doc is None:
        ctx.add(s, P_EMPTY, typed(True))
        ctx.warning("the file is empty")
        return
    if not isinstance(doc, dict):
        ctx.error(f"expected a YAML mapping at the top level, found {type(doc).__name__}")
        return
    comment = doc.get("$comment")
    if isinstance(comment, str):
        ctx.add(s, P_COMMENT, lit(comment.strip()))
    handled = {"$comment"} | (_environment(ctx, s, doc) if is_env else _parameters(ctx, s, doc))
    for key, value in doc.items():
        if key in handled:
            continue
        if is_env:  # e.g. a conda `prefix:`: kept, but it is no parameter
            f.extra(ctx, s, str(key), value)
        else:  # top-level keys of an input file beside `parameters` are configuration too
            _parameter(ctx, s, str(key), value, None)


def _parameters(ctx: Context, s: str, doc: dict) -> set[str]:
    params = doc.get("parameters")
    if isinstance(params, dict):
        for name, value in params.items():
            _parameter(ctx, s, str(name), value, None)
    elif isinstance(params, list):
        for i, value in enumerate(params):
            if isinstance(value, dict) and len(value) == 1:
                (name, inner), = value.items()
                _parameter(ctx, s, str(name), inner, i)
            else:
                _parameter(ctx, s, f"parameters[{i}]", value, i)
    elif params is not None:
        ctx.error(f"`parameters` must be a list or a map, found {type(params).__name__}")
    return {"parameters"}


def _parameter(ctx: Context, s: str, name: str, value: object, position: int | None) -> None:
    node = ctx.triples.node("parameter")
    ctx.add(s, P_PARAMETER, node)
    ctx.add(node, A, C_PARAMETER)
    ctx.add(node, P_NAME, lit(name))
    ctx.add(node, P_VALUE, yaml_value(value))
    if position is not None:
        ctx.add(node, P_POSITION, typed(position))


def _environment(ctx: Context, s: str, doc: dict) -> set[str]:
    """A conda environment: name, channels, dependencies (with the nested ``pip:`` list)."""
    f.text(ctx, s, P_ENVIRONMENT_NAME, doc.get("name"), "name")
    for channel in f.string_list(ctx, doc.get("channels", []), "channels"):
        ctx.add(s, P_CONDA_CHANNEL, lit(channel))
    for i, dep in enumerate(ctx.expect(doc.get("dependencies", []), list, "dependencies") or ()):
        if isinstance(dep, str):
            ctx.add(s, P_DEPENDENCY, lit(dep))
        elif isinstance(dep, dict) and isinstance(dep.get("pip"), list):
            for pip_dep in f.string_list(ctx, dep["pip"], f"dependencies[{i}].pip"):
                ctx.add(s, P_PIP_DEPENDENCY, lit(pip_dep))
        else:
            ctx.error(f"`dependencies[{i}]` must be a package spec or a `pip:` list, found {dep!r}")
    return {"name", "channels", "dependencies"}
