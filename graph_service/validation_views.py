"""Validation views: the SHACL report of the loaded catalog as JSON (a summary, and one record's findings with its
FAIR score), as the HTML report a person reads top-down, and as the W3C ``sh:ValidationReport`` (Turtle, JSON-LD).

A full validation of the real catalog takes seconds, so the report is computed once, on first use, and kept until this
service writes the store (a SPARQL Update: :meth:`Service.store_changed`) or a client asks for ``?refresh=true``.
These are GET views, so they never write: `earthcode-kg validate` stores reports in their named graph
(``{base}validation/report``) where ``records_failing_rule.rq`` and any SPARQL query can join them with the catalog.
"""

from __future__ import annotations

import threading

import pyoxigraph as ox
from flask import Blueprint, Response, abort, jsonify, request

from loaders.iris import TYPE_FOLDERS
from shapes.engine import validate_store
from shapes.html import render_html
from shapes.report import Report, report_iri

from .conneg import HTML, choose_representation
from .service import Service, current_service, url_root

bp = Blueprint("validation", __name__)

class ReportCache:
    """The latest full report; one validation at a time (concurrent requests wait for it rather than repeat it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._report: Report | None = None

    def get(self, service: Service, refresh: bool = False) -> Report:
        with self._lock:
            if self._report is None or refresh:
                self._report = Report.build(service.store, validate_store(service.store))
            return self._report

    def invalidate(self) -> None:
        with self._lock:
            self._report = None


def _report() -> Report:
    service = current_service()
    return service.validation.get(service, refresh=request.args.get("refresh") == "true")


def _links() -> dict[str, str]:
    root = url_root()
    return {"html": root + "validation", "turtle": root + "validation?format=ttl",
            "jsonld": root + "validation?format=jsonld", "full_json": root + "api/validation?detail=full"}


@bp.get("/api/validation")
def summary() -> Response:
    """Counts per rule, severity, group and entity type, the FAIR mean and per-project aggregates;
    ``?detail=full`` adds every record's score and every finding."""
    data = _report().summary()
    if request.args.get("detail") != "full":
        data = {k: v for k, v in data.items() if k not in ("records", "findings")}
    data["links"] = _links()
    return jsonify(data)


@bp.get("/api/validation/<folder>/<id_>")
def record(folder: str, id_: str) -> Response:
    """One record's findings (worst first) and FAIR score (F/A/I/R breakdown and the failed checks)."""
    if folder not in TYPE_FOLDERS:
        abort(404, description=f"unknown record type {folder!r}; one of {', '.join(sorted(TYPE_FOLDERS))}")
    service = current_service()
    iri = service.entity_iri(folder, id_).value
    report = _report()
    found = report.records.get(iri)
    if found is None:
        if not service.store.ask("ASK { ?s a ?c }", {"s": ox.NamedNode(iri)}):
            abort(404, description=f"no {TYPE_FOLDERS[folder][0]} with id {id_!r}")
        # described, but no finding and no score: say so rather than 404
        return jsonify({"record": service.ref(iri), "file": None, "fair": None, "findings": [], "conforms": True})
    findings = [Report.finding_dict(found, f) for r, f in report.findings if r is found]
    return jsonify({
        "record": service.ref(iri, found.title),
        "file": found.file,
        "fair": found.fair,
        "conforms": not any(f["severity"] == "Violation" for f in findings),
        "findings": findings,
        "links": _links(),
    })


@bp.get("/validation")
def report_page() -> Response:
    """The HTML report for a browser, or the W3C report in an RDF syntax (``Accept``, or ``?format=ttl|jsonld|nt|rdfxml``)."""
    media = choose_representation()
    report = _report()
    if media == HTML:
        return Response(render_html(report), mimetype=HTML)
    body = report.serialize(report_iri(current_service().settings.base_iri, "full"), ox.RdfFormat.from_media_type(media))
    return Response(body, mimetype=media, headers={"Vary": "Accept"})
