"""A scene's risk level follows its hazards through edits; a level set by hand is an override and says so."""

from __future__ import annotations

from cortexreel.domain.analysis import Breakdown, Hazard, Safety, SceneAnalysis
from cortexreel.domain.edits import FieldEdit, apply_edits
from cortexreel.domain.risk import NO_HAZARD_REASON, risk_from_hazards, settle_risk

STUNT = Hazard(category="stunts", level="HIGH", description="Stunts: crash")
FIRE = Hazard(category="fire", level="MEDIUM", description="Naked flame: campfire")
PYRO = Hazard(category="pyrotechnics", level="HIGH", description="Pyrotechnic effects: explosion")


def _analysis(*hazards: Hazard, stunts: tuple[str, ...] = ("crash",)) -> SceneAnalysis:
    level, reasons = risk_from_hazards(hazards)
    return SceneAnalysis(
        safety=Safety(risk_level=level, reasons=reasons, hazards=list(hazards)),
        breakdown=Breakdown(stunts=list(stunts)),
    )


def _edit(analysis: SceneAnalysis, *edits: FieldEdit) -> tuple[SceneAnalysis, set[str]]:
    settled, changes = settle_risk(analysis, *apply_edits(analysis, list(edits)))
    return settled, {change.path for change in changes}


def test_the_level_is_the_highest_hazard_raised_when_high_risks_combine() -> None:
    assert risk_from_hazards([]) == ("LOW", [NO_HAZARD_REASON])
    assert risk_from_hazards([FIRE])[0] == "MEDIUM"
    level, reasons = risk_from_hazards([STUNT, PYRO])
    assert level == "EXTREME" and reasons[0] == "EXTREME: pyrotechnics combined with stunts"


def test_clearing_the_stunts_removes_the_stunt_hazard_and_its_reason() -> None:
    analysis = _analysis(STUNT, FIRE)
    assert analysis.safety.risk_level == "HIGH"
    settled, paths = _edit(analysis, FieldEdit("breakdown.stunts", "set", []))
    assert [hazard.category for hazard in settled.safety.hazards] == ["fire"]
    assert settled.safety.risk_level == "MEDIUM"
    assert settled.safety.reasons == ["MEDIUM: Naked flame: campfire"]
    assert {"breakdown.stunts", "safety.hazards", "safety.risk_level", "safety.reasons"} <= paths


def test_removing_a_hazard_recomputes_the_level() -> None:
    analysis = _analysis(STUNT)
    settled, _ = _edit(analysis, FieldEdit("safety.hazards", "set", []))
    assert (settled.safety.risk_level, settled.safety.reasons) == ("LOW", [NO_HAZARD_REASON])


def test_a_level_set_by_hand_stays_an_override_until_cleared() -> None:
    analysis = _analysis(FIRE)
    raised, paths = _edit(analysis, FieldEdit("safety.risk_level", "set", "EXTREME"))
    assert (raised.safety.risk_level, raised.safety.risk_override) == ("EXTREME", "EXTREME")
    assert raised.safety.reasons[0] == "EXTREME: set by hand (the hazards alone give MEDIUM)"
    assert "safety.risk_override" in paths
    emptied, _ = _edit(raised, FieldEdit("safety.hazards", "set", []))
    assert emptied.safety.risk_level == "EXTREME"  # the hazards changed, the override did not
    cleared, _ = _edit(emptied, FieldEdit("safety.risk_level", "set", None))
    assert (cleared.safety.risk_level, cleared.safety.risk_override) == ("LOW", None)


def test_setting_the_level_the_hazards_give_is_no_override() -> None:
    analysis = _analysis(FIRE)
    raised, _ = _edit(analysis, FieldEdit("safety.risk_level", "set", "HIGH"))
    undone, _ = _edit(raised, FieldEdit("safety.risk_level", "set", "MEDIUM"))
    assert undone.safety == analysis.safety


def test_an_edit_elsewhere_leaves_safety_alone() -> None:
    analysis = _analysis(STUNT)
    analysis.safety.reasons = ["kept as the analyser wrote it"]
    settled, paths = _edit(analysis, FieldEdit("narrative.emotional_tone", "set", "grim"))
    assert settled.safety == analysis.safety and paths == {"narrative.emotional_tone"}
