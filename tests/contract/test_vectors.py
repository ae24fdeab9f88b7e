"""The VectorIndex contract, run against the embedded index (and Weaviate when the search issue adds it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cortexreel.adapters.vectors_embedded import EmbeddedVectorIndex
from cortexreel.errors import InvalidInputError
from cortexreel.ports import VectorIndex, VectorRecord


@pytest.fixture(params=["embedded"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> VectorIndex:
    return EmbeddedVectorIndex(tmp_path / "vectors.sqlite3")


def record(
    record_id: str, vector: list[float], *, script: str = "s1", scene: str | None = None, **metadata: object
) -> VectorRecord:
    return VectorRecord(
        id=record_id,
        scene_id=scene or record_id,
        script_id=script,
        owner="ann",
        vector=vector,
        content=f"content of {record_id}",
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


def test_upsert_replaces_by_id(index: VectorIndex) -> None:
    index.upsert([record("a", [1.0, 0.0])])
    index.upsert([record("a", [0.0, 1.0])])
    assert index.count() == 1
    assert index.query([0.0, 1.0], limit=1)[0].score == pytest.approx(1.0)


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
    assert [h.id for h in index.query([1.0, 0.0], where={"setting": "EXT"})] == ["a", "b"]
    assert [h.id for h in index.query([1.0, 0.0], where={"characters": "EDWARD"}, script_ids=["s1"])] == ["a"]
    assert index.query([1.0, 0.0], where={"setting": "I/E"}) == []


def test_deletes(index: VectorIndex) -> None:
    index.upsert(
        [
            record("a1", [1.0, 0.0], script="s1", scene="scene-a"),
            record("a2", [0.9, 0.1], script="s1", scene="scene-a"),
            record("b", [0.0, 1.0], script="s1", scene="scene-b"),
            record("c", [0.5, 0.5], script="s2", scene="scene-c"),
        ]
    )
    index.delete_scene("scene-a")
    assert index.count("s1") == 1
    index.delete_script("s1")
    assert index.count("s1") == 0
    assert index.count() == 1


def test_dimension_mismatch_is_explained(index: VectorIndex) -> None:
    index.upsert([record("a", [1.0, 0.0, 0.0])])
    with pytest.raises(InvalidInputError):
        index.query([1.0, 0.0])
