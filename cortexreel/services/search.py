"""Search use cases: find scenes by meaning and facts, scenes like a scene, and keeping the index current.

Every search runs only over the scripts the acting user may see: the visible script ids are computed from the
document store and passed to the index as its script restriction, so another user's scenes are never even
ranked. Long scenes are indexed as several chunks; results are per scene (its best chunk).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import Field

from cortexreel.container import Services
from cortexreel.domain.access import Action, can
from cortexreel.domain.base import Model, RiskLevel, Setting
from cortexreel.domain.facts import scene_facts
from cortexreel.domain.scenes import Scene
from cortexreel.domain.scripts import Script
from cortexreel.errors import NotFoundError
from cortexreel.ports import VectorHit, VectorRecord
from cortexreel.search import records
from cortexreel.search.embeddings import CachedEmbedder
from cortexreel.search.ranking import relative_score_fusion
from cortexreel.search.snippets import Snippet, make_snippet
from cortexreel.search.text import query_terms

# Chunks asked of the index per result wanted: a long scene can take several of the best places.
CHUNKS_PER_RESULT = 4
# Each ranking (by meaning, by words) contributes this many candidates per chunk wanted, at least MIN_CANDIDATES,
# so a chunk one ranking puts near the top is usually among the other's candidates too when they are fused.
CANDIDATES_PER_CHUNK = 5
MIN_CANDIDATES = 50
MAX_LIMIT = 100


class SearchFilters(Model):
    """Facts a scene must have; None means any."""

    setting: Setting | None = None
    time_of_day: str | None = None
    location: str | None = None
    character: str | None = None
    risk_level: RiskLevel | None = None
    emotional_tone: str | None = None

    def where(self) -> dict[str, str | int]:
        """The index metadata each set filter must equal (characters: contain)."""
        pairs: dict[str, str | None] = {
            records.SETTING: self.setting,
            records.TIME_OF_DAY: self.time_of_day,
            records.LOCATION: self.location,
            records.CHARACTERS: self.character,
            records.RISK_LEVEL: self.risk_level,
            records.EMOTIONAL_TONE: self.emotional_tone,
        }
        return {key: value for key, value in pairs.items() if value}


class SearchResult(Model):
    script_id: str
    script_title: str
    scene_id: str
    scene_number: int
    heading: str
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = Field(default_factory=list)

    def marked_snippet(self, before: str = "**", after: str = "**", *, escape: bool = False) -> str:
        """The snippet with the words that matched the query wrapped in `before`/`after`."""
        return Snippet(self.snippet, self.highlights).marked(before, after, escape)


class FilterOptions(Model):
    """The values each filter can take over the scenes a user can see, for the search page's pickers."""

    settings: list[str] = Field(default_factory=list)
    times_of_day: list[str] = Field(default_factory=list)
    locations: list[str] = Field(default_factory=list)
    characters: list[str] = Field(default_factory=list)
    risk_levels: list[str] = Field(default_factory=list)
    emotional_tones: list[str] = Field(default_factory=list)


def embedder(services: Services) -> CachedEmbedder:
    """The configured embedder behind the (text hash, model) cache in the document store."""
    return CachedEmbedder(services.embedder, services.documents)


def visible_scripts(services: Services, user: str, script_ids: Sequence[str] | None = None) -> list[Script]:
    """The scripts `user` may search, narrowed to `script_ids` when given (ids the user may not see are dropped)."""
    scripts = [
        script for script in services.documents.list_scripts(visible_to=user) if can(script, user, Action.SEARCH)
    ]
    if script_ids is None:
        return scripts
    wanted = set(script_ids)
    return [script for script in scripts if script.id in wanted]


# How close in meaning (cosine of the embeddings) a scene sharing no word with the query must be to count.
MIN_SIMILARITY = 0.3
# ... when no word of the query occurs in any visible scene at all. Closeness alone is weak evidence: in the library
# of bench/search_quality.py gibberish ("zzyzx plonk vreeb") comes within 0.2-0.51 of some scene, as close as many
# real answers, while every real query there shares a word with some scene. Such a query finds "nothing close".
MIN_SIMILARITY_WITHOUT_WORDS = 0.55


def search(
    services: Services,
    user: str,
    query: str,
    *,
    filters: SearchFilters | None = None,
    script_ids: Sequence[str] | None = None,
    limit: int = 10,
) -> list[SearchResult]:
    """Scenes matching `query` by meaning and by words at once (hybrid ranking), best first, one result per scene.

    Only scripts visible to `user` are searched; `filters` restrict by scene facts. A blank query finds nothing, and
    so does one that no scene shares a word with or comes close to in meaning.
    """
    query = query.strip()
    limit = max(1, min(limit, MAX_LIMIT))
    scripts = visible_scripts(services, user, script_ids)
    if not query or not scripts:
        return []
    vector = embedder(services).embed_query(query)
    depth = max(limit * CHUNKS_PER_RESULT * CANDIDATES_PER_CHUNK, MIN_CANDIDATES)
    visible = [script.id for script in scripts]
    where = (filters or SearchFilters()).where() or None
    by_meaning = services.vectors.query(vector, limit=depth, script_ids=visible, where=where)
    by_words = services.vectors.query(None, text=query, limit=depth, script_ids=visible, where=where)
    return _results(_fused(by_meaning, by_words), scripts, query_terms(query), limit)


def _fused(by_meaning: Sequence[VectorHit], by_words: Sequence[VectorHit]) -> list[VectorHit]:
    """The chunks of both rankings that share a word with the query (the keyword ranking found them) or are close
    to it in meaning (cosine at least MIN_SIMILARITY, or MIN_SIMILARITY_WITHOUT_WORDS when no chunk shares a word),
    fused by relative score, best first.

    Relative score fusion was chosen on the tuning half of bench/search_quality.py (docs/search.md). Its scores
    are relative (the best chunk always scores 1), so without the floor a nonsense query would still list the
    nearest scenes. The floor reads the cosine the vector ranking already computed: nothing is embedded again."""
    hits = {hit.id: hit for hit in [*by_meaning, *by_words]}
    floor = MIN_SIMILARITY if by_words else MIN_SIMILARITY_WITHOUT_WORDS
    kept = {hit.id for hit in by_words} | {hit.id for hit in by_meaning if hit.score >= floor}
    rankings = [[(hit.id, hit.score) for hit in ranking] for ranking in (by_meaning, by_words) if ranking]
    fused = relative_score_fusion(rankings)
    return [hits[item].model_copy(update={"score": score}) for item, score in fused if item in kept]


def more_like_this(services: Services, user: str, scene_id: str, limit: int = 10) -> list[SearchResult]:
    """Scenes closest in meaning to a scene, across the scripts `user` can see; the scene itself is left out."""
    scene, script = _visible_scene(services, user, scene_id)
    scripts = visible_scripts(services, user)
    limit = max(1, min(limit, MAX_LIMIT))
    vectors = embedder(services).embed_documents([chunk.text for chunk in records.scene_chunks(scene)])
    centre = np.mean(np.asarray(vectors, dtype=np.float32), axis=0)
    hits = services.vectors.query(
        centre.tolist(), limit=(limit + 1) * CHUNKS_PER_RESULT, script_ids=[s.id for s in scripts]
    )
    hits = [hit for hit in hits if hit.scene_id != scene.id]
    return _results(hits, scripts, [], limit)


def reindex_scene(services: Services, scene_id: str) -> int:
    """Replace a scene's search records after its text or its facts (`records.scene_metadata`) changed. Returns the
    number of chunks indexed."""
    scene = services.documents.get_scene(scene_id)
    if scene is None:
        raise NotFoundError(f"There is no scene with id {scene_id}.")
    script = services.documents.get_script(scene.script_id)
    if script is None:
        raise NotFoundError(f"There is no script with id {scene.script_id}.")
    fresh = scene_records(services, script, [scene])
    services.vectors.delete_scene(scene.id)
    services.vectors.upsert(fresh)
    return len(fresh)


def scene_records(services: Services, script: Script, scenes: Sequence[Scene]) -> list[VectorRecord]:
    """The index records of `scenes`: every chunk embedded (through the cache) with the scene's metadata."""
    chunked = [(scene, records.scene_chunks(scene)) for scene in scenes]
    texts = [chunk.text for _, chunks in chunked for chunk in chunks]
    vectors = iter(embedder(services).embed_documents(texts))
    built: list[VectorRecord] = []
    for scene, chunks in chunked:
        built.extend(records.scene_records(script, scene, chunks, [next(vectors) for _ in chunks]))
    return built


def filter_options(services: Services, user: str, script_ids: Sequence[str] | None = None) -> FilterOptions:
    """Every value of every filter among the scenes of the scripts `user` can see (sorted)."""
    values: dict[str, set[str]] = {name: set() for name in FilterOptions.model_fields}
    for script in visible_scripts(services, user, script_ids):
        for scene in services.documents.list_scenes(script.id):
            facts = scene_facts(scene)
            values["settings"].update([facts.setting] if facts.setting else [])
            values["times_of_day"].update([facts.time_of_day] if facts.time_of_day else [])
            values["locations"].update([facts.location] if facts.location else [])
            values["characters"].update(facts.cast)
            values["risk_levels"].update([facts.risk_level] if facts.risk_level else [])
            values["emotional_tones"].update([facts.emotional_tone] if facts.emotional_tone else [])
    return FilterOptions(**{name: sorted(found) for name, found in values.items()})


def _visible_scene(services: Services, user: str, scene_id: str) -> tuple[Scene, Script]:
    scene = services.documents.get_scene(scene_id)
    script = services.documents.get_script(scene.script_id) if scene is not None else None
    if scene is None or script is None or not can(script, user, Action.SEARCH):
        # The same answer whether the scene is missing or someone else's: its existence is not disclosed.
        raise NotFoundError(f"There is no scene with id {scene_id}.")
    return scene, script


def _results(hits: Sequence[VectorHit], scripts: Sequence[Script], terms: list[str], limit: int) -> list[SearchResult]:
    titles = {script.id: script.title for script in scripts}
    results: list[SearchResult] = []
    seen: set[str] = set()
    for hit in hits:
        # The index filters by script already; this guards against an index that ignored it.
        if hit.scene_id in seen or hit.script_id not in titles:
            continue
        seen.add(hit.scene_id)
        heading = str(hit.metadata.get(records.HEADING) or "")
        number = hit.metadata.get(records.SCENE_NUMBER)
        snippet = make_snippet(_body(hit.content, heading), terms)
        results.append(
            SearchResult(
                script_id=hit.script_id,
                script_title=titles[hit.script_id],
                scene_id=hit.scene_id,
                scene_number=int(number) if isinstance(number, int | float) else 0,
                heading=heading,
                score=round(hit.score, 4),
                snippet=snippet.text,
                highlights=snippet.highlights,
            )
        )
        if len(results) == limit:
            break
    return results


def _body(content: str, heading: str) -> str:
    """A chunk's text without the heading line every chunk starts with (the result shows the heading already)."""
    first, _, rest = content.partition("\n")
    return rest if heading and first.strip() == heading.strip() and rest.strip() else content
