"""Synthetic OSC catalogs shaped like the real one, at N times its size (issue 5's scale benchmark).

    python benchmarks/generate_catalog.py --scale 10 --out benchmarks/out/catalog-10 [--source DIR] [--seed 5]

How the shape is kept: replica 0 *is* the real catalog, byte for byte (every quirk of
``/work/shared/docs/osc-domain.md`` §5 included). Replicas 1…N-1 are copies of every variable, EO mission, project,
product (with its items), workflow and experiment with ``-r<k>`` appended to each id and folder, and every reference
between them (relative and ``self`` hrefs, ``osc:project``/``osc:variables``/``osc:missions``/``osc:workflow``/… ids,
item ``collection``) rewritten to point into the same replica. So the entity mix, the links per document and the
dangling references are those of the real catalog, N times. Themes and the root stay single, as in reality; the
type catalogs list every replica's children.

Lineage depth: in the real catalog lineage is one hop (product ← experiment ← workflow, inputs are files). To give the
lineage queries chains several levels deep, each replica's experiments also take as ``input`` the product made by
the same experiment in the previous replica, in runs of ``CHAIN`` replicas — chains of up to ``CHAIN`` experiments
(product ← experiment ← product ← experiment …). With ``--seed``, a random 10% of experiments skip that link, so
chain lengths vary (deterministically).

Replicas are rewritten from parsed JSON (orjson) and written back indented; CRLF line endings and a missing final
newline are re-applied per file. The one quirk that does not survive re-serialisation is the duplicated JSON key
(projects/fairsendd), which is present once per catalog, in replica 0.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import orjson

DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "osc-catalog"
#: the entity folders that are replicated; themes and the root catalog are shared by all replicas
REPLICATED = ("variables", "eo-missions", "projects", "products", "workflows", "experiments")
SELF_PREFIX = "https://esa-earthcode.github.io/open-science-catalog-metadata/"
#: lineage chains run over this many consecutive replicas
CHAIN = 5
_ID_FIELDS = ("osc:project", "osc:workflow", "osc:experiment", "osc:product")
_ID_LISTS = ("osc:variables", "osc:missions", "osc:workflows", "osc:projects")
_REF = re.compile(r"(?<![^/.])(" + "|".join(REPLICATED) + r")/([^/]+)/")


def suffix(replica: int) -> str:
    return f"-r{replica}" if replica else ""


def rename_refs(href: str, tag: str) -> str:
    """A catalog-internal href pointing into ``<type>/<id>/`` made to point at the replica's copy."""
    if href.startswith(("http://", "https://")) and not href.startswith(SELF_PREFIX):
        return href  # external: a product's foreign STAC catalog may well have /products/ in its path
    return _REF.sub(lambda m: f"{m.group(1)}/{m.group(2)}{tag}/", href)


def rewrite(doc: dict, tag: str) -> dict:
    """One document of a replica: its id, its ids of other entities and its links renamed with ``tag``."""
    if isinstance(doc.get("id"), str):
        doc["id"] += tag
    if isinstance(doc.get("collection"), str):
        doc["collection"] += tag
    for holder in (doc, doc.get("properties") if isinstance(doc.get("properties"), dict) else {}):
        for key in _ID_FIELDS:
            if isinstance(holder.get(key), str) and holder[key]:
                holder[key] += tag
        for key in _ID_LISTS:
            if isinstance(holder.get(key), list):
                holder[key] = [v + tag if isinstance(v, str) else v for v in holder[key]]
    for link in doc.get("links") or []:
        if isinstance(link, dict) and isinstance(link.get("href"), str):
            link["href"] = rename_refs(link["href"], tag)
    return doc


def serialise_like(original: bytes, doc: dict) -> bytes:
    """Indented JSON with the original file's line endings and final-newline habit."""
    out = orjson.dumps(doc, option=orjson.OPT_INDENT_2)
    if b"\r\n" in original:
        out = out.replace(b"\n", b"\r\n")
    if original.endswith(b"\n"):
        out += b"\r\n" if original.endswith(b"\r\n") else b"\n"
    return out


def entity_files(source: Path) -> Iterator[tuple[str, Path]]:
    """(path relative to the catalog, file) of every file inside a replicated entity's folder."""
    for kind in REPLICATED:
        for folder in sorted(p for p in (source / kind).iterdir() if p.is_dir()):
            for file in sorted(folder.rglob("*")):
                if file.is_file():
                    yield file.relative_to(source).as_posix(), file


def lineage_input(doc: dict, replica: int, rng: random.Random) -> None:
    """Chain an experiment to the product its counterpart made one replica earlier."""
    if replica % CHAIN == 0 or rng.random() < 0.1:
        return
    outputs = [link["href"] for link in doc.get("links") or []
               if isinstance(link, dict) and link.get("rel") in ("child", "related")
               and "/products/" in str(link.get("href"))]
    if outputs:
        previous = outputs[0].replace(f"-r{replica}/", suffix(replica - 1) + "/")
        doc["links"].append({"rel": "input", "href": previous, "type": "application/json",
                             "title": "Input product (synthetic lineage chain)"})


def write_replica(source: str, out: str, replica: int, seed: int) -> int:
    """Write replica ``replica`` (>= 1); returns the number of files. Runs in a worker process."""
    rng = random.Random(seed * 100_003 + replica)
    tag = suffix(replica)
    count = 0
    for rel, file in entity_files(Path(source)):
        kind, folder, rest = rel.split("/", 2)
        target = Path(out, kind, folder + tag, rest)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = file.read_bytes()
        if file.suffix == ".json":
            try:
                doc = orjson.loads(data)
            except orjson.JSONDecodeError:
                doc = None  # broken on purpose in the source: copied as is
            if isinstance(doc, dict):
                doc = rewrite(doc, tag)
                if kind == "experiments" and rest == "record.json":
                    lineage_input(doc, replica, rng)
                data = serialise_like(data, doc)
        target.write_bytes(data)
        count += 1
    return count


def extend_type_catalogs(source: Path, out: Path, scale: int) -> None:
    """Each type catalog lists the children of every replica (the root and theme catalogs stay as they are)."""
    for kind in REPLICATED:
        original = (source / kind / "catalog.json").read_bytes()
        doc = orjson.loads(original)
        children = [link for link in doc["links"] if link.get("rel") == "child"]
        for replica in range(1, scale):
            tag = suffix(replica)
            for link in children:
                copy = dict(link, href=re.sub(r"^\./([^/]+)/", rf"./\g<1>{tag}/", link["href"]))
                doc["links"].append(copy)
        (out / kind / "catalog.json").write_bytes(serialise_like(original, doc))


def generate(source: Path, out: Path, scale: int, seed: int = 5, workers: int = os.cpu_count() or 1) -> int:
    """Write the catalog at ``scale`` times the source's size into ``out`` (replaced if present); returns file count."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(source, out, ignore=shutil.ignore_patterns(".git"))  # replica 0: the real catalog itself
    files = sum(1 for p in out.rglob("*") if p.is_file())
    with ProcessPoolExecutor(max_workers=workers) as pool:
        files += sum(pool.map(write_replica, [str(source)] * (scale - 1), [str(out)] * (scale - 1),
                              range(1, scale), [seed] * (scale - 1)))
    extend_type_catalogs(source, out, scale)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, required=True, help="multiple of the real catalog's size (1, 10, 100)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the real catalog")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    files = generate(args.source, args.out, args.scale, args.seed)
    print(f"{files} files at {args.scale}x in {args.out} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
