"""The offline analyser on real scripts: scenes broken down by hand (tests/corpus/breakdowns) and the Big-Fish.pdf
script cast. Skipped, with the reason, when ../shared/fixtures is not beside the repository.
bench/breakdown_quality.py prints the full figures."""

from __future__ import annotations

from functools import cache

import pytest

from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.domain.continuity import script_cast
from cortexreel.domain.rollups import build_rollups
from cortexreel.domain.scenes import scene_from_parse
from cortexreel.parsing import parse_screenplay
from tests.breakdown_corpus import (
    BIG_FISH,
    BIG_FISH_CAST,
    BIG_FISH_NOT_CAST,
    SHARED_FIXTURES,
    LabelledScene,
    Score,
    corpus_available,
    load_corpus,
    score,
)

pytestmark = pytest.mark.skipif(
    not corpus_available(),
    reason=f"the labelled scripts are not in {SHARED_FIXTURES} (the shared/ folder beside the repository)",
)


@cache
def _corpus() -> tuple[list[LabelledScene], list[str]]:
    return load_corpus()


def _score(part: str) -> Score:
    items = [item for item in _corpus()[0] if item.split == part]
    analyzer = OfflineAnalyzer()
    analyses = [analyzer.analyze(item.in_context, item.script_cast).model_dump(mode="json") for item in items]
    return score(items, analyses)


def test_every_labelled_scene_is_found_in_its_script() -> None:
    items, lost = _corpus()
    assert not lost
    assert len(items) >= 80
    assert len({item.script for item in items}) >= 6


def test_big_fish_cast_has_no_camera_direction_sound_or_object() -> None:
    if not BIG_FISH.exists():
        pytest.skip(f"{BIG_FISH} is missing")
    screenplay = parse_screenplay(BIG_FISH.read_bytes(), BIG_FISH.name)
    scenes = [scene_from_parse("big-fish", parsed) for parsed in screenplay.scenes]
    analyzer = OfflineAnalyzer()
    speakers = script_cast(scenes)
    analysed = [scene.model_copy(update={"analysis": analyzer.analyze(scene, speakers)}) for scene in scenes]
    cast = {entry.name for entry in build_rollups(analysed).cast}
    assert not cast & set(BIG_FISH_NOT_CAST)
    assert not set(BIG_FISH_CAST) - cast


def test_the_held_out_scenes_keep_the_figures_reached() -> None:
    """Regression floors on the held-out half at what the analyser reaches (bench/breakdown_quality.py prints the
    figures). Issue 13 asks for more on three of them: silent-cast precision 0.8, macro-F1 0.6, emotion MAE 1.0."""
    held_out = _score("held-out")
    assert held_out.tallies["silent"].precision >= 0.79  # 35 of 44 reached; the issue asks 0.8
    assert held_out.tallies["props"].recall >= 0.5
    assert held_out.rate(held_out.risk_within_one) >= 0.9
    assert held_out.time_right / held_out.time_labelled >= 0.9
    assert held_out.macro_f1 >= 0.55
    assert held_out.emotion_mae <= 1.35
