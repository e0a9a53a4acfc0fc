"""Bulk writes on background threads, so mapping catalog files (Python, holding the GIL) overlaps with writing.

Both stores write a first load as a stream of steps — a ``bulk_load`` call (embedded) or an HTTP request (remote) —
that release the GIL while they run. Steps are independent (each carries whole documents), so several may run at
once: one ``bulk_load`` call or one server-side bulk load parses and then sorts on one thread at a time, and on a
2-core machine a single writer left a core idle (100x catalog, embedded, one pair of runs: 183 s with one writer,
160 s with two).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable

#: Steps run at once. Measured on 2 cores only; more cores would likely take more, not measured.
WRITERS = 2


def run_steps(steps: Iterable[Callable[[], object]], writers: int = WRITERS, name: str = "store-writer") -> None:
    """Run ``steps`` on ``writers`` threads while the caller's generator produces the next ones.

    At most ``writers + 1`` produced steps wait, which bounds the memory held by steps not yet written. The first
    failure stops the writers (steps already running finish) and is re-raised here.
    """
    pending: queue.Queue[Callable[[], object] | None] = queue.Queue(maxsize=writers + 1)
    failure: list[BaseException] = []

    def writer() -> None:
        while (step := pending.get()) is not None:
            if not failure:
                try:
                    step()
                except BaseException as e:  # noqa: BLE001 — re-raised in the caller's thread
                    failure.append(e)

    threads = [threading.Thread(target=writer, name=f"{name}-{i}", daemon=True) for i in range(writers)]
    for thread in threads:
        thread.start()
    try:
        for step in steps:
            if failure:
                break
            pending.put(step)
    finally:
        for _ in threads:
            pending.put(None)
        for thread in threads:
            thread.join()
    if failure:
        raise failure[0]
