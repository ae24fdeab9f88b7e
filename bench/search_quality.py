"""Search quality on the shared fixture screenplays: hit@5 and MRR@10 for keyword-only, vector-only and hybrid.

The three fixture scripts (../shared/fixtures/screenplays relative to the repo root) are parsed and indexed
together in a fresh embedded index with the packaged MiniLM model, exactly as the pipeline indexes them
(chunks with the heading kept, metadata). Each labelled query names the scenes a reader would accept as the
answer; the labels were chosen by reading the scripts. A query counts as a hit@5 when one of its scenes is
among the first five scenes returned; MRR@10 averages 1/rank of the first relevant scene within ten.
Hybrid is the index's own fusion (relative scores); reciprocal rank fusion of the same two rankings is printed
for comparison. Target: hybrid beats both single rankings and reaches hit@5 >= 0.8.
Usage: python bench/search_quality.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cortexreel.adapters.embedder_local import LocalMiniLmEmbedder  # noqa: E402
from cortexreel.adapters.vectors_embedded import EmbeddedVectorIndex  # noqa: E402
from cortexreel.bootstrap import build_services  # noqa: E402
from cortexreel.config import Settings  # noqa: E402
from cortexreel.container import Services  # noqa: E402
from cortexreel.domain.base import new_id  # noqa: E402
from cortexreel.domain.scenes import scene_from_parse  # noqa: E402
from cortexreel.domain.scripts import Script  # noqa: E402
from cortexreel.parsing import parse_screenplay  # noqa: E402
from cortexreel.ports import VectorHit, VectorIndex  # noqa: E402
from cortexreel.search.embeddings import CachedEmbedder  # noqa: E402
from cortexreel.search.ranking import reciprocal_rank_fusion  # noqa: E402
from cortexreel.services.pipeline import index_scenes  # noqa: E402
from tests.fakes import InMemoryBlobStore, InMemoryDocumentStore, SynchronousTaskQueue  # noqa: E402

FIXTURES = REPO.parent / "shared" / "fixtures" / "screenplays"
SCRIPTS = {"B": "Brick-and-Steel", "L": "The-Last-Birthday-Card", "F": "Big-Fish"}

# (query, script key, relevant scene numbers)
QUERIES: list[tuple[str, str, set[int]]] = [
    ("retired detective sitting quietly on his patio", "B", {1}),
    ("criminals counting money and drugs from a robbery", "B", {2}),
    ("a hitman looks at Steel through a rifle scope", "B", {3, 4}),
    ("roughing up a suspect against the wall of a shack", "B", {6}),
    ("they take mom's Porsche out of the garage", "B", {7}),
    ("shirtless villain orders them dead", "B", {8}),
    ("a bad painter at work in his San Francisco flat", "L", {1, 48}),
    ("the mailman brings letters and bills", "L", {2, 3, 25}),
    ("he gets another birthday card", "L", {3, 5, 25}),
    ("Baxter and his music", "L", {4, 29}),
    ("choosing between two identical yellow cars", "L", {9}),
    ("driving across the Golden Gate Bridge", "L", {10, 14}),
    ("a killer with surgical gloves enters the hotel room", "L", {21}),
    ("a helicopter shoots up the apartment", "L", {26, 27, 28}),
    ("the evening news shows the burned building", "L", {32}),
    ("two friends getting drunk on beer", "L", {30, 31}),
    ("sniper hiding in the grass on a hill", "L", {37}),
    ("a truck pushes the car over the edge of the cliff", "L", {42, 45, 46}),
    ("calling the boss on the speakerphone", "L", {33, 34, 35}),
    ("brake cable blown and the car rolls downhill", "L", {39, 40}),
    ("father tells his little boy a bedtime story about a huge fish", "F", {1, 2}),
    ("angry argument at the wedding reception in Paris", "F", {4, 5}),
    ("the witch's glass eye shows how you will die", "F", {18, 19, 20, 24, 25, 96}),
    ("a baby slides across the hospital floor at birth", "F", {11, 12}),
    ("flying home from France on a plane", "F", {14, 15}),
    ("a giant eats the sheep and the townspeople form a mob", "F", {43, 44, 45}),
    ("Edward meets the giant in his cave", "F", {46}),
    ("walking through a dark forest full of spiders", "F", {52, 53, 62}),
    ("the circus ringmaster Amos Calloway", "F", {69, 70, 73, 77}),
    ("head inside a lion's mouth", "F", {74}),
    ("shot out of a cannon", "F", {79, 80}),
    ("the ringmaster is a werewolf, a dog fetching a stick", "F", {82, 83, 84}),
    ("ten thousand daffodils on the lawn", "F", {93, 94}),
    ("Don Price beats Edward up in front of Sandra", "F", {97}),
    ("robbing a bank that turns out to be broke", "F", {118, 119, 120, 121}),
    ("a car underwater during a flood at night", "F", {135, 136, 137}),
    ("Edward rebuilds Jenny's shack in the swamp", "F", {150, 151, 152, 153, 155}),
    ("Will visits Jenny and asks about his father", "F", {133, 158}),
    ("Will tells his dying father the story of his death", "F", {177, 183}),
    ("the funeral at the cemetery", "F", {188, 189, 190}),
    ("escaping the hospital in a wheelchair", "F", {174, 175, 176}),
    ("Edward swims laps in the family pool at night", "F", {9}),
    ("buying up the town of Spectre at auction", "F", {142, 143, 144, 145}),
    ("fireflies under a tree at dusk", "F", {57}),
    ("a heart written in the sky", "F", {92}),
]

Ranker = Callable[[str, list[float]], list[VectorHit]]


def build(data_dir: Path) -> tuple[Services, dict[str, str]]:
    settings = Settings(_env_file=None, data_dir=data_dir)
    services = build_services(
        settings,
        documents=InMemoryDocumentStore(),
        blobs=InMemoryBlobStore(),
        queue=SynchronousTaskQueue,
        embedder=LocalMiniLmEmbedder(),
        vectors=EmbeddedVectorIndex(data_dir / "vectors.sqlite3"),
    )
    ids: dict[str, str] = {}
    for key, name in SCRIPTS.items():
        path = FIXTURES / f"{name}.fountain"
        screenplay = parse_screenplay(path.read_bytes(), path.name)
        script = Script(
            id=new_id(),
            owner="bench",
            title=name,
            filename=path.name,
            format="fountain",
            blob_key="sha256/" + "0" * 64,
            sha256="0" * 64,
            size_bytes=path.stat().st_size,
        )
        services.documents.add_script(script)
        services.documents.upsert_scenes([scene_from_parse(script.id, parsed) for parsed in screenplay.scenes])
        index_scenes(services, script, services.documents.list_scenes(script.id))
        ids[key] = script.id
    return services, ids


def scene_ranking(hits: list[VectorHit]) -> list[tuple[str, int]]:
    seen: list[tuple[str, int]] = []
    for hit in hits:
        number = hit.metadata.get("scene_number")
        item = (hit.script_id, int(number) if isinstance(number, int) else -1)
        if item not in seen:
            seen.append(item)
    return seen[:10]


def evaluate(name: str, ranker: Ranker, vectors: dict[str, list[float]], ids: dict[str, str]) -> tuple[float, float]:
    hits5 = 0
    reciprocal = 0.0
    latencies = []
    misses = []
    for query, key, relevant in QUERIES:
        started = time.perf_counter()
        ranking = scene_ranking(ranker(query, vectors[query]))
        latencies.append(time.perf_counter() - started)
        wanted = {(ids[key], number) for number in relevant}
        ranks = [rank for rank, item in enumerate(ranking, start=1) if item in wanted]
        if ranks and ranks[0] <= 5:
            hits5 += 1
        else:
            misses.append(query)
        if ranks:
            reciprocal += 1.0 / ranks[0]
    hit_rate, mrr = hits5 / len(QUERIES), reciprocal / len(QUERIES)
    mean_ms = 1000 * sum(latencies) / len(latencies)
    print(f"{name:<13} hit@5 {hit_rate:.3f}   MRR@10 {mrr:.3f}   ({mean_ms:.1f} ms/query)")
    for query in misses:
        print(f"{'':<13}   missed: {query}")
    return hit_rate, mrr


def rrf(index: VectorIndex, query: str, vector: list[float], depth: int) -> list[VectorHit]:
    """The same two rankings fused by reciprocal rank (k=60) instead, for comparison."""
    keyword = index.query(None, text=query, limit=depth)
    nearest = index.query(vector, limit=depth)
    by_id = {hit.id: hit for hit in keyword + nearest}
    fused = reciprocal_rank_fusion([[hit.id for hit in nearest], [hit.id for hit in keyword]])
    return [by_id[item] for item, _ in fused]


def main() -> int:
    if not FIXTURES.is_dir():
        print(
            f"The shared fixtures are not at {FIXTURES} (expected ../shared/fixtures/screenplays from the repo root)."
        )
        return 1
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        services, ids = build(Path(folder))
        index = services.vectors
        print(
            f"{len(QUERIES)} labelled queries over {len(ids)} scripts, {index.count()} chunks indexed "
            f"in {time.perf_counter() - started:.1f} s (embedding included)"
        )
        embedder = CachedEmbedder(services.embedder, services.documents)
        vectors = {query: embedder.embed_query(query) for query, _, _ in QUERIES}
        depth = 40  # chunks, enough for ten distinct scenes
        keyword = evaluate("keyword-only", lambda q, v: index.query(None, text=q, limit=depth), vectors, ids)
        vector = evaluate("vector-only", lambda q, v: index.query(v, limit=depth), vectors, ids)
        evaluate("(RRF k=60)", lambda q, v: rrf(index, q, v, depth), vectors, ids)
        hybrid = evaluate("hybrid", lambda q, v: index.query(v, text=q, limit=depth), vectors, ids)
    beats = hybrid[0] >= max(keyword[0], vector[0]) and hybrid[1] > max(keyword[1], vector[1])
    print(f"hybrid beats both: {'yes' if beats else 'NO'}; hit@5 target 0.8: {'met' if hybrid[0] >= 0.8 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
