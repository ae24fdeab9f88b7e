"""The "busy machine" of the benchmarks: one CPU-bound process per core while a block runs."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import os
from collections.abc import Iterator
from contextlib import contextmanager


def _spin(stop: multiprocessing.synchronize.Event) -> None:
    while not stop.is_set():
        sum(range(10_000))


@contextmanager
def busy_cores() -> Iterator[None]:
    """One CPU-bound process per core for as long as the block runs."""
    stop = multiprocessing.Event()
    workers = [multiprocessing.Process(target=_spin, args=(stop,), daemon=True) for _ in range(os.cpu_count() or 1)]
    for worker in workers:
        worker.start()
    try:
        yield
    finally:
        stop.set()
        for worker in workers:
            worker.join()
