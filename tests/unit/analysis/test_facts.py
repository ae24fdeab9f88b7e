"""A scene's effective facts, and every reader of scenes agreeing with them."""

from __future__ import annotations

from cortexreel.domain.analysis import Breakdown, LocationAnalysis, Narrative, Safety, SceneAnalysis
from cortexreel.domain.facts import SceneFacts, day_or_night, scene_facts
from cortexreel.domain.rollups import build_rollups
from cortexreel.domain.scenes import Scene
from cortexreel.domain.screenplay import Element
from cortexreel.domain.scripts import Script
from cortexreel.search.records import records_differ, scene_metadata
from cortexreel.services.exports import breakdown_rows
from cortexreel.services.insights import scene_rows
from tests.builders import make_script


def parsed(script: Script, number: int = 1) -> Scene:
    return Scene(
        id=f"{script.id}-{number:04d}",
        script_id=script.id,
        number=number,
        heading="INT. DINER - DAY",
        setting="INT",
        location="DINER",
        time_of_day="DAY",
        elements=[Element(type="dialogue", text="Coffee?", character="EDWARD")],
        text="INT. DINER - DAY\nEDWARD\nCoffee?",
    )


def test_day_or_night() -> None:
    times = ("DAY", "NIGHT", "DUSK", "MORNING", "CONTINUOUS", None, "NOC", "NIGHT [FLASHBACK]", "ŚWIT")
    assert [day_or_night(time) for time in times] == [
        "day",
        "night",
        "night",
        "day",
        None,
        None,
        "night",
        "night",
        "day",
    ]


def test_a_scene_not_analysed_has_its_parse() -> None:
    scene = parsed(make_script())
    assert scene_facts(scene) == SceneFacts("INT", "DAY", "DINER", ("EDWARD",), None, None)
    assert scene_facts(scene).day_or_night == "day"


def test_the_analysis_wins_and_empty_analysis_fields_keep_the_parse() -> None:
    scene = parsed(make_script())
    empty = scene.model_copy(update={"analysis": SceneAnalysis()})
    assert scene_facts(empty) == scene_facts(scene)
    edited = scene.model_copy(
        update={
            "analysis": SceneAnalysis(
                location=LocationAnalysis(setting="EXT", location="ROOF", time_of_day="NIGHT"),
                breakdown=Breakdown(cast=["MAYA", "EDWARD"]),
                safety=Safety(risk_level="EXTREME"),
                narrative=Narrative(emotional_tone="dread"),
            )
        }
    )
    assert scene_facts(edited) == SceneFacts("EXT", "NIGHT", "ROOF", ("MAYA", "EDWARD"), "EXTREME", "dread")
    assert scene_facts(edited).day_or_night == "night"


def test_every_reader_of_scenes_sees_the_same_facts() -> None:
    script = make_script()
    scene = parsed(script).model_copy(
        update={
            "analysis": SceneAnalysis(
                location=LocationAnalysis(setting="EXT", location="ROOF", time_of_day="NIGHT"),
                breakdown=Breakdown(cast=["MAYA"]),
                safety=Safety(risk_level="HIGH"),
                narrative=Narrative(emotional_tone="dread"),
            )
        }
    )
    facts = scene_facts(scene)
    metadata = scene_metadata(scene)
    assert (metadata["setting"], metadata["time_of_day"], metadata["location"]) == ("EXT", "NIGHT", "ROOF")
    assert (metadata["characters"], metadata["risk_level"], metadata["emotional_tone"]) == (["MAYA"], "HIGH", "dread")
    row = scene_rows([scene])[0]
    assert (row.setting, row.time_of_day, row.day_night, row.location, row.cast) == (
        "EXT",
        "NIGHT",
        "night",
        "ROOF",
        ["MAYA"],
    )
    assert (row.risk, row.tone) == ("HIGH", "dread")
    sheet = breakdown_rows([scene])[0]
    assert (sheet["INT/EXT"], sheet["Day/Night"], sheet["Location"], sheet["Cast"], sheet["Risk"]) == (
        "EXT",
        "NIGHT",
        "ROOF",
        "MAYA",
        "HIGH",
    )
    rollups = build_rollups([scene])
    assert [(entry.location, entry.settings, entry.times_of_day) for entry in rollups.locations] == [
        (facts.location, ["EXT"], ["NIGHT"])
    ]
    assert [entry.name for entry in rollups.cast] == ["MAYA"]
    assert (rollups.totals.ext_count, rollups.totals.night_count) == (1, 1)


def test_records_differ_when_a_fact_they_carry_changes() -> None:
    scene = parsed(make_script()).model_copy(update={"analysis": SceneAnalysis()})
    weather = SceneAnalysis(location=LocationAnalysis(weather="rain"))
    assert not records_differ(scene, scene.model_copy(update={"analysis": weather}))
    for analysis in (
        SceneAnalysis(location=LocationAnalysis(time_of_day="NIGHT")),
        SceneAnalysis(safety=Safety(risk_level="EXTREME")),
        SceneAnalysis(breakdown=Breakdown(cast=["MAYA"])),
        SceneAnalysis(narrative=Narrative(emotional_tone="dread")),
    ):
        assert records_differ(scene, scene.model_copy(update={"analysis": analysis})), analysis
    assert records_differ(scene, scene.model_copy(update={"text": scene.text + "\nMore."}))
