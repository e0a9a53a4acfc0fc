"""Validation results as reports auditors can gate on: the W3C report graph, a JSON summary with FAIR scores.

Every finding is attributed to a record (the entity a file describes) and its file, whatever node the shape looked
at (a link, a contact, an extent or the file itself), so the summary can count per entity type and score per record.

FAIR score of a record: every FAIR check (one node shape of ``fair.ttl``) that targets the record's type applies; a
check passes when it reports nothing on the record. Checks weigh by severity — Violation 3, Warning 2, Info 1 — and
``score = 100 × (weight of passed checks) / (weight of applicable checks)``, overall and per letter (F, A, I, R;
the principle ``R1.2`` counts for R). A project's aggregate is the mean over the project and the records that name
it in ``osc:project`` (products and workflows).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from earthcode_kg.store.base import GraphStore
from loaders.vocab import EC

from . import ECSH
from .engine import SH, Finding, Validation
from .shapeset import SEVERITIES, ShapeInfo

WEIGHTS = {"Violation": 3, "Warning": 2, "Info": 1}
LETTERS = ("F", "A", "I", "R")
#: Entity classes → the type names used in reports.
TYPE_NAMES = {"Catalog": "catalog", "TypeCatalog": "type-catalog", "Theme": "theme", "Variable": "variable",
              "EOMission": "eo-mission", "Project": "project", "Product": "product", "ProductItem": "product-item",
              "Workflow": "workflow", "Experiment": "experiment", "InputConfiguration": "input-configuration",
              "ExecutionEnvironment": "execution-environment"}
SCORED_TYPES = ("product", "project", "workflow", "experiment")

_RECORDS = """PREFIX ec: <https://w3id.org/earthcode/ontology#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?doc ?path ?entity ?class ?title ?project WHERE {
  ?doc a ec:SourceDocument ; ec:path ?path .
  OPTIONAL { ?doc foaf:primaryTopic ?entity . ?entity a ?class . FILTER(STRSTARTS(STR(?class), STR(ec:)))
             OPTIONAL { ?entity dct:title ?title } OPTIONAL { ?entity ec:project ?project } } }"""


@dataclass
class Record:
    """A catalog entry (or a file that describes none) that findings are attributed to."""

    iri: str
    type: str
    file: str
    title: str | None = None
    project: str | None = None
    findings: list[Finding] = field(default_factory=list)
    fair: dict | None = None


class Attribution:
    """Maps focus nodes to records and files, from one query over the store's source documents."""

    def __init__(self, store: GraphStore) -> None:
        self.records: dict[str, Record] = {}
        self._by_doc: dict[str, Record] = {}
        for row in store.select(_RECORDS):
            doc, path = row["doc"].value, row["path"].value
            entity = row["entity"].value if "entity" in row else doc
            kind = TYPE_NAMES.get(row["class"].value[len(EC):], "file") if "class" in row else "file"
            record = self.records.get(entity)
            if record is None or (record.type == "file" and kind != "file"):
                record = Record(entity, kind, path, row["title"].value if "title" in row else None,
                                row["project"].value if "project" in row else None)
                self.records[entity] = record
            self._by_doc[doc] = record

    def record_of(self, focus: str) -> Record:
        """The record a focus node belongs to: itself, the entity its file describes, or its file's entity."""
        if focus in self.records:
            return self.records[focus]
        doc = focus.split("#", 1)[0]
        if doc in self._by_doc:
            return self._by_doc[doc]
        return self.records.setdefault(focus, Record(focus, "unknown", ""))


def fair_score(record: Record, checks: list[ShapeInfo]) -> dict | None:
    """The record's FAIR score (see the module docstring); None when no FAIR check applies to its type."""
    applicable = [c for c in checks if record.type in {_type_of(t) for t in c.target_classes}]
    if not applicable:
        return None
    failed = {f.shape_info.node_shape for f in record.findings if f.shape_info and f.shape_info.fair_principle}
    earned: Counter = Counter()
    total: Counter = Counter()
    for check in applicable:
        weight = WEIGHTS.get(check.severity, 1)
        letter = check.fair_principle[0]
        total[letter] += weight
        total["all"] += weight
        if check.node_shape not in failed:
            earned[letter] += weight
            earned["all"] += weight
    return {
        "score": round(100 * earned["all"] / total["all"]),
        **{letter: (round(100 * earned[letter] / total[letter]) if total[letter] else None) for letter in LETTERS},
        "failed": sorted(c.rule for c in applicable if c.node_shape in failed),
        "checks": len(applicable),
    }


def _type_of(class_iri: str) -> str:
    return TYPE_NAMES.get(class_iri.rsplit("#", 1)[-1], "unknown")


@dataclass
class Report:
    """A validation, attributed to records and scored; serialisable as JSON, W3C Turtle/JSON-LD, text and HTML."""

    validation: Validation
    records: dict[str, Record]

    @classmethod
    def build(cls, store: GraphStore, validation: Validation) -> Report:
        attribution = Attribution(store)
        records: dict[str, Record] = {}
        for finding in _with_hrefs(store, validation.findings):
            record = attribution.record_of(finding.focus)
            record.findings.append(finding)
            records[record.iri] = record
        in_scope = (lambda r: True) if validation.focus is None else (lambda r: r.iri in validation.focus)
        for record in attribution.records.values():
            if record.type in SCORED_TYPES and in_scope(record):
                records[record.iri] = record
        checks = validation.shapes.fair_checks
        if checks:
            for record in records.values():
                record.fair = fair_score(record, checks)
        return cls(validation, records)

    # -- summary ---------------------------------------------------------------------------------------------------
    @property
    def findings(self) -> list[tuple[Record, Finding]]:
        """Every finding with its record, worst first (severity, then record file, then rule)."""
        pairs = [(r, f) for r in self.records.values() for f in r.findings]
        return sorted(pairs, key=lambda p: (SEVERITIES.index(p[1].severity), p[0].file, p[1].rule, p[1].value or ""))

    def counts(self) -> dict:
        by_rule: Counter = Counter()
        by_severity: Counter = Counter()
        by_group: Counter = Counter()
        by_type: dict[str, Counter] = defaultdict(Counter)
        for record, f in self.findings:
            by_rule[f.rule] += 1
            by_severity[f.severity] += 1
            by_group[f.group or "?"] += 1
            by_type[record.type][f.severity] += 1
        return {
            "total": sum(by_severity.values()),
            "by_severity": {s: by_severity.get(s, 0) for s in SEVERITIES},
            "by_group": dict(sorted(by_group.items())),
            "by_rule": dict(sorted(by_rule.items())),
            "by_entity_type": {t: dict(c) for t, c in sorted(by_type.items())},
        }

    def projects(self) -> list[dict]:
        """Per project: its own score and the mean over it and the records naming it."""
        members: dict[str, list[Record]] = defaultdict(list)
        for record in self.records.values():
            if record.fair is None:
                continue
            if record.type == "project":
                members[record.iri].append(record)
            elif record.project:
                members[record.project].append(record)
        out = []
        for project, recs in sorted(members.items()):
            own = self.records.get(project)
            scores = [r.fair["score"] for r in recs]
            out.append({
                "project": project,
                "title": own.title if own else None,
                "records": len(recs),
                "fair_score": round(sum(scores) / len(scores)),
                "findings": sum(len(r.findings) for r in recs),
                "violations": sum(1 for r in recs for f in r.findings if f.severity == "Violation"),
            })
        return out

    def summary(self) -> dict:
        v = self.validation
        scored = [r for r in self.records.values() if r.fair is not None]
        return {
            "conforms": v.conforms,
            "mode": v.mode,
            "groups": list(v.shapes.groups),
            "files": sorted({r.file for r in self.records.values() if r.file and (v.focus is None or r.iri in v.focus)})
            if v.mode == "incremental" else None,
            "seconds": {k: round(s, 4) for k, s in v.seconds.items()},
            "data_triples": v.data_triples,
            "counts": self.counts(),
            "fair": {
                "records": len(scored),
                "mean_score": round(sum(r.fair["score"] for r in scored) / len(scored)) if scored else None,
                "formula": "100 * sum(weight of passed checks) / sum(weight of applicable checks); "
                           "weights Violation 3, Warning 2, Info 1",
            },
            "records": [
                {"record": r.iri, "type": r.type, "file": r.file, "title": r.title,
                 "findings": len(r.findings), "fair": r.fair}
                for r in sorted(self.records.values(), key=lambda r: (r.type, r.file))
            ],
            "projects": self.projects(),
            "findings": [self.finding_dict(r, f) for r, f in self.findings],
        }

    @staticmethod
    def finding_dict(record: Record, f: Finding) -> dict:
        return {
            "severity": f.severity, "group": f.group, "rule": f.rule, "rule_ids": list(f.rule_ids),
            "record": record.iri, "type": record.type, "file": record.file, "focus": f.focus, "path": f.path,
            "value": f.value, "message": f.message, "shape": f.shape, "component": f.component,
            "fair_principle": f.shape_info.fair_principle if f.shape_info else None,
        }

    def to_json(self) -> str:
        return json.dumps(self.summary(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        """One line per finding, worst first, then the counts: what a terminal or a CI log shows."""
        lines = [f"{f.severity.upper():9} {f.rule:24} {r.file or r.iri}: {f.message}"
                 + (f" [{f.value}]" if f.value and f.value not in f.message else "") for r, f in self.findings]
        c = self.counts()
        sev = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}" for s, n in c["by_severity"].items())
        mode = self.validation.mode
        lines.append(f"{c['total']} findings ({sev}); {mode} run over {self.validation.data_triples} triples "
                     f"in {self.validation.seconds.get('total', 0):.2f} s")
        return "\n".join(lines) + "\n"

    # -- the W3C report ----------------------------------------------------------------------------------------------
    def triples(self, report_iri: str) -> list[ox.Triple]:
        """The ``sh:ValidationReport`` with one ``sh:ValidationResult`` per finding, plus what a SPARQL user needs to
        trace it: the rule id, group, record, file (``ecsh:``) and each scored record's FAIR score."""
        sh, e = (lambda n: ox.NamedNode(SH + n)), (lambda n: ox.NamedNode(ECSH + n))
        a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        report = ox.NamedNode(report_iri)
        out = [ox.Triple(report, a, sh("ValidationReport")),
               ox.Triple(report, sh("conforms"), ox.Literal(str(self.validation.conforms).lower(),
                                                            datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")))]
        for i, (record, f) in enumerate(self.findings):
            r = ox.NamedNode(f"{report_iri}#result-{i + 1}")
            out += [ox.Triple(report, sh("result"), r), ox.Triple(r, a, sh("ValidationResult")),
                    ox.Triple(r, sh("focusNode"), _node(f.focus)), ox.Triple(r, sh("resultSeverity"), sh(f.severity)),
                    ox.Triple(r, sh("sourceConstraintComponent"), sh(f.component)),
                    ox.Triple(r, sh("sourceShape"), ox.NamedNode(f.shape)),
                    ox.Triple(r, sh("resultMessage"), ox.Literal(f.message)),
                    ox.Triple(r, e("rule"), ox.Literal(f.rule)),
                    ox.Triple(r, e("record"), ox.NamedNode(record.iri)),
                    ox.Triple(r, e("file"), ox.Literal(record.file))]
            if f.group:
                out.append(ox.Triple(r, e("group"), ox.Literal(f.group)))
            if f.value is not None:
                out.append(ox.Triple(r, sh("value"), ox.Literal(f.value)))
            if f.shape_info and f.shape_info.fair_principle:
                out.append(ox.Triple(r, e("fairPrinciple"), ox.Literal(f.shape_info.fair_principle)))
        for record in self.records.values():
            if record.fair is not None:
                node = ox.NamedNode(record.iri)
                out.append(ox.Triple(node, e("fairScore"), ox.Literal(str(record.fair["score"]),
                                                                      datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
        return out

    def serialize(self, report_iri: str, fmt: ox.RdfFormat) -> bytes:
        prefixes = {"sh": SH, "ecsh": ECSH, "ec": EC}
        return ox.serialize(self.triples(report_iri), format=fmt, prefixes=prefixes)

    def store_in(self, store: GraphStore, report_iri: str) -> None:
        """Put the report in its own named graph (``report_iri``), replacing the previous one, so it can be queried."""
        store.replace_graph(report_iri, ox.serialize(self.triples(report_iri), format=ox.RdfFormat.N_TRIPLES))


def _with_hrefs(store: GraphStore, findings: list[Finding]) -> list[Finding]:
    """Findings on a link node that carry no value (node-level checks such as a dangling link) get the link's href,
    so every line of a report shows the offending value."""
    links = sorted({f.focus for f in findings if f.value in (None, f.focus) and "#link-" in f.focus})
    if not links:
        return findings
    values = " ".join(f"<{link}>" for link in links)
    rows = store.select(f"SELECT ?l ?h WHERE {{ VALUES ?l {{ {values} }} ?l <{EC}href> ?h }}")
    hrefs = {r["l"].value: r["h"].value for r in rows}
    return [replace(f, value=hrefs[f.focus]) if f.value in (None, f.focus) and f.focus in hrefs else f for f in findings]


def _node(text: str):
    if text.startswith("_:"):
        return ox.BlankNode(text[2:])
    return ox.NamedNode(text)


def report_iri(base_iri: str, mode: str) -> str:
    """Where reports are stored: ``{base}validation/report`` (full) or ``{base}validation/incremental``."""
    base = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
    return f"{base}validation/{'report' if mode == 'full' else 'incremental'}"
