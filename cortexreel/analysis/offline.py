"""The offline analyser: deterministic, no network, no model downloads. It fills what rules can honestly
judge from the scene's text (breakdown elements, shots, lighting, hazards, emotions from lexicons, pacing) and
leaves the rest empty (symbolism; themes unless keyword-evident).

The rules live in `rules_breakdown`, `rules_safety` and `rules_narrative`; word lists in `lexicon`.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence

from cortexreel.analysis.rules_breakdown import build_breakdown, build_location, build_technical, read_scene
from cortexreel.analysis.rules_narrative import build_characters, build_narrative
from cortexreel.analysis.rules_safety import NON_PHYSICAL, assess_safety
from cortexreel.domain.analysis import AnalyserInfo, Breakdown, SceneAnalysis
from cortexreel.domain.base import RISK_LEVELS
from cortexreel.domain.risk import rank
from cortexreel.domain.scenes import Scene
from cortexreel.ports import AnalysisResult

ANALYSER_VERSION = "1.0"
SECONDS_PER_EIGHTH = 7.5  # one page ≈ one minute of screen time

log = logging.getLogger(__name__)


class OfflineAnalyzer:
    info = AnalyserInfo(name="offline", version=ANALYSER_VERSION)

    def analyze_many(self, scenes: Sequence[Scene], script_cast: Collection[str] = ()) -> list[AnalysisResult]:
        """Analyses in order; a scene the rules choke on gets an empty analysis with a warning."""
        results: list[AnalysisResult] = []
        for scene in scenes:
            try:
                analysis = self.analyze(scene, script_cast)
            except Exception as exc:  # one odd scene must not fail the batch
                log.exception("offline analysis failed for scene %s", scene.id)
                analysis = SceneAnalysis(analyser=self.info, warnings=[f"offline analysis failed: {exc}"])
            results.append(AnalysisResult(analysis=analysis))
        return results

    def analyze(self, scene: Scene, script_cast: Collection[str] = ()) -> SceneAnalysis:
        """One scene; `script_cast` (the script's speakers) lets the action name a character it does not
        introduce ("Will watches her sleep")."""
        facts = read_scene(scene, script_cast)
        breakdown, evidence = build_breakdown(facts)
        safety, hazard_evidence = assess_safety(facts)
        if hazard_evidence:
            evidence["safety.hazards"] = hazard_evidence
        danger = sum(1 for hazard in safety.hazards if hazard.category not in NON_PHYSICAL and rank(hazard.level) >= 2)
        narrative, _ = build_narrative(facts, danger)
        warnings: list[str] = []
        if not any(element.type in ("action", "dialogue") for element in scene.elements):
            warnings.append("scene has no action or dialogue; only the heading was analysed")
        return SceneAnalysis(
            technical=build_technical(facts, breakdown),
            narrative=narrative,
            characters=build_characters(facts),
            location=build_location(facts),
            safety=safety,
            breakdown=breakdown,
            estimated_screen_time_seconds=screen_time_seconds(scene.pages.eighths),
            complexity=complexity(breakdown, [hazard.level for hazard in safety.hazards]),
            analyser=self.info,
            warnings=warnings,
            evidence=evidence,
        )


def screen_time_seconds(eighths: int) -> int:
    """Page eighths to seconds at one minute a page, rounded half up."""
    return int(eighths * SECONDS_PER_EIGHTH + 0.5)


def complexity_score(breakdown: Breakdown, hazard_levels: Sequence[str]) -> int:
    """Points for what makes a scene hard to shoot: a big cast, stunts, effects, vehicles, extras, hazards."""
    score = 0
    cast = len(breakdown.cast)
    score += 2 if cast > 6 else 1 if cast > 3 else 0
    score += 2 if breakdown.stunts else 0
    score += min(2, len(breakdown.sfx))
    score += 1 if breakdown.vfx else 0
    score += 1 if breakdown.vehicles else 0
    score += 1 if breakdown.extras else 0
    score += 1 if breakdown.animals else 0
    high = RISK_LEVELS.index("HIGH")
    score += min(2, sum(1 for level in hazard_levels if RISK_LEVELS.index(level) >= high))
    return score


def complexity(breakdown: Breakdown, hazard_levels: Sequence[str]) -> str:
    score = complexity_score(breakdown, hazard_levels)
    if score >= 5:
        return "high"
    if score >= 2:
        return "medium"
    return "low"
