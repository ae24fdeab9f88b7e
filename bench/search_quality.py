"""Search quality: paraphrased queries over a library of real screenplays, and the 45 fixture queries.

1. The paraphrased set (tests/corpus/search/queries.json, how it was made is written there): queries as users type
   them (plot situations, moods, production needs, a few matching several scripts) over eight real screenplays and
   the three fixture scripts. Every script of its `library` (sixteen, five of them only distractors) is ingested
   into ONE library through the app's own pipeline (parse in the sandbox, offline analysis, chunking, the packaged
   MiniLM, the embedded document store and index in a data folder), as one user. Each query is then searched
   library-wide (no script filter) and per script (restricted to the scripts its answers are in): by keyword only,
   by vector only, by reciprocal rank fusion of those two, by the index's own hybrid, and by the search service the
   app, the chat and the CLI call (its fusion and relevance floor).
   Printed for the tuning and the held-out half: hit@5 (an accepted scene among the first five scenes), MRR@5
   (1/rank of the first accepted scene within five) and, library-wide, how many queries had another script's
   scene first. Ranking is chosen on the tuning half; the held-out half is the figure to believe.
2. The 45 labelled fixture queries (written for the first search bench, chiefly Big Fish), restricted to the three
   fixture scripts inside the same library: hit@5 and MRR@10 as before, so the two benches stay comparable.

Needs ../shared/fixtures (relative to the repo root); without it this prints why and stops (exit 0).
Usage: python bench/search_quality.py [--data-dir DIR] [--misses]
  --data-dir DIR  keep the ingested library in DIR and reuse it next time (ingesting takes a few minutes: parsing,
                  analysis and embedding); delete DIR after changing parsing, chunking or records.
  --misses        list every query whose answers were not in the search service's first five, per half.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cortexreel.bootstrap import build_services  # noqa: E402
from cortexreel.config import Settings  # noqa: E402
from cortexreel.container import Services  # noqa: E402
from cortexreel.domain.scenes import Scene  # noqa: E402
from cortexreel.domain.scripts import ScriptStatus  # noqa: E402
from cortexreel.ports import VectorHit  # noqa: E402
from cortexreel.search.embeddings import CachedEmbedder  # noqa: E402
from cortexreel.search.ranking import reciprocal_rank_fusion  # noqa: E402
from cortexreel.services import scripts as scripts_service  # noqa: E402
from cortexreel.services import search as search_service  # noqa: E402
from tests.fakes import SynchronousTaskQueue  # noqa: E402

SHARED = REPO.parent / "shared" / "fixtures"
CORPUS = REPO / "tests" / "corpus" / "search" / "queries.json"
USER = "bench"
DEPTH = 40  # chunks asked of the index per ranking: enough for ten distinct scenes
FIXTURE_KEYS = {"B": "brick", "L": "birthday", "F": "bigfish"}

# The first bench's queries: (query, fixture script, relevant scene numbers), written by reading the scripts.
FIXTURE_QUERIES: list[tuple[str, str, set[int]]] = [
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

# Queries no scene answers: the search service should say "nothing close" (an empty list) to each.
NONSENSE_QUERIES = [
    "qwxzv blorfunk",
    "zzyzx plonk vreeb",
    "asdf jkl qwerty",
    "the of and to",
    "glorp snazzlefrump",
]

SceneRef = tuple[str, int]  # (script id, scene number)
# A ranking under test: (query, its vector, the scripts to search or None for the whole library) -> scenes, best first.
Ranker = Callable[[str, list[float], list[str] | None], list[SceneRef]]


@dataclass
class Query:
    id: str
    half: str
    text: str
    relevant: set[SceneRef]

    @property
    def scripts(self) -> list[str]:
        return sorted({script for script, _ in self.relevant})


@dataclass
class Score:
    """One ranker on one set of queries."""

    hits: int = 0
    reciprocal: float = 0.0
    other_first: int = 0
    count: int = 0
    seconds: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, query: Query, ranking: Sequence[SceneRef], seconds: float, cutoff: int) -> None:
        self.count += 1
        self.seconds.append(seconds)
        ranks = [rank for rank, scene in enumerate(ranking[:cutoff], start=1) if scene in query.relevant]
        if ranks and ranks[0] <= 5:
            self.hits += 1
        else:
            self.misses.append(query.text)
        if ranks:
            self.reciprocal += 1.0 / ranks[0]
        if ranking and ranking[0][0] not in query.scripts:
            self.other_first += 1

    @property
    def hit_rate(self) -> float:
        return self.hits / self.count if self.count else 0.0

    @property
    def mrr(self) -> float:
        return self.reciprocal / self.count if self.count else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="keep the ingested library here and reuse it")
    parser.add_argument("--misses", action="store_true", help="list the search service's misses")
    arguments = parser.parse_args()
    if not SHARED.is_dir():
        print(f"Skipped: the shared screenplays are not at {SHARED} (../shared/fixtures from the repo root).")
        return 0
    corpus = json.loads(CORPUS.read_text(encoding="utf-8"))
    if arguments.data_dir:
        arguments.data_dir.mkdir(parents=True, exist_ok=True)
        return run(arguments.data_dir, corpus, arguments.misses)
    with tempfile.TemporaryDirectory() as folder:
        return run(Path(folder), corpus, arguments.misses)


def run(data_dir: Path, corpus: dict[str, Any], show_misses: bool) -> int:
    services = build_services(Settings(_env_file=None, data_dir=data_dir), queue=SynchronousTaskQueue)
    started = time.perf_counter()
    ids = load_library(services, corpus["library"])
    print(
        f"Library: {len(ids)} of {len(corpus['library'])} scripts, {services.vectors.count()} chunks "
        f"(ready in {time.perf_counter() - started:.0f} s)"
    )
    queries, unresolved = resolve_queries(services, corpus, ids)
    if unresolved:
        print(f"{len(unresolved)} labelled scenes are no longer in the parse (left out): {', '.join(unresolved[:8])}")
    embed = CachedEmbedder(services.embedder, services.documents)
    vectors = {query.text: embed.embed_query(query.text) for query in queries}
    rankers = rankers_for(services)
    halves = {
        "tuning": [q for q in queries if q.half == "tuning"],
        "held_out": [q for q in queries if q.half != "tuning"],
    }
    print(
        f"\n{len(queries)} paraphrased queries ({len(halves['tuning'])} tuning, {len(halves['held_out'])} held-out); "
        "hit@5 / MRR@5; 'other' = queries whose first result was another script's scene"
    )
    print(f"{'':<22}{'library-wide':^44}{'per script':^28}")
    print(f"{'':<22}{'tuning':^20}{'held-out':^24}{'tuning':^14}{'held-out':^14}")
    service_misses: dict[str, list[str]] = {}
    for name, ranker in rankers.items():
        cells = []
        seconds: list[float] = []
        for half in ("tuning", "held_out"):
            wide = evaluate(ranker, halves[half], vectors, restrict=False, cutoff=5)
            cells.append(f"{wide.hit_rate:.2f} {wide.mrr:.2f} other {wide.other_first:>2}  ")
            seconds.extend(wide.seconds)
            if name == "search service":
                service_misses[half] = wide.misses
        for half in ("tuning", "held_out"):
            narrow = evaluate(ranker, halves[half], vectors, restrict=True, cutoff=5)
            cells.append(f"{narrow.hit_rate:.2f} {narrow.mrr:.2f}    ")
        timing = 1000 * statistics.fmean(seconds)
        print(f"{name:<22}{cells[0]:<20}{cells[1]:<24}{cells[2]:<14}{cells[3]:<14}{timing:5.1f} ms/query")
    if show_misses:
        for half, missed in service_misses.items():
            print(f"\nsearch service, library-wide, {half}: {len(missed)} missed")
            for text in missed:
                print(f"   {text}")
    empty = [query for query in NONSENSE_QUERIES if not search_service.search(services, USER, query)]
    print(f"\nnonsense queries answered with nothing by the search service: {len(empty)} of {len(NONSENSE_QUERIES)}")
    fixture_queries(services, ids, rankers, embed)
    return 0


def load_library(services: Services, library: dict[str, str]) -> dict[str, str]:
    """Ingest every script of the library through the pipeline (once: a kept data folder is reused); key -> id."""
    ids: dict[str, str] = {}
    for key, relative in library.items():
        path = SHARED / relative
        data = path.read_bytes()
        script = scripts_service.same_file(services, USER, data)
        if script is None:
            try:
                script = scripts_service.ingest(services, data, path.name, owner=USER)
            except Exception as error:  # noqa: BLE001 - a refused script is reported and left out, not fatal
                print(f"  {path.name}: refused ({error})")
                continue
            script = scripts_service.get_script(services, script.id)
        if script.status != ScriptStatus.COMPLETED:
            print(f"  {path.name}: {script.status} ({script.error.message if script.error else 'no reason'})")
            continue
        ids[key] = script.id
    return ids


def heading_key(text: str) -> str:
    return re.sub(r"[^\w]+", "", text.upper())


def words_of(text: str) -> str:
    return " ".join(text.split()).lower()


def resolve_queries(services: Services, corpus: dict[str, Any], ids: dict[str, str]) -> tuple[list[Query], list[str]]:
    """The queries with their relevant scenes as (script id, scene number) of this parse. A label is found by
    number when the scene there still has the labelled heading and opening words, else by those anchors anywhere
    in the script (a parser change may renumber scenes)."""
    scenes = {key: services.documents.list_scenes(script_id) for key, script_id in ids.items()}
    unresolved: list[str] = []

    def locate(key: str, number: int) -> int | None:
        anchor = corpus["anchors"][key][str(number)]
        wanted, opening = heading_key(anchor["heading"]), words_of(anchor["opening"])

        def matches(scene: Scene) -> bool:
            return heading_key(scene.heading) == wanted and opening in words_of(scene.text)

        by_number = {scene.number: scene for scene in scenes[key]}
        if number in by_number and matches(by_number[number]):
            return number
        found = [scene.number for scene in scenes[key] if matches(scene)]
        return min(found, key=lambda found_number: abs(found_number - number)) if found else None

    queries = []
    for item in corpus["queries"]:
        relevant: set[SceneRef] = set()
        for key, numbers in item["relevant"].items():
            if key not in ids:
                unresolved.extend(f"{key} {number}" for number in numbers)
                continue
            for number in numbers:
                located = locate(key, number)
                if located is None:
                    unresolved.append(f"{key} {number}")
                else:
                    relevant.add((ids[key], located))
        if relevant:
            queries.append(Query(item["id"], item["half"], item["query"], relevant))
    return queries, unresolved


def scene_ranking(hits: Sequence[VectorHit]) -> list[SceneRef]:
    """Distinct scenes in the order of their best chunk."""
    seen: list[SceneRef] = []
    for hit in hits:
        number = hit.metadata.get("scene_number")
        item = (hit.script_id, int(number) if isinstance(number, int) else -1)
        if item not in seen:
            seen.append(item)
    return seen[:10]


def rankers_for(services: Services) -> dict[str, Ranker]:
    index = services.vectors

    def keyword(query: str, vector: list[float], scripts: list[str] | None) -> list[SceneRef]:
        return scene_ranking(index.query(None, text=query, limit=DEPTH, script_ids=scripts))

    def nearest(query: str, vector: list[float], scripts: list[str] | None) -> list[SceneRef]:
        return scene_ranking(index.query(vector, limit=DEPTH, script_ids=scripts))

    def index_hybrid(query: str, vector: list[float], scripts: list[str] | None) -> list[SceneRef]:
        return scene_ranking(index.query(vector, text=query, limit=DEPTH, script_ids=scripts))

    def rrf(query: str, vector: list[float], scripts: list[str] | None) -> list[SceneRef]:
        by_keyword = index.query(None, text=query, limit=DEPTH, script_ids=scripts)
        by_vector = index.query(vector, limit=DEPTH, script_ids=scripts)
        hits = {hit.id: hit for hit in by_keyword + by_vector}
        fused = reciprocal_rank_fusion([[hit.id for hit in by_vector], [hit.id for hit in by_keyword]])
        return scene_ranking([hits[item] for item, _ in fused])

    def service(query: str, vector: list[float], scripts: list[str] | None) -> list[SceneRef]:
        results = search_service.search(services, USER, query, script_ids=scripts, limit=10)
        return [(result.script_id, result.scene_number) for result in results]

    return {
        "keyword-only": keyword,
        "vector-only": nearest,
        "RRF k=60 (chunks)": rrf,
        "index hybrid": index_hybrid,
        "search service": service,
    }


def evaluate(
    ranker: Ranker, queries: Sequence[Query], vectors: dict[str, list[float]], *, restrict: bool, cutoff: int
) -> Score:
    score = Score()
    for query in queries:
        started = time.perf_counter()
        ranking = ranker(query.text, vectors[query.text], query.scripts if restrict else None)
        score.add(query, ranking, time.perf_counter() - started, cutoff)
    return score


def fixture_queries(services: Services, ids: dict[str, str], rankers: dict[str, Ranker], embed: CachedEmbedder) -> None:
    """The first bench's 45 queries, searched within the three fixture scripts: hit@5 and MRR@10."""
    if not all(key in ids for key in FIXTURE_KEYS.values()):
        print("\nThe fixture scripts are not all in the library: the 45 fixture queries are skipped.")
        return
    fixture_ids = [ids[key] for key in FIXTURE_KEYS.values()]
    queries = [
        Query("fixture", "fixture", text, {(ids[FIXTURE_KEYS[script]], number) for number in numbers})
        for text, script, numbers in FIXTURE_QUERIES
    ]
    vectors = {query.text: embed.embed_query(query.text) for query in queries}
    print(f"\n{len(queries)} fixture queries within the three fixture scripts: hit@5 / MRR@10")
    for name, ranker in rankers.items():
        score = Score()
        for query in queries:
            started = time.perf_counter()
            ranking = ranker(query.text, vectors[query.text], fixture_ids)
            score.add(query, ranking, time.perf_counter() - started, 10)
        print(f"{name:<22}{score.hit_rate:.3f} {score.mrr:.3f}")


if __name__ == "__main__":
    raise SystemExit(main())
