"""bench/breakdown_quality.py's analysers and scorer on scenes made here, so the bench's --llm path and its keyword
baseline are exercised without the labelled scripts: the LLM through the real openai client against the loopback
OpenAI-compatible server."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cortexreel.domain.scenes import scene_text
from tests.breakdown_corpus import LabelledScene, score
from tests.builders import make_scene
from tests.llm_server import running

BENCH = Path(__file__).resolve().parents[2] / "bench" / "breakdown_quality.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("breakdown_quality", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("breakdown_quality", module)
    spec.loader.exec_module(module)
    return module


def _label(**values: Any) -> dict[str, Any]:
    label: dict[str, Any] = {"number": 1, "heading": "INT. DINER - NIGHT", "split": "tuning", "risk": "LOW",
                             "dominant_emotion": "sadness", "time_of_day": "NIGHT",
                             "emotions": {"tension": 2, "sadness": 6, "hope": 3, "anger": 0, "fear": 0, "joy": 0}}
    return {**label, **values}


def test_the_llm_column_runs_the_configured_model_and_is_scored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bench = _bench()
    scene = make_scene("s", 1)
    with running() as server:
        monkeypatch.setenv("CORTEXREEL_DATA_DIR", str(tmp_path))
        monkeypatch.setenv("CORTEXREEL_LLM_PROVIDER", "openai")
        monkeypatch.setenv("CORTEXREEL_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("CORTEXREEL_LLM_MODEL", "bench-model")
        [analysis] = bench.analyse_llm([scene], [frozenset({"EDWARD"})])
    assert server.calls == 1
    assert [prop["name"] for prop in analysis["breakdown"]["props"]] == ["wedding ring"]
    assert analysis["evidence"]["breakdown.props"]["wedding ring"] == "I caught the fish with my wedding ring."
    item = LabelledScene("generated", _label(props=["gold wedding ring"], extras=["waitress"]), scene, scene,
                         frozenset({"EDWARD"}))
    result = score([item], [analysis])
    assert result.tallies["props"].matched == 1 and result.tallies["extras"].matched == 1
    assert result.emotion_mae == pytest.approx((0 + 0 + 0 + 0 + 0 + 0) / 6)
    assert result.time_right == 1


def test_the_llm_column_needs_a_configured_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CORTEXREEL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CORTEXREEL_LLM_PROVIDER", "offline")
    with pytest.raises(SystemExit, match="--llm needs"):
        _bench().analyse_llm([make_scene("s", 1)], [frozenset()])


def test_the_keyword_baseline_finds_words_without_sense() -> None:
    scene = make_scene("s", 1)
    scene = scene.model_copy(update={"text": scene_text(scene.heading, scene.elements)})
    analysis = _bench().analyse_keywords(scene)
    assert analysis["breakdown"]["cast"] == ["EDWARD"]
    assert "ring" in [prop["name"] for prop in analysis["breakdown"]["props"]]  # said in dialogue, counted anyway
    assert analysis["location"]["time_of_day"] == "NIGHT"
