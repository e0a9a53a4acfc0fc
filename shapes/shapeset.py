"""The shapes of the selected groups, compiled once, with what each shape means for a report.

A SHACL result names its source shape; for a property shape that is the shape holding the constraint, not the node
shape that carries our annotations. :class:`ShapeSet` resolves every shape — node or property — to a
:class:`ShapeInfo` (group, rule ids, FAIR principle, declared severity, rendered path, target classes), so a result
can be traced to the rule and scored without looking at the shapes graph again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from . import ECSH, GROUPS, PREFIXES_PATH, shapes_path
from .neighbourhood import LINK_OF

SH = Namespace("http://www.w3.org/ns/shacl#")
E = Namespace(ECSH)
SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class ShapeInfo:
    """What a report needs to know about one shape."""

    iri: str
    group: str
    rule_ids: tuple[str, ...]
    node_shape: str
    severity: str  # Violation | Warning | Info (as declared; results carry their own)
    path: str | None  # the property path in compact text (``dct:temporal/dcat:startDate``), None for node shapes
    target_classes: tuple[str, ...]
    fair_principle: str | None = None
    rda_indicator: str | None = None
    fuji_metric: str | None = None

    @property
    def rule(self) -> str:
        """The primary rule id (the first listed in the shape)."""
        return self.rule_ids[0] if self.rule_ids else self.node_shape.rsplit("#", 1)[-1]


@dataclass(frozen=True, eq=False)
class ShapeSet:
    """The shapes of some groups: the rdflib graph (for pySHACL), the compiled turbo program, the shape index."""

    groups: tuple[str, ...]
    graph: Graph
    info: dict[str, ShapeInfo]

    @property
    def predicates(self) -> frozenset[str]:
        """Every predicate the shapes can read: paths, targets and the terms named in SPARQL constraints (plus
        rdf:type and rdfs:subClassOf, which targets and sh:class follow). The data graph is restricted to these."""
        return _predicates(self)

    @property
    def fair_checks(self) -> list[ShapeInfo]:
        """The FAIR node shapes (one check each)."""
        return [i for i in self.info.values() if i.fair_principle and i.iri == i.node_shape]

    def compiled(self):
        """The pyshacl-turbo program (compiled once per shape set)."""
        return _compile(self)

    def partitions(self, n: int, sizes: TargetSizes | None = None) -> tuple[tuple[str, ...], ...]:
        """The top-level node shapes in at most ``n`` parts of about equal estimated cost.

        The turbo engine runs on one core and releases the GIL, so a full report runs one part per core in threads.
        A shape's cost is estimated as its focus nodes times its constraints, a SPARQL constraint (one query per
        focus node) counting as many Core ones. Focus nodes are counted from ``sizes`` (the instances of each class
        and the statements of each predicate in the data, see :func:`shapes.engine.target_sizes`) or, without them,
        guessed: a class has few instances, a predicate many. Parts are filled longest-first, each shape to the
        lightest part.
        """
        return _partitions(self, max(1, n), sizes)

    @property
    def link_shapes(self) -> tuple[str, ...]:
        """The node shapes that target every link (``sh:targetSubjectsOf ec:linkOf``) and nothing else: an
        incremental run applies them to the links of its documents directly (see :func:`shapes.engine.validate_documents`)."""
        return _link_shapes(self)

    @property
    def target_predicates(self) -> frozenset[str]:
        """The predicates of ``sh:targetSubjectsOf``/``sh:targetObjectsOf`` (their statement counts size targets)."""
        return frozenset(str(p) for t in _PREDICATE_TARGETS for p in self.graph.objects(None, t))


#: (term, count) pairs: instances of a class, or statements of a predicate, in the data to validate.
TargetSizes = tuple[tuple[str, int], ...]
#: How many Core constraints one SPARQL constraint costs (measured on the real catalog: ~20x per focus node).
_SPARQL_COST = 20
#: Guessed focus nodes of a target when the data was not counted.
_GUESS_CLASS, _GUESS_PREDICATE = 1, 4


_PREFIXED = re.compile(r"\b([a-z]+):([A-Za-z][A-Za-z0-9_-]*)")


@lru_cache(maxsize=8)
def _predicates(shape_set: ShapeSet) -> frozenset[str]:
    g = shape_set.graph
    out = {str(RDF.type), str(RDFS.subClassOf)}
    for predicate in (SH.path, *_PREDICATE_TARGETS):
        for value in g.objects(None, predicate):
            out.update(_path_predicates(g, value))
    namespaces = {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace)) for d in g.objects(None, SH.declare)}
    for query in g.objects(None, SH.select):
        out.update(namespaces[p] + local for p, local in _PREFIXED.findall(str(query)) if p in namespaces)
    return frozenset(out)


_PREDICATE_TARGETS = (SH.targetObjectsOf, SH.targetSubjectsOf)
_TARGETS = (SH.targetClass, SH.targetNode, *_PREDICATE_TARGETS)


@lru_cache(maxsize=8)
def _link_shapes(shape_set: ShapeSet) -> tuple[str, ...]:
    g = shape_set.graph
    return tuple(sorted(str(s) for s in g.subjects(SH.targetSubjectsOf, URIRef(LINK_OF))
                        if sum(1 for t in _TARGETS for _ in g.objects(s, t)) == 1))


_PATH_OPERATORS = (SH.inversePath, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath)


def _path_predicates(g: Graph, path) -> set[str]:
    """The predicates a SHACL property path reads: an IRI, a sequence (list), or a path operator over either."""
    if isinstance(path, URIRef):
        return {str(path)}
    if g.value(path, RDF.first) is not None:
        return {p for step in Collection(g, path) for p in _path_predicates(g, step)}
    return {p for op in _PATH_OPERATORS for inner in g.objects(path, op) for p in _path_predicates(g, inner)}


@lru_cache(maxsize=32)
def _partitions(shape_set: ShapeSet, n: int, sizes: TargetSizes | None) -> tuple[tuple[str, ...], ...]:
    g = shape_set.graph
    counted = dict(sizes or ())
    nested = set(g.objects(None, SH.property)) | set(g.objects(None, SH.node))
    weights = {}
    for node in set(g.subjects(RDF.type, SH.NodeShape)):
        if isinstance(node, URIRef) and node not in nested:
            constraints = 1 + len(set(g.objects(node, SH.property))) + _SPARQL_COST * len(set(g.objects(node, SH.sparql)))
            focus = sum(counted.get(str(c), 0) if sizes else _GUESS_CLASS for c in g.objects(node, SH.targetClass))
            focus += sum(counted.get(str(p), 0) if sizes else _GUESS_PREDICATE
                         for t in _PREDICATE_TARGETS for p in g.objects(node, t))
            weights[str(node)] = max(1, focus) * constraints
    loads = [0] * max(1, min(n, len(weights)))
    parts: list[list[str]] = [[] for _ in loads]
    for shape in sorted(weights, key=lambda s: (-weights[s], s)):
        lightest = loads.index(min(loads))
        loads[lightest] += weights[shape]
        parts[lightest].append(shape)
    return tuple(tuple(sorted(part)) for part in parts if part)


@lru_cache(maxsize=8)
def _compile(shape_set: ShapeSet):
    import pyshacl_turbo

    return pyshacl_turbo.compile_shapes(shape_set.graph)


def parse_groups(value: str | None) -> tuple[str, ...]:
    """``"osc-rules,fair"`` → ``("osc-rules", "fair")`` in canonical order; None or empty means all groups."""
    if not value:
        return GROUPS
    wanted = [g.strip() for g in value.split(",") if g.strip()]
    unknown = [g for g in wanted if g not in GROUPS]
    if unknown:
        raise ValueError(f"unknown shape group(s) {', '.join(unknown)} (known: {', '.join(GROUPS)})")
    return tuple(g for g in GROUPS if g in wanted)


@lru_cache(maxsize=8)
def load_shapes(groups: tuple[str, ...] = GROUPS) -> ShapeSet:
    """Parse and index the shapes of ``groups`` (cached: shapes are data shipped with the package)."""
    graph = Graph().parse(PREFIXES_PATH, format="turtle")
    info: dict[str, ShapeInfo] = {}
    for group in groups:
        g = Graph().parse(shapes_path(group), format="turtle")
        info.update(_index(g, group))
        graph += g
        for prefix, ns in g.namespaces():
            graph.bind(prefix, ns, override=False)
    return ShapeSet(groups, graph, info)


def _index(g: Graph, group: str) -> dict[str, ShapeInfo]:
    out: dict[str, ShapeInfo] = {}
    for node in set(g.subjects(RDF.type, SH.NodeShape)):
        if not isinstance(node, URIRef):
            continue
        rule_ids = tuple(sorted(str(r) for r in g.objects(node, E.ruleId)))
        targets = tuple(sorted(str(c) for c in g.objects(node, SH.targetClass)))
        common = {
            "group": group,
            "rule_ids": rule_ids,
            "node_shape": str(node),
            "target_classes": targets,
            "fair_principle": _text(g, node, E.fairPrinciple),
            "rda_indicator": _text(g, node, E.rdaIndicator),
            "fuji_metric": _text(g, node, E.fujiMetric),
        }
        out[str(node)] = ShapeInfo(iri=str(node), severity=_severity(g, node), path=None, **common)
        for prop in g.objects(node, SH.property):
            if isinstance(prop, URIRef):
                out[str(prop)] = ShapeInfo(iri=str(prop), severity=_severity(g, prop),
                                           path=render_path(g, g.value(prop, SH.path)), **common)
    return out


def _text(g: Graph, node: URIRef, predicate: URIRef) -> str | None:
    value = g.value(node, predicate)
    return str(value) if isinstance(value, Literal) else None


def _severity(g: Graph, shape: URIRef) -> str:
    value = g.value(shape, SH.severity)
    return str(value).rsplit("#", 1)[-1] if value is not None else "Violation"


def render_path(g: Graph, path) -> str | None:
    """A SHACL path as compact text (SPARQL property-path syntax): an IRI as ``prefix:local``, a sequence as
    ``a/b``, an inverse as ``^a``."""
    if path is None:
        return None
    if isinstance(path, BNode):
        if g.value(path, RDF.first) is not None:
            return "/".join(render_path(g, p) or "?" for p in Collection(g, path))
        inverse = g.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + (render_path(g, inverse) or "?")
        return "(complex path)"
    return g.namespace_manager.normalizeUri(path)
