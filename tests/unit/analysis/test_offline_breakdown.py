"""The offline analyser's breakdown: cast, extras, elements by category, props importance, false positives."""

from __future__ import annotations

from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.domain.analysis import Prop, SceneAnalysis
from cortexreel.domain.base import Setting
from cortexreel.domain.scenes import PageSpan, Scene
from cortexreel.domain.screenplay import Element


def scene(
    *action: str,
    dialogue: tuple[tuple[str, str], ...] = (),
    setting: Setting = "INT",
    location: str = "KITCHEN",
    time_of_day: str = "DAY",
    eighths: int = 4,
) -> Scene:
    elements = [Element(type="action", text=text) for text in action]
    for speaker, line in dialogue:
        elements.append(Element(type="character", text=speaker, character=speaker))
        elements.append(Element(type="dialogue", text=line, character=speaker))
    return Scene(id="s-0001", script_id="s", number=1, heading=f"{setting}. {location} - {time_of_day}",
                 setting=setting, location=location, time_of_day=time_of_day, pages=PageSpan(eighths=eighths),
                 elements=elements)


def analyse(*action: str, **kwargs: object) -> SceneAnalysis:
    return OfflineAnalyzer().analyze(scene(*action, **kwargs))  # type: ignore[arg-type]


def test_cast_is_speakers_then_caps_introductions() -> None:
    analysis = analyse(
        "EDWARD BLOOM (60s) enters. WILL follows. A MAILMAN waves. BANG! CUT TO: CONTINUOUS.",
        dialogue=(("EDWARD", "Morning."), ("JENNY", "Hello.")),
    )
    assert analysis.breakdown.cast == ["EDWARD", "JENNY", "WILL", "MAILMAN"]


def test_sound_words_shot_words_and_emphasis_are_not_cast() -> None:
    analysis = analyse("BOOM! The door SLAMS. CLOSE ON the handle. He is NOT going. ELSA (40s) listens.")
    assert analysis.breakdown.cast == ["ELSA"]
    assert analysis.breakdown.sound_cues == ["boom", "slam"]


def test_all_caps_line_is_not_an_introduction() -> None:
    assert analyse("SUPER: PARIS, 1944.").breakdown.cast == []


def test_extras_from_crowd_words() -> None:
    analysis = analyse("Patrons crowd the bar. Two waiters weave between soldiers and passengers.")
    assert analysis.breakdown.extras == ["patrons", "waiters", "soldiers", "passengers"]


def test_a_speaking_waiter_is_cast_not_extras() -> None:
    analysis = analyse("The waiter pours wine.", dialogue=(("WAITER", "More wine?"),))
    assert analysis.breakdown.cast == ["WAITER"]
    assert analysis.breakdown.extras == []


def test_props_are_hero_when_handled_or_repeated_and_practical_otherwise() -> None:
    analysis = analyse(
        "A letter lies next to an umbrella. A newspaper on the chair.",
        "Edward picks up the letter.",
        "He opens the briefcase.",
    )
    assert analysis.breakdown.props == [
        Prop(name="letter", importance="hero"),
        Prop(name="umbrella", importance="practical"),
        Prop(name="newspaper", importance="practical"),
        Prop(name="briefcase", importance="hero"),
    ]
    assert analysis.breakdown.set_dressing == ["chair"]


def test_plural_and_singular_fold_to_one_item() -> None:
    analysis = analyse("Candles everywhere. One candle gutters. Three dogs and a dog bowl.")
    assert [prop.name for prop in analysis.breakdown.props] == ["candle", "plate"]
    assert analysis.breakdown.animals == ["dog"]


def test_categories() -> None:
    analysis = analyse(
        "Edward, in a tuxedo and a fedora, draws a revolver and a knife.",
        "A horse whinnies. A police car and a taxi pull up. Blood on his shirt, a scar on his cheek.",
        "An explosion rocks the street. Smoke billows. A hologram flickers.",
        "They fight. Will falls down the stairs. Music plays on the radio.",
        setting="EXT", location="STREET", time_of_day="NIGHT",
    )
    breakdown = analysis.breakdown
    assert breakdown.wardrobe == ["tuxedo", "hat", "shirt"]
    assert breakdown.weapons == ["handgun", "knife"]
    assert breakdown.animals == ["horse"]
    assert breakdown.vehicles == ["police car", "taxi"]
    assert breakdown.makeup == ["blood", "scar"]
    assert breakdown.sfx == ["explosion", "smoke"]
    assert breakdown.vfx == ["hologram"]
    assert breakdown.stunts == ["fight", "fall"]
    assert breakdown.music_cues == ["music", "radio music"]
    assert breakdown.special_equipment == ["haze machine", "lighting towers"]


def test_sound_cues_from_phrases_and_we_hear() -> None:
    analysis = analyse("The phone rings. We hear distant church organ music. A siren wails outside.")
    assert analysis.breakdown.sound_cues == ["phone ringing", "siren", "distant church organ music"]


def test_special_equipment_from_shots_and_named_rigs() -> None:
    analysis = analyse("AERIAL SHOT of the valley. CRANE UP to reveal the town. A rain machine soaks the set.",
                       setting="EXT", location="VALLEY")
    assert analysis.breakdown.special_equipment == [
        "rain towers", "drone or helicopter camera mount", "camera crane"
    ]


def test_weather_from_action_and_heading() -> None:
    analysis = analyse("Fog rolls in off the sea. Rain begins.", setting="EXT", location="PIER",
                       time_of_day="NIGHT (STORM)")
    assert analysis.location.weather == "storm, fog, rain"


def test_dialogue_is_not_scanned_for_elements() -> None:
    analysis = analyse("Edward sits.", dialogue=(("EDWARD", "I'll set the house on fire with my gun."),))
    assert analysis.breakdown.sfx == []
    assert analysis.breakdown.weapons == []


def test_false_positive_guards() -> None:
    analysis = analyse(
        "He fires her on the spot. She opens fire. Night falls. He falls asleep.",
        "She fights back tears. He watches the door. She jumps at the chance.",
        "There is no gun here. He eats like a pig. The camera pans to a pan on the stove.",
    )
    breakdown = analysis.breakdown
    assert breakdown.sfx == []
    assert breakdown.stunts == []
    assert breakdown.weapons == []
    assert breakdown.animals == []
    assert [prop.name for prop in breakdown.props] == ["cookware"]  # the pan on the stove, not the camera's
    assert analysis.technical.camera_movements == ["pan"]
    assert "watch" not in [prop.name for prop in breakdown.props]


def test_fire_as_flames_is_an_effect() -> None:
    assert analyse("The barn is on fire. Flames lick the roof.").breakdown.sfx == ["fire"]
    assert analyse("The fire extinguisher hangs by the fire escape.").breakdown.sfx == []


def test_location_fields_come_from_the_heading() -> None:
    analysis = analyse("Edward waits.", setting="EXT", location="ROOFTOP", time_of_day="DUSK")
    assert analysis.location.setting == "EXT"
    assert analysis.location.location == "ROOFTOP"
    assert analysis.location.time_of_day == "DUSK"
    assert analysis.location.accessibility_notes == [
        "rooftop: restricted access, fall protection and structural load check"
    ]
