"""A real ``oxigraph serve`` process for the tests (PyPI package ``oxigraph``, a test dependency).

It listens on a free port on 127.0.0.1 only, keeps its data in a folder the caller owns, and is started with
``--union-default-graph`` — the server setting the remote store requires (see ``docs/remote-store.md``). It can be
stopped and started again on the same port and data, which is how the tests take the store "down" and bring it back.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Self

from earthcode_kg.store.remote import RemoteStore

#: bounded wait for the server to answer after start (it normally takes well under a second)
_START_TIMEOUT_S = 30.0


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` executable next to this interpreter (the venv), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT --union-default-graph``, as a context manager."""

    def __init__(self, location: Path, port: int | None = None, args: tuple[str, ...] = ()) -> None:
        binary = oxigraph_binary()
        if binary is None:
            raise FileNotFoundError("the oxigraph server is not installed (pip install oxigraph)")
        self.binary = binary
        self.location = Path(location)
        self.port = port or free_port()
        #: more ``oxigraph serve`` options, e.g. ``("--timeout-s", "1")``
        self.args = tuple(args)
        self.process: subprocess.Popen | None = None
        #: the name of the data set :meth:`hold` left in the store, unchanged since; None once anything may have written
        self.holds: str | None = None
        self._snapshots: dict[str, bytes] = {}

    @property
    def log(self) -> Path:
        return self.location.with_name(self.location.name + ".log")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        return self.base_url + "/update"

    @property
    def gsp_url(self) -> str:
        return self.base_url + "/store"

    def remote_store(self, **options) -> RemoteStore:
        return RemoteStore(self.query_url, self.update_url, self.gsp_url, **options)

    def reset(self) -> None:
        """Empty the store (``DROP ALL``)."""
        self.holds = None
        self.remote_store().update("DROP ALL")

    def hold(self, name: str, load: Callable[[RemoteStore], object]) -> None:
        """Make the store hold the data set ``name`` and nothing else, so read-only tests can share one load.

        Nothing happens when it already does (``holds`` is ``name``). The first time, ``load`` fills the empty store
        (through the remote store, i.e. the loaders' own remote path) and the result is kept as N-Quads; later the
        store is emptied and that snapshot posted back. Whoever writes to the store afterwards sets ``holds`` to None.
        """
        if self.holds == name:
            return
        self.reset()
        snapshot = self._snapshots.get(name)
        if snapshot is None:
            load(self.remote_store())
            with urllib.request.urlopen(urllib.request.Request(
                    self.gsp_url, headers={"Accept": "application/n-quads"}), timeout=60) as response:
                self._snapshots[name] = response.read()
        else:
            request = urllib.request.Request(self.gsp_url + "?no_transaction", data=snapshot, method="POST",
                                             headers={"Content-Type": "application/n-quads"})
            urllib.request.urlopen(request, timeout=60).close()
        self.holds = name

    def start(self) -> Self:
        with self.log.open("ab") as log:  # a file, not a pipe: a chatty server can never block on a full pipe
            self.process = subprocess.Popen(
                [self.binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}",
                 "--union-default-graph", *self.args],
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + _START_TIMEOUT_S
        while not self._answers():
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {self.log.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"oxigraph serve did not answer on {self.base_url} within {_START_TIMEOUT_S} s")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.query_url + "?query=ASK%7B%7D", timeout=1):
                return True
        except (urllib.error.URLError, OSError):
            return False

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
