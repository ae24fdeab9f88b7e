"""The search service: visibility, filters, per-scene results with snippets, more-like-this and re-indexing."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator

import pytest

from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.bootstrap import build_services
from cortexreel.cli import search as search_cli
from cortexreel.cli.search import search_command
from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.domain.analysis import SceneAnalysis
from cortexreel.domain.edits import FieldEdit
from cortexreel.domain.scenes import Scene, VersionSource, next_version, scene_id
from cortexreel.domain.screenplay import Element
from cortexreel.domain.scripts import Member, Script
from cortexreel.errors import NotFoundError
from cortexreel.search import records
from cortexreel.search.embeddings import CACHE_NAMESPACE
from cortexreel.services import chat, scenes, search
from cortexreel.services.pipeline import index_scenes
from tests.builders import make_script
from tests.fakes import HashingEmbedder, InMemoryBlobStore, InMemoryDocumentStore, SynchronousTaskQueue, fake_services

SCENES = [
    (
        "EXT. HIGHWAY - NIGHT",
        "EXT",
        "HIGHWAY",
        "NIGHT",
        "WILL",
        "The car skids. A wild chase down the highway, sirens behind.",
    ),
    ("INT. DINER - NIGHT", "INT", "DINER", "NIGHT", "EDWARD", "Edward tells the witch story over coffee."),
    ("EXT. RIVER - DAY", "EXT", "RIVER", "DAY", "EDWARD", "Edward catches the giant fish with his wedding ring."),
    ("INT. BLOOM HOUSE - KITCHEN - MORNING", "INT", "BLOOM HOUSE - KITCHEN", "MORNING", "SANDRA", "Sandra bakes."),
]


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    yield build_services(
        settings,
        documents=InMemoryDocumentStore(),
        blobs=InMemoryBlobStore(),
        queue=SynchronousTaskQueue,
        embedder=HashingEmbedder(),
    )


def scene(
    script_id: str, number: int, heading: str, setting: str, location: str, time: str, who: str, action: str
) -> Scene:
    elements = [
        Element(type="action", text=action),
        Element(type="character", text=who, character=who),
        Element(type="dialogue", text="Well, that is how it went.", character=who),
    ]
    return Scene(
        id=scene_id(script_id, number),
        script_id=script_id,
        number=number,
        heading=heading,
        setting=setting,
        location=location,
        time_of_day=time,
        elements=elements,
        text="\n".join([heading, action, who, "Well, that is how it went."]),
    )


def add_script(
    services: Services, owner: str, *, members: list[Member] | None = None, title: str = "Big Fish"
) -> Script:
    script = make_script(owner, members=members).model_copy(update={"title": title})
    services.documents.add_script(script)
    scenes = [scene(script.id, number, *row) for number, row in enumerate(SCENES, start=1)]
    services.documents.upsert_scenes(scenes)
    analyser = OfflineAnalyzer()
    for item, result in zip(scenes, analyser.analyze_many(scenes), strict=True):
        services.documents.write_analysis(
            next_version(item, result.analysis, author="analyser", source=VersionSource.ANALYSIS)
        )
    index_scenes(services, script, services.documents.list_scenes(script.id))
    return script


def test_finds_scenes_by_words_and_meaning_with_snippets(services: Services) -> None:
    script = add_script(services, "ann")
    results = search.search(services, "ann", "car chase on the highway")
    assert results[0].scene_number == 1
    assert results[0].heading == "EXT. HIGHWAY - NIGHT"
    assert results[0].script_id == script.id and results[0].script_title == "Big Fish"
    assert "**chase**" in results[0].marked_snippet()
    assert not results[0].snippet.startswith("EXT. HIGHWAY")  # the heading is shown on its own
    assert results[0].score >= results[-1].score
    assert len({result.scene_id for result in results}) == len(results)  # one result per scene
    assert search.search(services, "ann", "   ") == []


def test_only_visible_scripts_are_searched(services: Services) -> None:
    mine = add_script(services, "ann", title="Mine")
    shared = add_script(services, "bob", members=[Member(login="ann")], title="Shared")
    private = add_script(services, "bob", title="Private")
    found = {result.script_id for result in search.search(services, "ann", "fish", limit=50)}
    assert found == {mine.id, shared.id}
    assert {r.script_id for r in search.search(services, "carol", "fish")} == set()
    # Asking for someone else's script by id does not reveal it.
    assert search.search(services, "ann", "fish", script_ids=[private.id]) == []
    assert {r.script_id for r in search.search(services, "ann", "fish", script_ids=[shared.id])} == {shared.id}


def test_filters_narrow_by_scene_facts(services: Services) -> None:
    add_script(services, "ann")
    exteriors = search.search(services, "ann", "Edward", filters=search.SearchFilters(setting="EXT"))
    assert [r.scene_number for r in exteriors] == [3]  # the other exterior neither names Edward nor is close
    night_edward = search.search(
        services, "ann", "story", filters=search.SearchFilters(time_of_day="NIGHT", character="EDWARD")
    )
    assert [r.scene_number for r in night_edward] == [2]
    assert search.search(services, "ann", "fish", filters=search.SearchFilters(location="NOWHERE")) == []
    risks = {
        s.number: s.analysis.safety.risk_level
        for s in services.documents.list_scenes(night_edward[0].script_id)
        if s.analysis
    }
    wanted = risks[1]
    assert wanted is not None
    risky = search.search(services, "ann", "car", filters=search.SearchFilters(risk_level=wanted), limit=10)
    assert {r.scene_number for r in risky} == {number for number, risk in risks.items() if risk == wanted}


def test_filter_options_list_what_the_user_can_see(services: Services) -> None:
    add_script(services, "ann")
    add_script(services, "bob")
    options = search.filter_options(services, "ann")
    assert options.settings == ["EXT", "INT"]
    assert options.times_of_day == ["DAY", "MORNING", "NIGHT"]
    assert "EDWARD" in options.characters and "HIGHWAY" in options.locations
    assert options.emotional_tones and options.risk_levels
    assert search.filter_options(services, "carol") == search.FilterOptions()


def test_more_like_this_leaves_out_the_scene_and_hidden_scripts(services: Services) -> None:
    script = add_script(services, "ann")
    add_script(services, "bob", title="Private")
    source = scene_id(script.id, 2)
    similar = search.more_like_this(services, "ann", source, limit=3)
    assert source not in {r.scene_id for r in similar}
    assert {r.script_id for r in similar} == {script.id}
    assert len(similar) == 3
    with pytest.raises(NotFoundError):
        search.more_like_this(services, "carol", source)
    with pytest.raises(NotFoundError):
        search.more_like_this(services, "ann", "missing-scene")


def test_reindex_scene_follows_an_edit(services: Services) -> None:
    script = add_script(services, "ann")
    target = services.documents.get_scene(scene_id(script.id, 4))
    assert target is not None
    before = search.search(services, "ann", "helicopter")
    assert all("**" not in r.marked_snippet() for r in before)  # nothing matches the word yet
    edited = target.model_copy(update={"text": target.text + "\nA helicopter lands on the lawn."})
    services.documents.upsert_scenes([edited])
    assert search.reindex_scene(services, target.id) == 1
    found = search.search(services, "ann", "helicopter")
    assert [r.scene_number for r in found][0] == 4
    assert "**helicopter**" in found[0].marked_snippet()
    assert services.vectors.count(script.id) == len(SCENES)
    with pytest.raises(NotFoundError):
        search.reindex_scene(services, "missing")


def test_tone_change_reaches_the_index(services: Services) -> None:
    script = add_script(services, "ann")
    target = services.documents.get_scene(scene_id(script.id, 3))
    assert target is not None and target.analysis is not None
    analysis = SceneAnalysis.model_validate(target.analysis.model_dump())
    analysis.narrative.emotional_tone = "triumphant"
    services.documents.write_analysis(next_version(target, analysis, author="ann", source=VersionSource.FORM))
    tone = search.SearchFilters(emotional_tone="triumphant")
    assert search.search(services, "ann", "fish", filters=tone) == []
    search.reindex_scene(services, target.id)
    assert [r.scene_number for r in search.search(services, "ann", "fish", filters=tone)] == [3]


def numbers(results: list[search.SearchResult]) -> set[int]:
    return {result.scene_number for result in results}


def test_time_of_day_filters_follow_a_chat_edit(services: Services) -> None:
    script = add_script(services, "ann")
    day, night = search.SearchFilters(time_of_day="DAY"), search.SearchFilters(time_of_day="NIGHT")
    assert 3 in numbers(search.search(services, "ann", "fish", filters=day))
    chat.send(services, "ann", script.id, "set the time of day of scene 3 to night", apply=True)
    assert 3 in numbers(search.search(services, "ann", "fish", filters=night))
    assert 3 not in numbers(search.search(services, "ann", "fish", filters=day))
    assert "DAY" not in search.filter_options(services, "ann").times_of_day  # scene 3 was the only day scene


def test_risk_filter_follows_an_edit_and_its_revert(services: Services) -> None:
    script = add_script(services, "ann")
    target = services.documents.get_scene(scene_id(script.id, 2))
    assert target is not None and target.analysis is not None and target.analysis.safety.risk_level != "EXTREME"
    extreme = search.SearchFilters(risk_level="EXTREME")
    assert search.search(services, "ann", "witch story", filters=extreme) == []
    edited, _ = scenes.edit_fields(
        services, "ann", target.id, [FieldEdit("safety.risk_level", "set", "EXTREME")], expected_version=1
    )
    assert numbers(search.search(services, "ann", "witch story", filters=extreme)) == {2}
    assert search.filter_options(services, "ann").risk_levels.count("EXTREME") == 1
    scenes.revert(services, "ann", target.id, 1, expected_version=edited.version)
    assert search.search(services, "ann", "witch story", filters=extreme) == []


def test_setting_location_and_cast_filters_follow_edits(services: Services) -> None:
    script = add_script(services, "ann")
    target = services.documents.get_scene(scene_id(script.id, 2))  # INT. DINER - NIGHT, Edward speaks
    assert target is not None
    edits = [
        FieldEdit("location.setting", "set", "EXT"),
        FieldEdit("location.location", "set", "JOE'S DINER"),
        FieldEdit("breakdown.cast", "add", "MAYA"),
    ]
    scenes.edit_fields(services, "ann", target.id, edits, expected_version=1)

    def found(**facts: str) -> set[int]:
        return numbers(search.search(services, "ann", "witch story", filters=search.SearchFilters(**facts)))

    assert 2 in found(setting="EXT") and 2 not in found(setting="INT")
    assert found(location="JOE'S DINER") == {2} and found(location="DINER") == set()
    assert found(character="MAYA") == {2}
    options = search.filter_options(services, "ann")
    assert "JOE'S DINER" in options.locations and "DINER" not in options.locations
    assert "MAYA" in options.characters


def test_long_scenes_are_indexed_in_chunks_and_embeddings_cached(services: Services) -> None:
    script = make_script("ann")
    services.documents.add_script(script)
    long_action = " ".join(f"word{i}" for i in range(400)) + " finale"
    services.documents.upsert_scenes(
        [scene(script.id, 1, "INT. HALL - DAY", "INT", "HALL", "DAY", "WILL", long_action)]
    )
    stored = services.documents.list_scenes(script.id)
    index_scenes(services, script, stored)
    assert services.vectors.count(script.id) == 3
    hits = services.vectors.query(None, text="finale")
    assert hits[0].content.startswith("INT. HALL - DAY\n")
    documents = services.documents
    assert isinstance(documents, InMemoryDocumentStore)
    cached = [key for namespace, key in documents.cache if namespace == CACHE_NAMESPACE]
    assert len(cached) == 3
    results = search.search(services, "ann", "finale")
    assert [r.scene_number for r in results] == [1]  # three chunks, one result


def test_cli_prints_json_results(services: Services, capsys: pytest.CaptureFixture[str]) -> None:
    script = add_script(services, "local")
    parser = argparse.ArgumentParser()
    search_cli.add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["search", "witch story", "--script", script.id, "--limit", "2", "--json"])
    assert args.handler is search_command
    assert search_command(args, services) == 0
    payload = json.loads(capsys.readouterr().out)
    first = payload["results"][0]
    assert set(first) == {"script_id", "scene_number", "heading", "score", "snippet"}
    assert (first["script_id"], first["scene_number"], first["heading"]) == (script.id, 2, "INT. DINER - NIGHT")
    assert "**witch**" in first["snippet"]
    assert len(payload["results"]) == 2
    plain = parser.parse_args(["search", "fish", "--user", "carol"])
    assert search_command(plain, services) == 0
    assert "No scenes found." in capsys.readouterr().out


def test_a_nonsense_query_finds_nothing(services: Services) -> None:
    add_script(services, "ann")
    assert search.search(services, "ann", "qwxzv blorfunk") == []
    assert [r.scene_number for r in search.search(services, "ann", "Edward story")][:1] == [2]


class CountingDocumentStore(InMemoryDocumentStore):
    """Counts lookups in the embedding cache: each is an embedding a search needed."""

    def __init__(self) -> None:
        super().__init__()
        self.embedding_lookups = 0

    def get_cached(self, namespace: str, key: str) -> dict[str, object] | None:
        if namespace == CACHE_NAMESPACE:
            self.embedding_lookups += 1
        return super().get_cached(namespace, key)


def test_a_search_embeds_only_the_query(settings: Settings) -> None:
    documents = CountingDocumentStore()
    services = fake_services(settings, documents=documents)
    add_script(services, "ann")
    documents.embedding_lookups = 0
    results = search.search(services, "ann", "Edward story")
    assert [result.scene_number for result in results][:1] == [2]
    assert len(results) > 1  # scenes sharing no word with the query were judged by the cosine the ranking had
    assert documents.embedding_lookups == 1


class SteeredEmbedder(HashingEmbedder):
    """Bag-of-words vectors, except for the queries given, which get the vectors given."""

    def __init__(self, queries: dict[str, list[float]]) -> None:
        self.queries = queries

    def embed_query(self, text: str) -> list[float]:
        return self.queries.get(text) or super().embed_query(text)


def test_closeness_alone_counts_for_less_when_no_word_of_the_query_is_in_the_library(settings: Settings) -> None:
    services = build_services(
        settings,
        documents=InMemoryDocumentStore(),
        blobs=InMemoryBlobStore(),
        queue=SynchronousTaskQueue,
        embedder=SteeredEmbedder({}),
    )
    script = add_script(services, "ann")
    chunks = [
        HashingEmbedder().embed_query(chunk.text)
        for item in services.documents.list_scenes(script.id)
        for chunk in records.scene_chunks(item)
    ]
    river = next(
        vector
        for item, vector in zip(services.documents.list_scenes(script.id), chunks, strict=True)
        if item.number == 3
    )
    unused = next(bucket for bucket in range(len(river)) if all(vector[bucket] == 0 for vector in chunks))
    # A query vector with a cosine of 0.45 to the river scene (and less to every other): above the usual floor,
    # below the one for a query none of whose words is in the library.
    length = sum(value * value for value in river) ** 0.5
    steered = [0.45 * value / length for value in river]
    steered[unused] = (1 - 0.45**2) ** 0.5
    assert isinstance(services.embedder, SteeredEmbedder)
    services.embedder.queries.update({"zzyzx plonk": steered, "zzyzx sandra": steered})

    assert search.search(services, "ann", "zzyzx plonk") == []
    found = {result.scene_number for result in search.search(services, "ann", "zzyzx sandra")}
    assert {3, 4} <= found  # 4 shares a word; 3 is as close in meaning, and now the query is not gibberish here
