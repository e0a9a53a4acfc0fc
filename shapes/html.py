"""The HTML report: one page a person reads top-down — counts, then findings worst first (record, rule, message,
offending value), then FAIR scores per project and per record, lowest first."""

from __future__ import annotations

from importlib.resources import files

from jinja2 import Environment, StrictUndefined, select_autoescape

from .report import Report
from .shapeset import SEVERITIES


def render_html(report: Report) -> str:
    summary = report.summary()
    findings = [{**f, "severity_rank": SEVERITIES.index(f["severity"])} for f in summary["findings"]]
    scored = sorted((r for r in summary["records"] if r["fair"]), key=lambda r: (r["fair"]["score"], r["file"]))
    rules = sorted(summary["counts"]["by_rule"].items(), key=lambda kv: (-kv[1], kv[0]))
    env = Environment(autoescape=select_autoescape(default=True), undefined=StrictUndefined)
    template = env.from_string((files(__package__) / "templates" / "report.html").read_text(encoding="utf-8"))
    return template.render(summary=summary, findings=findings, scored=scored, rules=rules)
