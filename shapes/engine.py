"""Run the shapes over a store: a full report, or an incremental one for documents just (re)loaded.

The engine is pyshacl-turbo (a Rust SHACL engine with pySHACL's API): on the real catalog it runs every shape in a
few seconds where pySHACL on rdflib did not finish in 25 minutes (benchmarks/RESULTS.md). pySHACL stays as the
reference implementation: the tests run both on the same data and require identical findings (:func:`run_reference`).

The data graph is the union of the store's named graphs — the catalog plus the ontology graph the loader puts beside
it — exported as N-Triples and handed to turbo's native parser, so the real catalog never goes through rdflib. No
inference is run: every shape targets the loader's own classes and predicates explicitly.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox

from earthcode_kg.store.base import GraphStore
from earthcode_kg.store.formats import N_TRIPLES
from loaders.vocab import EC

from .neighbourhood import LINK, LINK_OF, Neighbourhood, construct_text, neighbourhood
from .shapeset import SEVERITIES, ShapeInfo, ShapeSet, TargetSizes, load_shapes

SH = "http://www.w3.org/ns/shacl#"
#: Below this much data (about 5k triples) a report runs in one piece: parsing the data once per part would cost
#: more than the parts save.
PARALLEL_FROM_BYTES = 1_000_000
#: Above this many statements a full report is built from batches of this many documents (:func:`validate_store`).
BATCH_FROM_TRIPLES = 1_000_000
BATCH_DOCUMENTS = 100
_DOCUMENTS = f"SELECT ?doc WHERE {{ ?doc a <{EC}SourceDocument> }}"
_LINK_OWNERS = f"CONSTRUCT {{ ?l <{LINK_OF}> ?s }} WHERE {{ ?s <{LINK}> ?l }}"
_BY_PREDICATES = "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?p { %s } ?s ?p ?o }"
_CLASS_SIZES = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
_PREDICATE_SIZES = "SELECT ?p (COUNT(?s) AS ?n) WHERE { VALUES ?p { %s } ?s ?p ?o } GROUP BY ?p"


@dataclass(frozen=True)
class Finding:
    """One validation result, with the shape it came from resolved to its rule."""

    focus: str  # the focus node, N-Triples form for blank nodes, bare IRI otherwise
    severity: str  # Violation | Warning | Info
    component: str  # local name of the constraint component (MinCountConstraintComponent, SPARQLConstraintComponent…)
    shape: str  # IRI of the source shape
    message: str
    value: str | None = None  # the offending value, lexical form (IRIs as text)
    shape_info: ShapeInfo | None = field(default=None, compare=False, hash=False)

    @property
    def key(self) -> tuple:
        """What two engines must agree on: focus node, path (via the shape), component, source shape, severity, value."""
        return (self.focus, self.shape, self.component, self.severity, self.value)

    @property
    def rule(self) -> str:
        return self.shape_info.rule if self.shape_info else self.shape

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return self.shape_info.rule_ids if self.shape_info else ()

    @property
    def group(self) -> str | None:
        return self.shape_info.group if self.shape_info else None

    @property
    def path(self) -> str | None:
        return self.shape_info.path if self.shape_info else None


@dataclass
class Validation:
    """The outcome of one run: findings plus what was validated and how long it took."""

    findings: list[Finding]
    shapes: ShapeSet
    mode: str  # "full" | "incremental"
    focus: set[str] | None = None  # incremental: the focus nodes validated
    documents: list[str] = field(default_factory=list)  # incremental: the document graphs
    data_triples: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)


def export_data(store: GraphStore, predicates: Iterable[str] | None = None) -> str:
    """The union of every named graph as N-Triples (what the shapes validate), optionally only the statements with
    the given predicates: the shapes read a fraction of what the loader keeps (no content hashes, extra fields…).

    ``ec:linkOf`` (the inverse of ``ec:link``, which the store does not hold) is derived here: the shapes reach a
    record's links through it, because pyshacl-turbo walks the values of one subject in time quadratic in their
    number — a type catalog's thousands of links — while it finds the subjects of one object directly.
    """
    if predicates is None:
        return store.export(N_TRIPLES).decode("utf-8") + construct_text(store, _LINK_OWNERS)
    wanted = set(predicates)
    stored = sorted(wanted - {LINK_OF})
    # One query per core over an interleaved share of the predicates (the store answers them in parallel: 0.3 s
    # instead of 0.55 s on the real catalog), plus the derived link owners.
    cores = available_cores()
    queries = [_BY_PREDICATES % " ".join(f"<{p}>" for p in stored[i::cores]) for i in range(min(cores, len(stored)))]
    if LINK_OF in wanted:
        queries.append(_LINK_OWNERS)
    with ThreadPoolExecutor(len(queries), thread_name_prefix="shacl-export") as pool:
        return "".join(pool.map(lambda query: construct_text(store, query), queries))


def target_sizes(store: GraphStore, shapes: ShapeSet) -> TargetSizes:
    """How many focus nodes each target of the shapes has in the store: the instances of every class and the
    statements of every target predicate (``ec:linkOf`` counted as the ``ec:link`` it is derived from). Two
    aggregate queries; they let :meth:`ShapeSet.partitions` balance the parts of a full run by real sizes."""
    sizes = {r["c"].value: int(r["n"].value) for r in store.select(_CLASS_SIZES)}
    stored = {p: LINK if p == LINK_OF else p for p in shapes.target_predicates}
    if stored:
        values = " ".join(f"<{p}>" for p in sorted(set(stored.values())))
        counts = {r["p"].value: int(r["n"].value) for r in store.select(_PREDICATE_SIZES % values)}
        sizes.update({p: counts.get(s, 0) for p, s in stored.items()})
    return tuple(sorted(sizes.items()))


def validate_store(store: GraphStore, groups: tuple[str, ...] | None = None, *,
                   batch: int | None = None) -> Validation:
    """A full report: every shape of ``groups`` over the whole store.

    A large store is validated ``batch`` documents at a time, each batch as an incremental report over its
    neighbourhood (:func:`validate_documents`): turbo's cost grows faster than the graph (about a minute at a million
    statements), a batch's stays small, and the findings are the same as one run's
    (tests/test_validation_incremental.py, tests/test_real_catalog_validation.py).
    ``batch`` defaults to one run below :data:`BATCH_FROM_TRIPLES` statements and :data:`BATCH_DOCUMENTS` above; 0
    forces one run.
    """
    shapes = load_shapes(groups or load_shapes().groups)
    if batch is None and store.triple_count() > BATCH_FROM_TRIPLES:
        batch = BATCH_DOCUMENTS
    if batch:
        return _validate_in_batches(store, shapes, batch)
    started = time.perf_counter()
    data = export_data(store, shapes.predicates)
    exported = time.perf_counter()
    findings = run_turbo(data, shapes, sizes=target_sizes(store, shapes))
    done = time.perf_counter()
    return Validation(findings, shapes, "full", data_triples=data.count("\n"),
                      seconds={"export": exported - started, "validate": done - exported, "total": done - started})


def _validate_in_batches(store: GraphStore, shapes: ShapeSet, batch: int) -> Validation:
    """Batches of documents in order of path (a folder's files share neighbours), one thread per core."""
    started = time.perf_counter()
    documents = sorted(r["doc"].value for r in store.select(_DOCUMENTS))
    batches = [documents[i:i + batch] for i in range(0, len(documents), batch)]
    with ThreadPoolExecutor(available_cores(), thread_name_prefix="shacl-batch") as pool:
        parts = list(pool.map(lambda docs: validate_documents(store, docs, shapes.groups), batches))
    return Validation(_sorted(f for part in parts for f in part.findings), shapes, "full",
                      data_triples=sum(part.data_triples for part in parts),
                      seconds={"batches": len(batches), "total": time.perf_counter() - started})


def validate_documents(store: GraphStore, documents: Iterable[str], groups: tuple[str, ...] | None = None) -> Validation:
    """An incremental report for the given document graphs (files just (re)loaded).

    Only the records those files describe are focus nodes (the entity, the file, its links, contacts, extents…); the
    data is their graphs plus the slice of the rest of the catalog the shapes read about what they link to (see
    :mod:`shapes.neighbourhood`). For those focus nodes the findings equal a full run's.
    """
    shapes = load_shapes(groups or load_shapes().groups)
    started = time.perf_counter()
    hood: Neighbourhood = neighbourhood(store, list(documents))
    sliced = time.perf_counter()
    # Turbo intersects every shape's targets with the focus list at a cost that grows with both: a type catalog's
    # thousands of links made that most of its run (17 s of 18 s at 10x). So the links get their own run with the
    # shapes that target every link applied to them directly (``use_shapes``: no targets to intersect), and the
    # rest of the focus nodes — which those shapes never target — one run with every shape.
    links = hood.links if shapes.link_shapes else set()
    findings = run_turbo(hood.ntriples, shapes, focus_nodes=hood.focus - links)
    if links:
        findings += run_turbo(hood.ntriples, shapes, focus_nodes=links, use_shapes=shapes.link_shapes)
    findings = _sorted(f for f in findings if f.focus in hood.focus)
    done = time.perf_counter()
    return Validation(findings, shapes, "incremental", focus=hood.focus, documents=hood.documents,
                      data_triples=hood.ntriples.count("\n"),
                      seconds={"neighbourhood": sliced - started, "validate": done - sliced, "total": done - started})


# --- engines ------------------------------------------------------------------------------------------------------


def run_turbo(ntriples: str, shapes: ShapeSet, focus_nodes: Iterable[str] | None = None,
              threads: int | None = None, sizes: TargetSizes | None = None,
              use_shapes: Sequence[str] | None = None) -> list[Finding]:
    """Validate N-Triples with pyshacl-turbo; the report is read with pyoxigraph (no rdflib on the hot path).

    A large graph is validated on every core: the node shapes are split into parts (:meth:`ShapeSet.partitions`), each
    run in a thread over the same data (turbo releases the GIL), balanced by ``sizes`` (:func:`target_sizes`) when
    given. Each part parses the data again, so small graphs run in one piece, as do runs restricted to focus nodes
    (incremental reports, which run in parallel by batch). ``use_shapes`` runs only those node shapes, applied to
    every focus node whatever its targets (pySHACL's meaning, which turbo follows).
    """
    focus = sorted(focus_nodes) if focus_nodes is not None else []
    if threads is None:
        threads = available_cores() if len(ntriples) >= PARALLEL_FROM_BYTES else 1
    # Turbo (like pySHACL) applies the shapes named in use_shapes to the given focus nodes whatever their targets, so
    # a run restricted to focus nodes is never split.
    if use_shapes:
        parts = (tuple(use_shapes),)
    else:
        parts = shapes.partitions(threads, sizes) if threads > 1 and not focus else ((),)
    program = shapes.compiled()
    if len(parts) == 1:
        reports = [_run_program(program, ntriples, focus, list(parts[0]))]
    else:
        with ThreadPoolExecutor(len(parts), thread_name_prefix="shacl") as pool:
            reports = list(pool.map(lambda part: _run_program(program, ntriples, focus, list(part)), parts))
    # Each report is read on its own: blank-node labels of separate reports are not distinct.
    findings = [f for report in reports for f in read_report(ox.parse(report, format=ox.RdfFormat.N_QUADS), shapes)]
    return _sorted(findings)


def available_cores() -> int:
    """Cores this process may run on (the affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _run_program(program, ntriples: str, focus: list[str], use_shapes: list[str]) -> str:
    """One compiled program (restricted to ``use_shapes`` when given) over the data; the report as N-Triples text."""
    native = getattr(program, "_native", None)
    try:
        # The native entry point returns the report as N-Triples text; the public API would decode it into rdflib.
        _, report, *_ = native.validate(ntriples, "nt", None, False, 100, 15, False, False, False, False, focus,
                                        use_shapes, [])
        return report
    except (AttributeError, TypeError):  # a turbo release with another native signature: use the public API
        from pyshacl_turbo.rdf import Input

        _, graph, _ = program.validate(Input(ntriples, "nt", None, {}), focus_nodes=focus or None,
                                       use_shapes=use_shapes or None)
        return graph.serialize(format="nt")


def run_reference(ntriples: str, shapes: ShapeSet) -> list[Finding]:
    """Validate with pySHACL on rdflib: slow, but the reference the turbo results are checked against."""
    import pyshacl
    from rdflib import Graph

    data = Graph().parse(data=ntriples, format="nt")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes.graph, inference="none", advanced=False)
    nt = report.serialize(format="nt")
    return read_report(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), shapes)


def read_report(quads: Iterable, shapes: ShapeSet) -> list[Finding]:
    """``sh:ValidationResult`` nodes of a report → findings (sorted, so reports compare and diff cleanly)."""
    results: dict[object, dict[str, object]] = {}
    for q in quads:
        p = q.predicate.value
        if p.startswith(SH):
            results.setdefault(q.subject, {})[p[len(SH):]] = q.object
    findings = []
    for props in results.values():
        if "focusNode" not in props or "sourceShape" not in props:
            continue
        shape = _text(props["sourceShape"])
        findings.append(Finding(
            focus=_text(props["focusNode"]),
            severity=_text(props.get("resultSeverity")).rsplit("#", 1)[-1],
            component=_text(props.get("sourceConstraintComponent")).rsplit("#", 1)[-1],
            shape=shape,
            message=_text(props.get("resultMessage")) or "",
            value=_text(props["value"]) if "value" in props else None,
            shape_info=shapes.info.get(shape),
        ))
    return _sorted(findings)


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(set(findings), key=lambda f: (SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 9, f.key))


def _text(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return str(term)
    return term.value
