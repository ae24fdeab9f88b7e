"""Insights data: the Scenes table and its filters, and the rows behind every chart."""

from __future__ import annotations

import pytest

from cortexreel.container import Services
from cortexreel.domain.edits import FieldEdit
from cortexreel.domain.scripts import Script
from cortexreel.errors import NotFoundError
from cortexreel.services import insights, scenes, scripts
from cortexreel.services.insights import SceneFilter
from tests.builders import fountain_script


@pytest.fixture
def script(services: Services) -> Script:
    return scripts.ingest(services, fountain_script(10).encode(), "fish.fountain", owner="ann")


def test_scene_rows_carry_the_table_columns(services: Services, script: Script) -> None:
    rows = insights.list_scene_rows(services, "ann", script.id)
    assert [row.number for row in rows] == list(range(1, 11))
    first = rows[0]
    assert (first.heading, first.setting, first.time_of_day, first.day_night, first.location) == (
        "EXT. RIVER BANK - DAY",
        "EXT",
        "DAY",
        "day",
        "RIVER BANK",
    )
    assert first.cast == ["WILL", "SANDRA"]
    assert first.risk in ("LOW", "MEDIUM", "HIGH", "EXTREME")
    assert first.version == 1


def test_filters_combine(services: Services, script: Script) -> None:
    def numbers(wanted: SceneFilter) -> list[int]:
        return [row.number for row in insights.list_scene_rows(services, "ann", script.id, wanted)]

    assert numbers(SceneFilter(settings=("EXT",), day_night=("night",))) == [3, 8]
    assert numbers(SceneFilter(text="diner")) == [5, 10]
    assert numbers(SceneFilter(characters=("EDWARD",))) == [3, 4, 7, 8]
    assert numbers(SceneFilter(min_risk="HIGH")) == [
        row.number for row in insights.list_scene_rows(services, "ann", script.id) if row.risk in ("HIGH", "EXTREME")
    ]
    assert numbers(SceneFilter(locations=("HIGHWAY",), characters=("WILL",))) == [8]
    assert numbers(SceneFilter(locations=("HIGHWAY",), characters=("SANDRA",))) == []


def test_charts_reflect_edits(services: Services, script: Script) -> None:
    scene = scenes.scene_by_number(services, "ann", script.id, 1)
    scenes.edit_fields(
        services,
        "ann",
        scene.id,
        [FieldEdit("narrative.emotions.joy", "set", 9.5), FieldEdit("breakdown.animals", "add", "horse")],
        expected_version=scene.version,
    )
    data = insights.script_insights(services, "ann", script.id)
    joy = [row for row in insights.emotion_rows(data) if row["emotion"] == "joy" and row["scene"] == 1]
    assert joy == [{"scene": 1, "emotion": "joy", "score": 9.5}]
    assert len(insights.emotion_rows(data)) == 10 * 6
    animals = {row["item"]: row["scene numbers"] for row in insights.inventory_rows(data, "animals")}
    assert animals["horse"] == "1"


def test_pacing_presence_network_locations(services: Services, script: Script) -> None:
    data = insights.script_insights(services, "ann", script.id)
    pacing = insights.pacing_rows(data)
    assert [row["act"] for row in pacing] == sorted(row["act"] for row in pacing)
    assert {row["act"] for row in pacing} == {1, 2, 3}
    assert all(0 <= row["dialogue"] <= 1 and abs(row["dialogue"] + row["action"] - 1) < 0.01 for row in pacing)
    presence = insights.presence_rows(data)
    assert {"scene": 1, "character": "WILL", "lines": 1} in presence
    nodes, edges = insights.network_layout(data)
    assert {node["character"] for node in nodes} == {"EDWARD", "WILL", "SANDRA", "JOSEPHINE"}
    pair = next(edge for edge in edges if {edge["source"], edge["target"]} == {"WILL", "SANDRA"})
    assert pair["scenes"] == 3  # scenes 1, 5 and 9
    locations = insights.location_rows(data)
    assert sum(row["scenes"] for row in locations) == 10
    split = insights.setting_time_counts(data)
    assert sum(row["scenes"] for row in split) == 10


def test_risk_register_is_most_severe_first(services: Services, script: Script) -> None:
    data = insights.script_insights(services, "ann", script.id)
    levels = [row["level"] for row in insights.risk_rows(data)]
    order = ["EXTREME", "HIGH", "MEDIUM", "LOW"]
    assert levels == sorted(levels, key=order.index)
    assert levels


def test_roles_order_every_section() -> None:
    for sections in insights.ROLE_SECTIONS.values():
        assert sorted(sections) == sorted(insights.SECTIONS)
    # The overview first for every role (it was fifth for the Director), then what the role reads first.
    assert all(sections[0] == "overview" for sections in insights.ROLE_SECTIONS.values())
    assert insights.ROLE_SECTIONS["Safety"][1] == "risks"


def test_other_users_see_nothing(services: Services, script: Script) -> None:
    with pytest.raises(NotFoundError):
        insights.script_insights(services, "bob", script.id)
    with pytest.raises(NotFoundError):
        insights.list_scene_rows(services, "bob", script.id)
