"""The real thing: ``earthcode-kg serve`` as a separate process on 127.0.0.1 (granian), driven over HTTP: several
server processes over the default on-disk store (read-only), and one process over an in-memory store with updates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.service_fixtures import UPDATE_TOKEN, free_port, start_server, stop_server


def fetch(url: str, accept: str | None = None, data: bytes | None = None, content_type: str | None = None):
    request = urllib.request.Request(url, data=data)
    if accept:
        request.add_header("Accept", accept)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    stat = fh.read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry))
    return sorted(out)


def processes_of(port: int) -> list[int]:
    """Every process whose command line names ``port`` (the supervisor, its servers and their query workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    argv = fh.read().split(b"\0")
            except OSError:
                continue
            if b"serve" in argv and str(port).encode() in argv:
                found.append(int(entry))
    return found


def wait_for(condition, timeout_s: float = 60) -> bool:
    """Poll ``condition`` until it holds or ``timeout_s`` passes (a bound on waiting, not an assertion on time)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture(scope="module")
def multi(tmp_path_factory):
    """`earthcode-kg serve --workers 2` with no store option: the default on-disk store (under a temporary
    XDG_DATA_HOME) is empty, so the supervisor loads the demo catalog into it, closes it and forks two servers that
    open it read-only; a 1 s query limit for the timeout test. Yields the supervisor process and the root URL."""
    data_home = tmp_path_factory.mktemp("xdg")
    process, root = start_server(["--query-timeout", "1", "--workers", "2"], env={"XDG_DATA_HOME": str(data_home)})
    yield process, root
    port = int(root.rsplit(":", 1)[1].strip("/"))
    stop_server(process)
    assert wait_for(lambda: not processes_of(port), 30), "servers or query workers outlived the supervisor"


@pytest.fixture(scope="module")
def server(multi):
    return multi[1]


def test_serves_the_demo_catalog_by_default(server):
    status, headers, body = fetch(server + "api/products/arctic-ice-edge-lines/lineage")
    assert status == 200 and headers["Content-Type"] == "application/json"
    lineage = json.loads(body)
    assert lineage["experiment"]["id"] == "ice-edge-extraction-2024"
    assert "Werkzeug" not in headers.get("Server", "")  # granian, not the Flask development server


def test_sparql_over_http(server):
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/earthcode/ontology#Product> }"})
    status, _, body = fetch(server + "sparql?" + query, accept="application/sparql-results+json")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "6"
    status, _, body = fetch(server + "sparql", data=b"ASK {}", content_type="application/sparql-query")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_timeout_over_http_then_recovers(server):
    query = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    started = time.monotonic()
    status, _, body = fetch(server + "sparql?" + query)
    assert status == 504 and b"time limit" in body and time.monotonic() - started < 15
    assert fetch(server + "sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))[0] == 200


def test_linked_data_over_http(server):
    status, headers, body = fetch(server + "products/arctic-sea-ice-classification", accept="text/html")
    assert status == 200 and b"application/ld+json" in body and 'rel="cite-as"' in headers["Link"]
    status, headers, _ = fetch(server + "catalog", accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")


def test_unknown_id_is_a_json_404(server):
    status, _, body = fetch(server + "api/products/nope/lineage")
    assert status == 404 and json.loads(body)["error"]["status"] == 404


# -- several server processes --------------------------------------------------------------------------------------
def test_workers_2_starts_two_servers_that_share_new_connections(multi):
    """Each server listens on the port (granian binds one socket per server with SO_REUSEPORT, and the kernel spreads
    new connections over them by address hash): sixteen keep-alive connections reach both, and each answers."""
    import http.client

    process, root = multi
    port = int(root.rsplit(":", 1)[1].strip("/"))
    servers = children(process.pid)
    assert len(servers) == 2
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(16)]
    try:
        for c in connections:
            c.request("GET", "/api/products/arctic-ice-edge-lines/lineage")
            response = c.getresponse()
            assert response.status == 200 and not response.will_close
            response.read()
        assert all(held >= 1 for held in connections_per_process(port, servers))
    finally:
        for c in connections:
            c.close()


def test_updates_are_refused_by_a_read_only_server(multi):
    _, root = multi
    status, _, body = fetch(root + "sparql", data=b"CLEAR ALL", content_type="application/sparql-update")
    assert status == 403 and b"read-only" in body
    status, _, body = fetch(root + "sparql?" + urllib.parse.urlencode(
        {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/earthcode/ontology#Product> }"}))
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "6"


def test_a_server_that_dies_is_replaced(multi):
    process, root = multi
    victim = children(process.pid)[0]
    os.kill(victim, signal.SIGKILL)
    assert wait_for(lambda: victim not in children(process.pid) and len(children(process.pid)) == 2)
    assert fetch(root + "api/products/arctic-ice-edge-lines/lineage")[0] == 200


def test_an_update_token_with_several_workers_is_refused_at_start(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "earthcode_kg.cli", "serve", "--store", ":memory:", "--workers", "2",
         "--port", str(free_port())],
        env={**os.environ, "EARTHCODE_KG_UPDATE_TOKEN": UPDATE_TOKEN, "XDG_DATA_HOME": str(tmp_path)},
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2 and "--workers 1" in result.stderr


def test_a_port_in_use_is_one_clear_error_before_anything_is_loaded(tmp_path):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "earthcode_kg.cli", "serve", "--port", str(port)],
            env={**os.environ, "XDG_DATA_HOME": str(tmp_path)}, capture_output=True, text=True, timeout=120,
            check=False)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "earthcode-kg").exists()


# -- one server process: it owns the store and takes updates -------------------------------------------------------
@pytest.fixture(scope="module")
def single(tmp_path_factory):
    process, root = start_server(["--store", ":memory:", "--workers", "1"],
                                 env={"EARTHCODE_KG_UPDATE_TOKEN": UPDATE_TOKEN,
                                      "XDG_DATA_HOME": str(tmp_path_factory.mktemp("xdg"))})
    yield process, root
    port = int(root.rsplit(":", 1)[1].strip("/"))
    stop_server(process)
    assert wait_for(lambda: not processes_of(port), 30), "query workers outlived the server"


def test_one_process_applies_updates_and_its_views_see_them(single):
    _, root = single
    lineage = root + "api/products/arctic-ice-edge-lines/lineage"
    fetch(lineage)
    status, headers, body = fetch(lineage)
    assert status == 200 and headers["X-Cache"] == "hit" and json.loads(body)["product"]["title"] != "Renamed"
    fetch(root + "sparql?" + urllib.parse.urlencode({"query": "ASK {}"}))  # start the query workers
    product = "<https://w3id.org/earthcode/products/arctic-ice-edge-lines>"
    title = "<http://purl.org/dc/terms/title>"
    update = (f"DELETE {{ GRAPH ?g {{ {product} {title} ?t }} }} "
              f"INSERT {{ GRAPH ?g {{ {product} {title} \"Renamed\" }} }} "
              f"WHERE {{ GRAPH ?g {{ {product} {title} ?t }} }}")
    request = urllib.request.Request(root + "sparql", data=update.encode(), method="POST", headers={
        "Content-Type": "application/sparql-update", "Authorization": f"Bearer {UPDATE_TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.status == 204
    status, headers, body = fetch(lineage)
    assert headers["X-Cache"] == "miss" and json.loads(body)["product"]["title"] == "Renamed"
    status, _, body = fetch(root + "sparql?" + urllib.parse.urlencode(
        {"query": f"SELECT ?t WHERE {{ {product} {title} ?t }}"}), accept="application/sparql-results+json")
    assert [b["t"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["Renamed"]


def connections_per_process(port: int, pids: list[int]) -> list[int]:
    """How many established connections to ``port`` each of ``pids`` holds (Linux /proc)."""
    inodes = set()
    with open("/proc/net/tcp") as fh:
        for line in fh.read().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                inodes.add(f"socket:[{fields[9]}]")
    counts = []
    for pid in pids:
        held = 0
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                held += os.readlink(f"/proc/{pid}/fd/{fd}") in inodes
            except OSError:
                pass
        counts.append(held)
    return counts
