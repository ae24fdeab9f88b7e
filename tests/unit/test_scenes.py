"""Pure logic of scenes and versions."""

from __future__ import annotations

from cortexreel.domain.analysis import Prop, SceneAnalysis
from cortexreel.domain.scenes import FieldChange, VersionSource, diff_analyses, next_version, scene_from_parse
from cortexreel.domain.screenplay import Element, ParsedScene
from tests.builders import make_scene


def test_diff_reports_leaf_paths() -> None:
    old = SceneAnalysis()
    new = old.model_copy(deep=True)
    new.location.time_of_day = "NIGHT"
    new.breakdown.props = [Prop(name="revolver", importance="hero")]
    new.narrative.emotions.tension = 7.5
    assert diff_analyses(old, new) == [
        FieldChange(path="breakdown.props", old=[], new=[{"name": "revolver", "importance": "hero"}]),
        FieldChange(path="location.time_of_day", old=None, new="NIGHT"),
        FieldChange(path="narrative.emotions.tension", old=0.0, new=7.5),
    ]
    assert diff_analyses(new, new) == []


def test_first_analysis_diffs_against_nothing() -> None:
    analysis = SceneAnalysis()
    analysis.narrative.emotional_tone = "dread"
    changes = diff_analyses(None, analysis)
    assert FieldChange(path="narrative.emotional_tone", old=None, new="dread") in changes
    assert all(change.old is None for change in changes)


def test_next_version_follows_the_scene() -> None:
    scene = make_scene("script", 4)
    analysis = SceneAnalysis()
    analysis.safety.risk_level = "HIGH"
    entry = next_version(scene, analysis, author="ann", source=VersionSource.CHAT, note="night exteriors are risky")
    assert (entry.scene_id, entry.script_id, entry.version) == (scene.id, "script", 1)
    assert FieldChange(path="safety.risk_level", old=None, new="HIGH") in entry.changes


def test_scene_from_parse_has_a_stable_id_and_text() -> None:
    parsed = ParsedScene(
        number=12,
        label="12A",
        heading="EXT. RIVER - DAY",
        setting="EXT",
        location="RIVER",
        time_of_day="DAY",
        page_start=3,
        page_end=4,
        eighths=11,
        elements=[
            Element(type="action", text="Water everywhere."),
            Element(type="character", text="Edward", character="EDWARD"),
            Element(type="dialogue", text="There she is.", character="EDWARD"),
        ],
    )
    scene = scene_from_parse("abc", parsed)
    assert scene.id == "abc-0012" == scene_from_parse("abc", parsed).id
    assert scene.pages.eighths == 11
    assert scene.text == "EXT. RIVER - DAY\nWater everywhere.\nEDWARD\nThere she is."
    assert scene.characters == ["EDWARD"]
    assert scene.version == 0 and scene.analysis is None
