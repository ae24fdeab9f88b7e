"""Script-level rollups: cast and locations, inventories, risk register, acts, eighths and totals."""

from __future__ import annotations

import pytest

from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.domain.analysis import Breakdown, Hazard, Narrative, Prop, Safety, SceneAnalysis
from cortexreel.domain.base import RiskLevel, Setting
from cortexreel.domain.rollups import InventoryItem, build_rollups, format_eighths
from cortexreel.domain.scenes import PageSpan, Scene
from cortexreel.domain.screenplay import Element


def scene(
    number: int,
    *,
    setting: Setting = "INT",
    location: str = "HOUSE",
    time_of_day: str = "DAY",
    eighths: int = 8,
    speakers: tuple[str, ...] = (),
    action: str = "",
    analysis: SceneAnalysis | None = None,
) -> Scene:
    elements = [Element(type="action", text=action)] if action else []
    elements += [Element(type="dialogue", text="Hello there.", character=name) for name in speakers]
    return Scene(
        id=f"s-{number:04d}",
        script_id="s",
        number=number,
        heading=f"{setting}. {location} - {time_of_day}",
        setting=setting,
        location=location,
        time_of_day=time_of_day,
        pages=PageSpan(eighths=eighths),
        elements=elements,
        analysis=analysis,
    )


def hazard_analysis(*hazards: tuple[str, RiskLevel], conflict: int | None = None) -> SceneAnalysis:
    return SceneAnalysis(
        safety=Safety(
            hazards=[
                Hazard(category=category, description=f"{category} here", level=level, mitigation=f"handle {category}")
                for category, level in hazards
            ],
            personnel=["set medic"] if hazards else [],
            required_equipment=["crash mats"] if hazards else [],
        ),
        narrative=Narrative(conflict_level=conflict),
    )


@pytest.mark.parametrize(
    ("eighths", "text"), [(0, "0"), (1, "1/8"), (7, "7/8"), (8, "1"), (11, "1 3/8"), (16, "2"), (99, "12 3/8")]
)
def test_format_eighths(eighths: int, text: str) -> None:
    assert format_eighths(eighths) == text


def test_format_eighths_rejects_negative() -> None:
    with pytest.raises(ValueError):
        format_eighths(-1)


def test_cast_first_and_last_appearance_lines_and_eighths() -> None:
    rollups = build_rollups(
        [
            scene(3, speakers=("WILL", "EDWARD"), eighths=3),
            scene(1, speakers=("EDWARD", "EDWARD"), eighths=8),
            scene(2, speakers=("JENNY",), eighths=5),
        ]
    )
    assert [
        (c.name, c.scene_count, c.first_scene, c.last_scene, c.dialogue_lines, c.total_eighths) for c in rollups.cast
    ] == [
        ("EDWARD", 2, 1, 3, 3, 11),
        ("JENNY", 1, 2, 2, 1, 5),
        ("WILL", 1, 3, 3, 1, 3),
    ]


def test_cast_uses_the_analysis_when_present() -> None:
    analysis = SceneAnalysis(breakdown=Breakdown(cast=["EDWARD", "MAILMAN"]))
    rollups = build_rollups([scene(1, speakers=("EDWARD",), analysis=analysis)])
    assert [(c.name, c.dialogue_lines) for c in rollups.cast] == [("EDWARD", 1), ("MAILMAN", 0)]


def test_locations_group_settings_times_and_eighths() -> None:
    rollups = build_rollups(
        [
            scene(1, setting="INT", location="DINER", time_of_day="NIGHT", eighths=4),
            scene(2, setting="EXT", location="RIVER", time_of_day="DAY", eighths=10),
            scene(3, setting="EXT", location="Diner", time_of_day="DAY", eighths=2),
        ]
    )
    diner, river = rollups.locations
    assert (diner.location, diner.settings, diner.times_of_day, diner.scenes, diner.total_eighths) == (
        "DINER",
        ["INT", "EXT"],
        ["NIGHT", "DAY"],
        [1, 3],
        6,
    )
    assert (river.location, river.scenes, river.total_eighths) == ("RIVER", [2], 10)


def test_inventories_map_items_to_scenes() -> None:
    first = SceneAnalysis(breakdown=Breakdown(props=[Prop(name="ring", importance="hero")], vehicles=["car"]))
    second = SceneAnalysis(breakdown=Breakdown(props=[Prop(name="Letter"), Prop(name="ring")], stunts=["fall"]))
    rollups = build_rollups([scene(1, analysis=first), scene(2, analysis=second), scene(3)])
    assert rollups.inventories.props == [
        InventoryItem(item="Letter", scenes=[2]),
        InventoryItem(item="ring", scenes=[1, 2]),
    ]
    assert rollups.inventories.vehicles == [InventoryItem(item="car", scenes=[1])]
    assert rollups.inventories.stunts == [InventoryItem(item="fall", scenes=[2])]
    assert rollups.inventories.weapons == []


def test_risk_register_is_sorted_by_severity_then_scene() -> None:
    rollups = build_rollups(
        [
            scene(1, analysis=hazard_analysis(("animals", "LOW"), ("weapons", "HIGH"))),
            scene(2, analysis=hazard_analysis(("pyrotechnics", "EXTREME"))),
            scene(3, analysis=hazard_analysis(("stunts", "HIGH"), ("crowd", "MEDIUM"))),
        ]
    )
    assert [(entry.level, entry.scene, entry.category) for entry in rollups.risk_register] == [
        ("EXTREME", 2, "pyrotechnics"),
        ("HIGH", 1, "weapons"),
        ("HIGH", 3, "stunts"),
        ("MEDIUM", 3, "crowd"),
        ("LOW", 1, "animals"),
    ]
    first = rollups.risk_register[0]
    assert (first.heading, first.description, first.mitigation) == (
        "INT. HOUSE - DAY",
        "pyrotechnics here",
        "handle pyrotechnics",
    )
    assert [(need.name, need.scenes) for need in rollups.personnel] == [("set medic", [1, 2, 3])]
    assert [(need.name, need.scenes) for need in rollups.equipment] == [("crash mats", [1, 2, 3])]


def test_acts_split_by_cumulative_length() -> None:
    scenes = [scene(n, eighths=1, analysis=hazard_analysis(conflict=n)) for n in range(1, 9)]
    acts = build_rollups(scenes).acts
    assert [(act.act, act.scenes, act.eighths, act.pages) for act in acts] == [
        (1, [1, 2], 2, "2/8"),
        (2, [3, 4, 5, 6], 4, "4/8"),
        (3, [7, 8], 2, "2/8"),
    ]
    assert [act.average_conflict for act in acts] == [1.5, 4.5, 7.5]


def test_a_long_scene_lands_in_the_act_of_its_midpoint() -> None:
    acts = build_rollups([scene(1, eighths=2), scene(2, eighths=12), scene(3, eighths=2)]).acts
    assert [act.scenes for act in acts] == [[1], [2], [3]]
    assert [act.scene_count for act in acts] == [1, 1, 1]


def test_acts_average_dialogue_share() -> None:
    talky = scene(1, speakers=("ANN",), eighths=2)  # all dialogue
    quiet = scene(2, action="Edward walks to the door slowly.", eighths=4)  # all action
    empty = scene(3, eighths=2)  # neither: counts as no dialogue
    acts = build_rollups([talky, quiet, empty]).acts
    assert [act.scenes for act in acts] == [[1], [2], [3]]
    assert [act.average_dialogue_share for act in acts] == [1.0, 0.0, 0.0]
    assert [act.average_conflict for act in acts] == [None, None, None]


def test_two_equal_scenes_leave_the_first_act_empty() -> None:
    acts = build_rollups([scene(1), scene(2)]).acts
    assert [act.scenes for act in acts] == [[], [1], [2]]


def test_totals() -> None:
    totals = build_rollups(
        [
            scene(1, setting="INT", time_of_day="DAY", eighths=11),
            scene(2, setting="EXT", time_of_day="NIGHT", eighths=40),
            scene(3, setting="INT/EXT", time_of_day="CONTINUOUS", eighths=48),
        ]
    ).totals
    assert (totals.scenes, totals.eighths, totals.pages) == (3, 99, "12 3/8")
    assert (totals.int_count, totals.ext_count, totals.int_ext_count) == (1, 1, 1)
    assert (totals.day_count, totals.night_count, totals.other_time_count) == (1, 1, 1)


def test_emotional_arc_and_tension_curve_from_analysed_scenes() -> None:
    analyzer = OfflineAnalyzer()
    tense = scene(1, action="Edward aims a revolver. Will screams in terror.")
    calm = scene(2, action="Jenny smiles and hugs her father warmly.")
    for item in (tense, calm):
        item.analysis = analyzer.analyze(item)
    rollups = build_rollups([tense, calm, scene(3)])
    assert [point.scene for point in rollups.emotional_arc] == [1, 2]
    assert [point.scene for point in rollups.tension_curve] == [1, 2]
    assert rollups.tension_curve[0].tension > rollups.tension_curve[1].tension
    assert rollups.emotional_arc[1].joy > rollups.emotional_arc[0].joy
    assert rollups.model_dump() == build_rollups([tense, calm, scene(3)]).model_dump()


def test_one_entry_per_person_and_per_place() -> None:
    rollups = build_rollups([
        scene(1, location="BIG TOP", speakers=("NORTHER WINSLOW", "EDWARD")),
        scene(2, location="BIG - TOP", time_of_day="NIGHT", speakers=("NORTHER",)),
        scene(3, location="THE BIG TOP - NIGHT", speakers=("NORTHER WINSLOW", "YOUNG EDWARD")),
        scene(4, location="BIG TOP CENTER RING", speakers=("NURSE", "HEAVYSET NURSE")),
    ])
    cast = {entry.name: entry for entry in rollups.cast}
    assert set(cast) == {"NORTHER WINSLOW", "EDWARD", "YOUNG EDWARD", "NURSE", "HEAVYSET NURSE"}
    norther = cast["NORTHER WINSLOW"]
    assert (norther.scene_count, norther.first_scene, norther.last_scene, norther.aliases) == (3, 1, 3, ["NORTHER"])
    assert norther.dialogue_lines == 3
    assert cast["YOUNG EDWARD"].role_of == "EDWARD" and cast["EDWARD"].role_of is None
    locations = {entry.location: entry for entry in rollups.locations}
    assert set(locations) == {"BIG TOP", "BIG TOP CENTER RING"}
    assert locations["BIG TOP"].scenes == [1, 2, 3] and locations["BIG TOP"].aliases == ["BIG - TOP"]
