"""The embedded index shared by several processes, as the app and forked RQ workers share it."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from cortexreel.adapters.vectors_embedded import EmbeddedVectorIndex
from cortexreel.ports import VectorRecord

RECORDS_PER_PROCESS = 120
BATCH = 10


def _vector(worker: int, i: int) -> list[float]:
    # Each record points its own way, so it is its own nearest neighbour.
    vector = [0.0] * 16
    vector[worker] = 1.0
    vector[4 + i % 12] = 0.5 + i / 1000
    return vector


def _work(path: str, worker: int, failures: multiprocessing.Queue[str]) -> None:
    """Upsert this worker's records batch by batch; after each batch, every record written so far must be found
    by its own vector (through the cached matrix, which the other process keeps invalidating)."""
    index = EmbeddedVectorIndex(Path(path))
    try:
        for start in range(0, RECORDS_PER_PROCESS, BATCH):
            batch = [
                VectorRecord(
                    id=f"w{worker}-{i}",
                    scene_id=f"w{worker}-scene-{i}",
                    script_id=f"script-{worker}",
                    owner="ann",
                    vector=_vector(worker, i),
                    content=f"worker{worker} record {i}",
                )
                for i in range(start, start + BATCH)
            ]
            index.upsert(batch)
            for i in range(start, start + BATCH):
                hits = index.query(_vector(worker, i), limit=1, script_ids=[f"script-{worker}"])
                if not hits or hits[0].id != f"w{worker}-{i}":
                    failures.put(f"worker {worker} could not find record {i}: {hits[:1]}")
                    return
            if not index.query(None, text=f"worker{worker}", limit=1):
                failures.put(f"worker {worker} found none of its records by keyword")
                return
    except Exception as error:
        failures.put(f"worker {worker} failed: {error!r}")


def test_two_processes_upsert_and_query_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite3"
    parent = EmbeddedVectorIndex(path)
    parent.upsert(
        [VectorRecord(id="seed", scene_id="seed", script_id="seed", owner="ann", vector=[1.0] * 16, content="seed")]
    )
    assert parent.query([1.0] * 16, limit=1)[0].id == "seed"  # the parent has a connection and a matrix now
    context = multiprocessing.get_context("fork")  # as RQ forks its work horses
    failures: multiprocessing.Queue[str] = context.Queue()
    workers = [context.Process(target=_work, args=(str(path), worker, failures)) for worker in (0, 1)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
        assert process.exitcode == 0
    problems = []
    while not failures.empty():
        problems.append(failures.get())
    assert problems == []
    assert parent.count() == 2 * RECORDS_PER_PROCESS + 1
    assert parent.count("script-1") == RECORDS_PER_PROCESS
    assert parent.query(_vector(1, 7), limit=1)[0].id == "w1-7"
    assert parent.query(_vector(0, 99), limit=1, script_ids=["script-0"])[0].id == "w0-99"
