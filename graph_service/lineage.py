"""The lineage JSON of a product, built from two named queries whatever the depth.

``lineage.rq`` returns every experiment upstream of the product (with the products it generated, its workflow and
its inputs), ``lineage_details.rq`` the configuration parameters and execution environment of all of them. The tree
is then assembled here: each input product carries its own lineage until ``depth`` is reached, and a product already
on the path (glambie's experiment uses its own output) is marked ``"cycle": true`` instead of recursing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import NamedNode

from earthcode_kg.store.base import Row
from loaders.vocab import EC

from . import terms
from .service import Service, url_root

DEFAULT_DEPTH = 3
MAX_DEPTH = 10
_INPUT_KINDS = {EC + "Product": "product", EC + "InputConfiguration": "input-configuration",
                EC + "ExecutionEnvironment": "execution-environment", EC + "ProductItem": "product-item"}
_ENV_FIELDS = {EC + "environmentName": "name", EC + "condaChannel": "channels", EC + "dependency": "dependencies",
               EC + "pipDependency": "pip_dependencies", "http://www.w3.org/2000/01/rdf-schema#comment": "comment",
               EC + "isEmpty": "empty"}
_ENV_SINGLE = {"name", "comment", "empty"}


@dataclass
class _Experiment:
    iri: str
    title: str | None = None
    started: Any = None
    ended: Any = None
    workflow: tuple[str, str | None] | None = None
    #: input IRI -> (kind, title), in query order
    inputs: dict[str, tuple[str, str | None]] = field(default_factory=dict)


class LineageIndex:
    """The upstream closure of one product, indexed for assembling the tree."""

    def __init__(self, service: Service, product: NamedNode) -> None:
        self.service = service
        self.root = url_root()  # looked up once: a lineage names dozens of records
        self.experiments: dict[str, _Experiment] = {}
        self.generated_by: dict[str, list[str]] = defaultdict(list)
        for row in service.select("lineage", product=product):
            self._add(row)
        details = service.select("lineage_details", start=product)
        self.parameters = self._parameters([row for row in details if "parameter" in row])
        self.environments = self._environments([row for row in details if "environment" in row])

    def _add(self, row: Row) -> None:
        e = row["experiment"].value
        exp = self.experiments.get(e)
        if exp is None:
            exp = self.experiments[e] = _Experiment(e, terms.text(row.get("experimentTitle")),
                                                    terms.value(row.get("started")), terms.value(row.get("ended")))
        if "workflow" in row and exp.workflow is None:
            exp.workflow = (row["workflow"].value, terms.text(row.get("workflowTitle")))
        if "input" in row:
            i = row["input"].value
            kind = _INPUT_KINDS.get(terms.text(row.get("inputClass")) or "")
            known = exp.inputs.get(i)
            if known is None or (known[0] == "external" and kind):
                exp.inputs[i] = (kind or self._unclassed(i), terms.text(row.get("inputTitle")))
        outputs = self.generated_by[row["output"].value]
        if e not in outputs:
            outputs.append(e)

    def _unclassed(self, iri: str) -> str:
        """An input nothing in the graph describes: a catalog path that does not exist, or an external URL."""
        return "missing" if self.service.local_path(iri) is not None else "external"

    def _ref(self, iri: str, title: str | None = None, **extra: Any) -> dict[str, Any]:
        return self.service.ref_under(self.root, iri, title, extra)

    @staticmethod
    def _parameters(rows: list[Row]) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            param = {"name": row["name"].value, "value": terms.value(row["value"])}
            if "position" in row:
                param["position"] = terms.value(row["position"])
            out[row["experiment"].value].append(param)
        return out

    def _environments(self, rows: list[Row]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for row in rows:
            experiment = row["experiment"].value
            env = out.get(experiment)
            if env is None:
                env_iri = row["environment"].value
                env = out[experiment] = {
                    "iri": env_iri,
                    "kind": "execution-environment" if "environmentClass" in row else self._unclassed(env_iri),
                    "name": None, "channels": [], "dependencies": [], "pip_dependencies": [],
                    "links": self._ref(env_iri)["links"],
                }
            if "environmentClass" in row:
                env["kind"] = "execution-environment"
            name = _ENV_FIELDS.get(terms.text(row.get("property")) or "")
            if name in _ENV_SINGLE:
                env[name] = terms.value(row["value"])
            elif name:
                env[name].append(terms.value(row["value"]))
        return out

    # -- assembling -------------------------------------------------------------------------------------------------
    def tree(self, product: str, title: str | None, depth: int, path: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The lineage of ``product``: its (first) experiment's workflow, inputs, parameters and environment."""
        path = path | {product}
        experiments = self.generated_by.get(product, [])
        node: dict[str, Any] = {"product": self._ref(product, title)}
        if not experiments:
            node.update(experiment=None, workflow=None, inputs=[], parameters=[], environment=None)
            return node
        exp = self.experiments[experiments[0]]
        node["experiment"] = self._ref(exp.iri, exp.title, started=exp.started, ended=exp.ended)
        if len(experiments) > 1:
            node["also_generated_by"] = [self._ref(e, self.experiments[e].title) for e in experiments[1:]]
        node["workflow"] = self._ref(*exp.workflow) if exp.workflow else None
        node["inputs"] = [self._input(iri, kind, t, depth, path) for iri, (kind, t) in exp.inputs.items()]
        node["parameters"] = self.parameters.get(exp.iri, [])
        node["environment"] = self.environments.get(exp.iri)
        return node

    def _input(self, iri: str, kind: str, title: str | None, depth: int, path: frozenset[str]) -> dict[str, Any]:
        item = self._ref(iri, title, kind=kind)
        if kind != "product":
            return item
        if iri in path:
            item["cycle"] = True
            item["lineage"] = None
        elif depth <= 1:
            item["lineage"] = None
            item["truncated"] = iri in self.generated_by
        else:
            item["lineage"] = self.tree(iri, title, depth - 1, path)
        return item


def product_lineage(service: Service, product: NamedNode, title: str | None, depth: int) -> dict[str, Any]:
    """The JSON of ``/api/products/<id>/lineage`` (``depth`` levels of experiments, 1 = only the product's own)."""
    tree = LineageIndex(service, product).tree(product.value, title, depth)
    return {"depth": depth, **tree}


def derived_products(service: Service, product: NamedNode) -> list[dict[str, Any]]:
    """Every product downstream of ``product``, each with the experiment that made it and the input it came from."""
    by_product: dict[str, dict[str, Any]] = {}
    for row in service.select("derived_products", product=product):
        derived = row["derived"].value
        entry = by_product.get(derived)
        if entry is None:
            entry = by_product[derived] = service.ref(derived, terms.text(row.get("derivedTitle")))
            entry["experiment"] = service.ref(row["experiment"].value, terms.text(row.get("experimentTitle")))
            entry["from"] = []
        source = row["from"].value
        if source not in entry["from"]:
            entry["from"].append(source)
    return list(by_product.values())
