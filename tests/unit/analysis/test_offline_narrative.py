"""The offline analyser's narrative, characters, technical section, screen time, complexity and determinism."""

from __future__ import annotations

from cortexreel.analysis.offline import OfflineAnalyzer, complexity, screen_time_seconds
from cortexreel.domain.analysis import Breakdown, SceneAnalysis
from cortexreel.domain.base import Setting
from cortexreel.domain.scenes import PageSpan, Scene
from cortexreel.domain.screenplay import Element


def scene(
    elements: list[Element], *, setting: Setting = "INT", location: str = "HOUSE", time_of_day: str = "NIGHT",
    eighths: int = 8,
) -> Scene:
    return Scene(id="s-0001", script_id="s", number=1, heading=f"{setting}. {location} - {time_of_day}",
                 setting=setting, location=location, time_of_day=time_of_day, pages=PageSpan(eighths=eighths),
                 elements=elements)


def action(text: str) -> Element:
    return Element(type="action", text=text)


def line(speaker: str, text: str) -> Element:
    return Element(type="dialogue", text=text, character=speaker)


VIOLENT = scene([
    action("Edward storms in, a revolver in his fist. He punches Will, who screams in terror."),
    line("EDWARD", "You lied to me! I'll kill you--"),
    line("WILL", "Please, don't hurt me!"),
    action("They fight. Blood everywhere."),
    line("EDWARD", "Shut up!"),
], eighths=3)

TENDER = scene([
    action("Sunlight through the curtains. Jenny smiles and hugs her father warmly."),
    line("JENNY", "I love you, Dad. Thank you for everything."),
    line("EDWARD", "We'll be together again someday. I promise, sweetheart."),
    action("They laugh softly, full of hope."),
], time_of_day="DAY", eighths=20)


def analyse(target: Scene) -> SceneAnalysis:
    return OfflineAnalyzer().analyze(target)


def test_violent_scene_scores_more_fear_anger_tension_than_tender_one() -> None:
    violent = analyse(VIOLENT).narrative
    tender = analyse(TENDER).narrative
    assert violent.emotions.fear > tender.emotions.fear
    assert violent.emotions.anger > tender.emotions.anger
    assert violent.emotions.tension > tender.emotions.tension
    assert tender.emotions.joy > violent.emotions.joy
    assert tender.emotions.hope > violent.emotions.hope
    assert violent.conflict_level is not None and tender.conflict_level is not None
    assert violent.conflict_level > tender.conflict_level


def test_exact_narrative_of_the_violent_scene() -> None:
    narrative = analyse(VIOLENT).narrative
    assert narrative.emotional_tone == "violent"
    assert narrative.pacing == "fast"
    assert narrative.conflict_level == 10
    assert narrative.synopsis == "Edward storms in, a revolver in his fist."
    assert narrative.symbolism == []


def test_exact_narrative_of_the_tender_scene() -> None:
    narrative = analyse(TENDER).narrative
    assert narrative.emotional_tone == "uplifting"
    assert narrative.pacing == "slow"
    assert narrative.conflict_level == 0
    assert narrative.themes == ["family"]


def test_negation_keeps_a_word_from_counting() -> None:
    happy = analyse(scene([line("ANN", "I am happy. So happy.")])).narrative.emotions.joy
    not_happy = analyse(scene([line("ANN", "I am not happy. Not happy.")])).narrative.emotions.joy
    assert happy > not_happy


def test_empty_scene_is_neutral() -> None:
    narrative = analyse(scene([action("Edward sits.")])).narrative
    assert narrative.emotional_tone == "neutral"
    assert narrative.synopsis == "Edward sits."


def test_long_first_sentence_is_trimmed_at_a_word() -> None:
    text = "Edward walks " + "very " * 50 + "slowly."
    synopsis = analyse(scene([action(text)])).narrative.synopsis
    assert synopsis is not None
    assert len(synopsis) <= 160
    assert synopsis.endswith("very\u2026")


def test_characters_lines_actions_emotions_and_relationships() -> None:
    analysis = analyse(scene([
        action("EDWARD hugs his son WILL. Will pulls away."),
        line("WILL", "Dad, I'm scared."),
        line("EDWARD", "My father never lied. I promise."),
        line("WILL", "Okay."),
    ]))
    will, edward = analysis.characters  # speakers in order of their first line
    assert edward.name == "EDWARD"
    assert edward.dialogue_lines == 1
    assert edward.actions == ["EDWARD hugs his son WILL."]
    assert edward.emotions == ["hope"]
    assert edward.relationships == ["son: WILL", "father (mentioned)", "co-present: WILL"]
    assert will.dialogue_lines == 2
    assert will.actions == ["EDWARD hugs his son WILL.", "Will pulls away."]
    assert will.emotions == ["fear"]
    assert will.relationships == ["father: EDWARD", "co-present: EDWARD"]


def test_technical_shots_movements_lighting_and_sound() -> None:
    analysis = analyse(scene([
        Element(type="shot", text="CLOSE ON the revolver"),
        action("ANGLE ON Edward. HANDHELD as the CAMERA PANS across the neon-lit bar. Candlelight. She puts "
               "the pan down."),
        Element(type="dialogue", text="Who's there?", character="JENNY", extension="O.S."),
        Element(type="dialogue", text="Me.", character="EDWARD", extension="V.O."),
    ], setting="EXT", location="BAR", time_of_day="NIGHT"))
    technical = analysis.technical
    assert technical.shot_types == ["close-up", "angle"]
    assert technical.camera_movements == ["handheld", "pan"]
    assert technical.lighting == ["night exterior", "neon", "candlelight"]
    assert technical.sound_design == ["voice-over", "off-screen dialogue"]
    assert technical.production_notes == ["night exterior shoot"]


def test_screen_time_from_eighths() -> None:
    assert screen_time_seconds(8) == 60
    assert screen_time_seconds(3) == 23
    assert screen_time_seconds(1) == 8
    assert analyse(VIOLENT).estimated_screen_time_seconds == 23


def test_complexity_from_element_counts() -> None:
    assert complexity(Breakdown(cast=["A"]), []) == "low"
    assert complexity(Breakdown(cast=["A"], stunts=["fight"]), ["MEDIUM"]) == "medium"
    busy = Breakdown(cast=list("ABCDEFG"), stunts=["fall"], sfx=["rain", "smoke"], vehicles=["car"],
                     extras=["crowd"])
    assert complexity(busy, ["HIGH", "HIGH"]) == "high"


def test_analyser_info_and_determinism() -> None:
    analyzer = OfflineAnalyzer()
    first = analyzer.analyze(VIOLENT)
    second = OfflineAnalyzer().analyze(VIOLENT.model_copy(deep=True))
    assert first.analyser is not None
    assert (first.analyser.name, first.analyser.version) == ("offline", "1.0")
    assert first.model_dump() == second.model_dump()


def test_analyze_many_keeps_order() -> None:
    results = OfflineAnalyzer().analyze_many([VIOLENT, TENDER])
    assert [result.analysis.narrative.synopsis for result in results] == [
        "Edward storms in, a revolver in his fist.",
        "Sunlight through the curtains.",
    ]
    assert all(result.input_tokens == 0 and not result.cached for result in results)
