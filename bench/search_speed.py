"""Embedded index speed at scale: 100,000 synthetic 384-dimension scenes.

Prints index build time, disk size, the one-off matrix load after a write, p50/p95 query latency (vector-only
with and without a script filter, with a metadata filter, hybrid with words), and recall@10 against exact brute
force in float64. Targets: p95 <= 50 ms on 2 cores, recall@10 >= 0.95.
Usage: python bench/search_speed.py [--scenes N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cortexreel.adapters.vectors_embedded import EmbeddedVectorIndex  # noqa: E402
from cortexreel.ports import VectorHit, VectorRecord  # noqa: E402

DIMENSION = 384
SCRIPTS = 100
QUERIES = 200
BATCH = 2000
WORDS = [f"w{i}" for i in range(3000)] + ["car", "chase", "night", "gun", "river", "fish", "witch", "rain"]
SETTINGS = ["INT", "EXT", "INT/EXT"]
TIMES = ["DAY", "NIGHT", "DUSK", "MORNING"]
CAST = [f"CHARACTER{i}" for i in range(40)]


def synthetic(count: int, rng: np.random.Generator) -> tuple[np.ndarray, list[VectorRecord]]:
    # Clustered vectors (as real embeddings are) rather than uniform noise, which would make every query easy.
    centres = rng.normal(size=(200, DIMENSION)).astype(np.float32)
    vectors = centres[rng.integers(0, 200, size=count)] + 0.6 * rng.normal(size=(count, DIMENSION)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    records = []
    for i in range(count):
        words = rng.choice(len(WORDS), size=60)
        records.append(
            VectorRecord(
                id=f"scene-{i}#0",
                scene_id=f"scene-{i}",
                script_id=f"script-{i % SCRIPTS}",
                owner="bench",
                vector=vectors[i].tolist(),
                content="INT. PLACE - DAY\n" + " ".join(WORDS[w] for w in words),
                metadata={
                    "scene_number": i // SCRIPTS,
                    "setting": SETTINGS[i % 3],
                    "time_of_day": TIMES[i % 4],
                    "characters": [CAST[i % 40], CAST[(i * 7) % 40]],
                },
            )
        )
    return vectors, records


def latencies(run: Callable[[int], list[VectorHit]]) -> tuple[float, float]:
    times = []
    for i in range(QUERIES):
        started = time.perf_counter()
        run(i)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times)) - 1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenes", type=int, default=100_000)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    vectors, records = synthetic(args.scenes, rng)
    queries = vectors[rng.integers(0, args.scenes, size=QUERIES)] + 0.3 * rng.normal(size=(QUERIES, DIMENSION))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vectors.sqlite3"
        index = EmbeddedVectorIndex(path)
        started = time.perf_counter()
        for start in range(0, len(records), BATCH):
            index.upsert(records[start : start + BATCH])
        build = time.perf_counter() - started
        size = sum(file.stat().st_size for file in Path(folder).iterdir()) / 2**20
        started = time.perf_counter()
        index.query(queries[0].tolist(), limit=10)
        load = time.perf_counter() - started
        print(f"{args.scenes:,} scenes x {DIMENSION} dims in {SCRIPTS} scripts")
        print(f"build (upserts of {BATCH}, FTS included): {build:.1f} s; disk: {size:.0f} MB")
        print(f"first query after a write (matrix load): {load * 1000:.0f} ms")

        cases: dict[str, Callable[[int], list[VectorHit]]] = {
            "vector, no filter": lambda i: index.query(queries[i].tolist(), limit=10),
            "vector, 1 script": lambda i: index.query(queries[i].tolist(), limit=10, script_ids=[f"script-{i % 100}"]),
            "vector, 10 scripts": lambda i: index.query(
                queries[i].tolist(), limit=10, script_ids=[f"script-{(i + k) % 100}" for k in range(10)]
            ),
            "vector, 1 script + character": lambda i: index.query(
                queries[i].tolist(), limit=10, script_ids=[f"script-{i % 100}"], where={"characters": CAST[i % 40]}
            ),
            "hybrid, no filter": lambda i: index.query(queries[i].tolist(), text="night car chase", limit=10),
            "hybrid, 1 script": lambda i: index.query(
                queries[i].tolist(), text="night car chase", limit=10, script_ids=[f"script-{i % 100}"]
            ),
        }
        for name, run in cases.items():
            p50, p95 = latencies(run)
            print(f"{name:<30} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms")

        exact = vectors.astype(np.float64)
        found = 0
        for i in range(QUERIES):
            truth = set(np.argsort(-(exact @ queries[i].astype(np.float64)))[:10].tolist())
            got = {int(hit.scene_id.removeprefix("scene-")) for hit in index.query(queries[i].tolist(), limit=10)}
            found += len(truth & got)
        print(f"recall@10 against exact float64 brute force: {found / (10 * QUERIES):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
