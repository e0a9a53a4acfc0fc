"""schema.org ``Dataset`` JSON-LD for a product page — what Google Dataset Search reads from server-rendered HTML.

Built from the product's description triples (the same ones its IRI serves) plus the titles of its variables and
missions. Google's rules: ``name`` and ``description`` are required; ``spatialCoverage`` boxes are "S W N E" (lat
first); ``temporalCoverage`` is an ISO interval with ".." for an open end.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from pyoxigraph import Triple

from loaders.vocab import DCAT, DCT, EC, FOAF, PROV

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _index(triples: list[Triple]) -> dict[str, dict[str, list[Any]]]:
    index: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for t in dict.fromkeys(triples):
        index[t.subject.value][t.predicate.value].append(t.object)
    return index


def _first(props: dict[str, list[Any]], predicate: str) -> str | None:
    values = props.get(predicate)
    return values[0].value if values else None


def wkt_box(wkt: str) -> str | None:
    """"S W N E" from the CRS84 POLYGON/MULTIPOLYGON the loader writes for a bbox."""
    numbers = [float(n) for n in _NUMBER.findall(wkt.split(">")[-1])]
    if len(numbers) < 4:
        return None
    xs, ys = numbers[0::2], numbers[1::2]
    if wkt.lstrip().upper().startswith("MULTIPOLYGON"):  # across the antimeridian: west is the first ring's west
        west, east = xs[0], xs[len(xs) // 2 + 1] if len(xs) > 5 else max(xs)
    else:
        west, east = min(xs), max(xs)
    return f"{min(ys):g} {west:g} {max(ys):g} {east:g}"


def dataset(iri: str, url: str, triples: list[Triple], titles: dict[str, str], catalog_url: str) -> dict[str, Any]:
    """The JSON-LD object; ``titles`` names related records (variables, missions) by IRI."""
    index = _index(triples)
    p = index.get(iri, {})
    doc: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": iri,
        "url": url,
        "name": _first(p, DCT + "title"),
        "description": _first(p, DCT + "description"),
        "identifier": [iri],
        "includedInDataCatalog": {"@type": "DataCatalog", "name": "EarthCODE Open Science Catalog", "url": catalog_url},
    }
    doi = _first(p, EC + "doi")
    if doi:
        doc["identifier"].append(f"https://doi.org/{doi}")
        doc["sameAs"] = f"https://doi.org/{doi}"
    if keywords := [k.value for k in p.get(DCAT + "keyword", [])]:
        doc["keywords"] = keywords
    if licence := _first(p, DCT + "license") or _first(p, EC + "licenseId"):
        doc["license"] = licence
    for key, predicate in (("version", DCAT + "version"), ("dateCreated", DCT + "created"),
                           ("dateModified", DCT + "modified"), ("datePublished", DCT + "issued"),
                           ("citation", DCT + "bibliographicCitation")):
        if value := _first(p, predicate):
            doc[key] = value
    boxes = [wkt_box(b.value) for loc in p.get(DCT + "spatial", []) for b in index[loc.value].get(DCAT + "bbox", [])]
    if boxes := [b for b in boxes if b]:
        doc["spatialCoverage"] = [{"@type": "Place", "geo": {"@type": "GeoShape", "box": b}} for b in boxes]
    periods = [index[t.value] for t in p.get(DCT + "temporal", [])]
    if periods:
        start, end = _first(periods[0], DCAT + "startDate"), _first(periods[0], DCAT + "endDate")
        doc["temporalCoverage"] = f"{start or '..'}/{end or '..'}"
    if variables := [titles.get(v.value, v.value) for v in p.get(EC + "variable", [])]:
        doc["variableMeasured"] = variables
    if missions := [titles.get(m.value, m.value) for m in p.get(EC + "mission", [])]:
        doc["measurementTechnique"] = missions
    if experiments := [e.value for e in p.get(PROV + "wasGeneratedBy", [])]:
        doc["isBasedOn"] = experiments
    distributions = [{"@type": "DataDownload", "contentUrl": c.value, "encodingFormat": "application/json"}
                     for c in p.get(EC + "externalCatalog", [])]
    for props in index.values():
        if any(t.value == iri for t in props.get(FOAF + "primaryTopic", [])) and props.get(DCT + "source"):
            distributions.append({"@type": "DataDownload", "contentUrl": props[DCT + "source"][0].value,
                                  "encodingFormat": "application/json", "name": "STAC Collection"})
    if distributions:
        doc["distribution"] = distributions
    return {k: v for k, v in doc.items() if v is not None}
