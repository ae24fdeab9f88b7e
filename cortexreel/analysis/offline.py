"""The offline analyser: deterministic, no network. It fills only what rules can honestly judge."""

from __future__ import annotations

from collections.abc import Sequence

from cortexreel.domain.analysis import AnalyserInfo, CharacterAnalysis, LocationAnalysis, SceneAnalysis
from cortexreel.domain.scenes import Scene
from cortexreel.ports import AnalysisResult

ANALYSER_VERSION = "0.1"


class OfflineAnalyzer:
    info = AnalyserInfo(name="offline", version=ANALYSER_VERSION)

    def analyze_many(self, scenes: Sequence[Scene]) -> list[AnalysisResult]:
        return [AnalysisResult(analysis=self.analyze(scene)) for scene in scenes]

    def analyze(self, scene: Scene) -> SceneAnalysis:
        speakers = scene.characters
        lines = {name: 0 for name in speakers}
        for element in scene.elements:
            if element.type == "dialogue" and element.character in lines:
                lines[element.character] += 1
        analysis = SceneAnalysis(
            location=LocationAnalysis(
                setting=scene.setting, location=scene.location or None, time_of_day=scene.time_of_day
            ),
            characters=[CharacterAnalysis(name=name, dialogue_lines=lines[name]) for name in speakers],
            analyser=self.info,
        )
        analysis.breakdown.cast = list(speakers)
        return analysis
