"""The VectorIndex contract, run against the embedded index and, when CORTEXREEL_TEST_WEAVIATE_URL is set, Weaviate.

No Weaviate server can run on our test machines, so its run is skipped (loudly) unless a URL is given.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cortexreel.adapters.vectors_embedded import EmbeddedVectorIndex
from cortexreel.errors import InvalidInputError
from cortexreel.ports import VectorIndex, VectorRecord
from tests import servers


@pytest.fixture(params=["embedded", "weaviate"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorIndex]:
    if request.param == "embedded":
        yield EmbeddedVectorIndex(tmp_path / "vectors.sqlite3")
        return
    url = os.environ.get("CORTEXREEL_TEST_WEAVIATE_URL")
    if not url:
        servers.not_configured("CORTEXREEL_TEST_WEAVIATE_URL", "Weaviate vector index contract")
        return
    from cortexreel.adapters.vectors_weaviate import WeaviateVectorIndex

    weaviate_index = WeaviateVectorIndex(
        url,
        grpc_port=int(os.environ.get("CORTEXREEL_TEST_WEAVIATE_GRPC_PORT", "50051")),
        api_key=os.environ.get("CORTEXREEL_TEST_WEAVIATE_API_KEY") or None,
        collection=f"SceneEmbeddingTest{uuid.uuid4().hex[:12]}",
    )
    try:
        yield weaviate_index
    finally:
        weaviate_index.drop_collection()


def record(
    record_id: str,
    vector: list[float],
    *,
    script: str = "s1",
    scene: str | None = None,
    content: str | None = None,
    **metadata: object,
) -> VectorRecord:
    return VectorRecord(
        id=record_id,
        scene_id=scene or record_id,
        script_id=script,
        owner="ann",
        vector=vector,
        content=content or f"content of {record_id}",
        metadata=metadata,
    )


def test_nearest_first(index: VectorIndex) -> None:
    index.upsert(
        [
            record("east", [1.0, 0.0, 0.0]),
            record("north", [0.0, 1.0, 0.0]),
            record("north-east", [1.0, 1.0, 0.0]),
        ]
    )
    hits = index.query([1.0, 0.1, 0.0], limit=2)
    assert [hit.id for hit in hits] == ["east", "north-east"]
    assert hits[0].score == pytest.approx(0.995, abs=0.01)
    assert hits[0].content == "content of east"
    assert hits[0].scene_id == "east" and hits[0].script_id == "s1"


def test_upsert_replaces_by_id(index: VectorIndex) -> None:
    index.upsert([record("a", [1.0, 0.0], content="old words")])
    index.upsert([record("a", [0.0, 1.0], content="new words")])
    assert index.count() == 1
    assert index.query([0.0, 1.0], limit=1)[0].score == pytest.approx(1.0)
    assert index.query(None, text="old") == []
    assert [hit.content for hit in index.query(None, text="new")] == ["new words"]


def test_metadata_round_trips(index: VectorIndex) -> None:
    index.upsert([record("a", [1.0, 0.0], scene_number=7, heading="EXT. RIVER - DAY", characters=["EDWARD"])])
    hit = index.query([1.0, 0.0])[0]
    assert hit.metadata == {"scene_number": 7, "heading": "EXT. RIVER - DAY", "characters": ["EDWARD"]}


def test_filters_by_script_and_metadata(index: VectorIndex) -> None:
    index.upsert(
        [
            record("a", [1.0, 0.0], script="s1", setting="EXT", characters=["EDWARD", "WILL"]),
            record("b", [1.0, 0.1], script="s2", setting="EXT", characters=["EDWARD"]),
            record("c", [1.0, 0.2], script="s1", setting="INT", characters=["SANDRA"]),
        ]
    )
    assert {h.id for h in index.query([1.0, 0.0], script_ids=["s1"])} == {"a", "c"}
    assert index.query([1.0, 0.0], script_ids=[]) == []
    assert index.query([1.0, 0.0], script_ids=["nobody"]) == []
    assert [h.id for h in index.query([1.0, 0.0], where={"setting": "EXT"})] == ["a", "b"]
    assert [h.id for h in index.query([1.0, 0.0], where={"characters": "EDWARD"}, script_ids=["s1"])] == ["a"]
    assert [h.id for h in index.query([1.0, 0.0], where={"characters": "EDWARD", "setting": "EXT"})] == ["a", "b"]
    assert index.query([1.0, 0.0], where={"setting": "I/E"}) == []


def test_keyword_search_ranks_by_words(index: VectorIndex) -> None:
    index.upsert(
        [
            record("chase", [1.0, 0.0], content="EXT. HIGHWAY - NIGHT\nA car chase. The car skids, sirens wail."),
            record("diner", [0.0, 1.0], content="INT. DINER - NIGHT\nEdward drinks coffee."),
            record("garage", [0.5, 0.5], content="INT. GARAGE - DAY\nWill washes the car."),
        ]
    )
    hits = index.query(None, text="car chase")
    assert [hit.id for hit in hits] == ["chase", "garage"]
    assert hits[0].score > hits[1].score
    assert index.query(None, text="helicopter") == []
    assert [h.id for h in index.query(None, text="car", script_ids=["s1"], where={"characters": "X"})] == []


def test_hybrid_fuses_words_and_meaning(index: VectorIndex) -> None:
    # "fish" is the only keyword match but far in vector space; "near" is closest by vector but has no keyword.
    index.upsert(
        [
            record("near", [1.0, 0.0, 0.0], content="Sandra waters the garden."),
            record("both", [0.9, 0.3, 0.0], content="Edward catches the fish at the river."),
            record("words", [0.0, 0.0, 1.0], content="A fish on the wall of the diner."),
            record("neither", [0.0, 1.0, 0.0], content="Will drives home."),
        ]
    )
    hybrid = index.query([1.0, 0.0, 0.0], text="fish river", limit=4)
    assert hybrid[0].id == "both"
    assert hybrid[0].score >= hybrid[-1].score
    assert [hit.id for hit in index.query([1.0, 0.0, 0.0], limit=1)] == ["near"]
    filtered = index.query([1.0, 0.0, 0.0], text="fish", where={"setting": "EXT"})
    assert filtered == []


def test_query_needs_a_vector_or_text(index: VectorIndex) -> None:
    with pytest.raises(InvalidInputError):
        index.query(None)


def test_deletes(index: VectorIndex) -> None:
    index.upsert(
        [
            record("a1", [1.0, 0.0], script="s1", scene="scene-a", content="alpha words"),
            record("a2", [0.9, 0.1], script="s1", scene="scene-a", content="alpha more"),
            record("b", [0.0, 1.0], script="s1", scene="scene-b"),
            record("c", [0.5, 0.5], script="s2", scene="scene-c"),
        ]
    )
    index.delete_scene("scene-a")
    assert index.count("s1") == 1
    assert index.query(None, text="alpha") == []
    index.delete_script("s1")
    assert index.count("s1") == 0
    assert index.count() == 1
    assert [hit.id for hit in index.query([0.0, 1.0])] == ["c"]


def test_dimension_mismatch_is_explained(index: VectorIndex) -> None:
    index.upsert([record("a", [1.0, 0.0, 0.0])])
    with pytest.raises(InvalidInputError):
        index.query([1.0, 0.0])


def test_embedded_index_persists_and_sees_other_handles(tmp_path: Path) -> None:
    path = tmp_path / "vectors.sqlite3"
    first = EmbeddedVectorIndex(path)
    second = EmbeddedVectorIndex(path)
    first.upsert([record("a", [1.0, 0.0])])
    assert [hit.id for hit in second.query([1.0, 0.0])] == ["a"]
    # The second handle has a cached matrix now; a write through the first must invalidate it.
    first.upsert([record("b", [0.0, 1.0])])
    first.delete_scene("a")
    assert [hit.id for hit in second.query([1.0, 0.0])] == ["b"]
    assert EmbeddedVectorIndex(path).count() == 1


def test_embedded_index_refuses_mixed_dimensions(tmp_path: Path) -> None:
    index = EmbeddedVectorIndex(tmp_path / "vectors.sqlite3")
    index.upsert([record("a", [1.0, 0.0])])
    with pytest.raises(InvalidInputError, match="dimensions"):
        index.upsert([record("b", [1.0, 0.0, 0.0])])
    assert index.count() == 1
