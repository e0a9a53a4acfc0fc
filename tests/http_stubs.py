"""Tiny HTTP servers on 127.0.0.1 that stand between the remote store and a real Oxigraph server.

They let the tests observe what goes over the wire (an authenticating gateway, a gateway answering 503 while the store
is in maintenance, an endpoint too slow to answer) without mocking the store's HTTP code.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

#: Decides what to do with a request before it is forwarded: None to forward it, else (status, message) to answer.
Gate = Callable[[BaseHTTPRequestHandler], "tuple[int, str] | None"]


def _handler(upstream: str, gate: Gate, seen: list[dict[str, str]]) -> type[BaseHTTPRequestHandler]:
    class Forwarder(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            seen.append(dict(self.headers))
            # read the body even when refusing: closing a socket with unread input resets the connection
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            refusal = gate(self)
            if refusal:
                self._answer(refusal[0], refusal[1].encode(), "text/plain")
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            request = urllib.request.Request(upstream + self.path, data=body or None, method=self.command,
                                             headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    self._answer(response.status, response.read(), response.headers.get("Content-Type", ""))
            except urllib.error.HTTPError as e:
                self._answer(e.code, e.read(), e.headers.get("Content-Type", "text/plain"))

        def _answer(self, status: int, body: bytes, media_type: str) -> None:
            self.send_response(status)
            if media_type:
                self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = _forward

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

    return Forwarder


@contextmanager
def gateway(upstream: str, gate: Gate = lambda _: None) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A forwarding server to ``upstream``; yields (its base URL, the headers of every request it received)."""
    seen: list[dict[str, str]] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(upstream, gate, seen))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def require_authorization(expected: str) -> Gate:
    """A gate that answers 401 unless the request carries exactly this Authorization header."""
    return lambda request: None if request.headers.get("Authorization") == expected else (401, "who are you?")


def unavailable(message: str) -> Gate:
    return lambda request: (503, message)


def slow(seconds: float) -> Gate:
    def gate(request: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)

    return gate
