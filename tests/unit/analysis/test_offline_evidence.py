"""Grounded extraction: every breakdown item and every hazard of the offline analysis carries the sentence of the
scene that put it there, and analyses stored before evidence existed still load."""

from __future__ import annotations

from typing import Any

from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.domain.analysis import Breakdown, Prop, SceneAnalysis
from cortexreel.domain.scenes import PageSpan, Scene, scene_text
from cortexreel.domain.screenplay import Element

ACTION = [
    "EDWARD BLOOM (60s) slips his wedding ring off and ties it to a fishing line.",
    "A police car speeds past, SIREN wailing. Rain hammers the roof.",
    "Two kids run along the pier. A dog barks.",
    "Jenny loads a shotgun and fires at the sky.",
]


def _scene(*action: str, heading: str = "EXT. PIER - NIGHT") -> Scene:
    elements = [Element(type="action", text=text) for text in action]
    elements += [Element(type="character", text="JENNY", character="JENNY"),
                 Element(type="dialogue", text="Get off my pier!", character="JENNY")]
    return Scene(id="s-0001", script_id="s", number=1, heading=heading, setting="EXT", location="PIER",
                 time_of_day="NIGHT", pages=PageSpan(eighths=6), elements=elements, text=scene_text(heading, elements))


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_item_and_hazard_quotes_a_sentence_of_its_scene() -> None:
    scene = _scene(*ACTION)
    analysis = OfflineAnalyzer().analyze(scene)
    breakdown: dict[str, Any] = analysis.breakdown.model_dump()
    text = _flat(scene.text)
    checked = 0
    for field, items in breakdown.items():
        for item in items:
            name = item["name"] if isinstance(item, dict) else item
            quote = analysis.evidence_for(f"breakdown.{field}", name)
            assert quote, f"breakdown.{field}: {name} has no evidence"
            spoken = quote.removeprefix(f"{name}: ")  # a speaker's evidence is their first line, after their name
            assert spoken.rstrip("\u2026") in text, quote
            checked += 1
    for hazard in analysis.safety.hazards:
        quote = analysis.evidence_for("safety.hazards", hazard.category)
        assert quote and quote.rstrip("\u2026") in text, hazard.category
        checked += 1
    assert checked >= 10
    assert analysis.evidence_for("breakdown.cast", "JENNY") == "JENNY: Get off my pier!"
    assert analysis.evidence_for("breakdown.vehicles", "police car") == "A police car speeds past, SIREN wailing."
    assert analysis.evidence_for("safety.hazards", "night exterior") == "EXT. PIER - NIGHT"
    assert "shotgun" in (analysis.evidence_for("safety.hazards", "weapons") or "")


def test_a_parked_car_is_no_vehicle_hazard_but_one_driving_off_is() -> None:
    def hazards(*action: str) -> set[str]:
        return {hazard.category for hazard in OfflineAnalyzer().analyze(_scene(*action)).safety.hazards}

    assert "vehicles" not in hazards("A hearse is parked by the gate. Mourners gather.", "The engine ticks.")
    assert "vehicles" in hazards("The Masons get into their car and drive off.")


def test_a_long_sentence_is_quoted_in_part() -> None:
    long_sentence = "Edward picks up the lantern " + "and walks on slowly " * 30 + "into the dark."
    analysis = OfflineAnalyzer().analyze(_scene(long_sentence))
    quote = analysis.evidence_for("breakdown.props", "lantern") or ""
    assert quote.startswith("Edward picks up the lantern") and quote.endswith("\u2026") and len(quote) <= 240


def test_an_analysis_stored_before_evidence_loads_with_none() -> None:
    stored = SceneAnalysis(breakdown=Breakdown(props=[Prop(name="ring")])).model_dump(mode="json")
    del stored["evidence"]
    loaded = SceneAnalysis.model_validate(stored)
    assert loaded.evidence == {} and loaded.evidence_for("breakdown.props", "ring") is None
