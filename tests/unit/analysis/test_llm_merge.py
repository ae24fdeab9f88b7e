"""The pure pieces of the LLM analyser: the merge that protects parsed facts, validation, keys and retry timing."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx2
import openai
from langchain_core.exceptions import ModelAuthenticationError, ModelRateLimitError

from cortexreel.analysis.llm import (
    SceneJudgement,
    backoff_delay,
    is_configuration_problem,
    is_retryable,
    merge_judgement,
    parse_reply,
    retry_after_seconds,
    scene_cache_key,
)
from cortexreel.domain.analysis import (
    AnalyserInfo,
    Breakdown,
    CharacterAnalysis,
    LocationAnalysis,
    SceneAnalysis,
)
from tests.builders import make_scene
from tests.llm_server import SAMPLE_JUDGEMENT

INFO = AnalyserInfo(name="llm", version="1.0", model="m", prompt_version="scene_analysis.v1")


def offline_analysis() -> SceneAnalysis:
    return SceneAnalysis(
        location=LocationAnalysis(setting="INT", location="DINER", time_of_day="NIGHT"),
        characters=[
            CharacterAnalysis(name="EDWARD", dialogue_lines=3),
            CharacterAnalysis(name="SANDRA", dialogue_lines=1),
        ],
        breakdown=Breakdown(cast=["EDWARD", "SANDRA"]),
        estimated_screen_time_seconds=45,
        complexity="medium",
        warnings=["page break inside dialogue"],
    )


def contrary_judgement() -> SceneJudgement:
    """A judgement that disagrees with the parse on every fact it could touch."""
    return SceneJudgement.model_validate(
        {
            "narrative": {"emotional_tone": "tense", "conflict_level": 7},
            "characters": [
                {"name": "Edward (V.O.)", "dialogue_lines": 40, "emotions": ["angry"]},
                {"name": "WAITRESS", "dialogue_lines": 2, "actions": ["pours coffee"]},
            ],
            "location": {"weather": "storm", "props": ["jukebox"]},
            "breakdown": {"cast": ["EDWARD", "WAITRESS", "GHOST"], "vehicles": ["pickup truck"]},
        }
    )


def test_merge_keeps_every_parsed_fact() -> None:
    merged = merge_judgement(offline_analysis(), contrary_judgement(), INFO)

    assert (merged.location.setting, merged.location.location, merged.location.time_of_day) == ("INT", "DINER", "NIGHT")
    assert merged.breakdown.cast == ["EDWARD", "SANDRA"]
    assert merged.estimated_screen_time_seconds == 45
    assert [(c.name, c.dialogue_lines) for c in merged.characters] == [("EDWARD", 3), ("SANDRA", 1), ("WAITRESS", 0)]
    assert merged.warnings == ["page break inside dialogue"]


def test_merge_takes_the_models_judgement() -> None:
    merged = merge_judgement(offline_analysis(), contrary_judgement(), INFO)

    assert merged.narrative.emotional_tone == "tense"
    assert merged.characters[0].emotions == ["angry"]
    assert merged.characters[2].actions == ["pours coffee"]
    assert merged.location.weather == "storm"
    assert merged.location.props == ["jukebox"]
    assert merged.breakdown.vehicles == ["pickup truck"]
    assert merged.analyser == INFO
    assert merged.complexity == "medium"  # the model gave none, so the offline value stays


def test_merge_does_not_share_objects_with_its_inputs() -> None:
    offline = offline_analysis()
    judgement = contrary_judgement()
    merged = merge_judgement(offline, judgement, INFO)
    merged.breakdown.vehicles.append("bus")
    merged.characters[0].emotions.append("calm")

    assert judgement.breakdown.vehicles == ["pickup truck"]
    assert offline.characters[0].emotions == []


def test_parse_reply_accepts_the_sample_and_explains_problems() -> None:
    judgement, problem = parse_reply(json.dumps(SAMPLE_JUDGEMENT))
    assert judgement is not None and problem == ""

    fenced, _ = parse_reply(f"Here you are:\n```json\n{json.dumps(SAMPLE_JUDGEMENT)}\n```")
    assert fenced == judgement

    _, truncated = parse_reply('{"narrative": {"emotional_tone": "tense"')
    assert "not valid JSON" in truncated

    _, not_object = parse_reply('["a list"]')
    assert "single JSON object" in not_object

    _, invalid = parse_reply(json.dumps({"narrative": {"conflict_level": 42}, "mood": "x"}))
    assert "narrative.conflict_level" in invalid and "mood" in invalid


def test_cache_key_depends_on_text_heading_model_and_prompt() -> None:
    scene = make_scene("s", 1)
    key = scene_cache_key(scene, model="m", prompt_version="v1")

    assert key == scene_cache_key(scene.model_copy(update={"id": "other"}), model="m", prompt_version="v1")
    assert key != scene_cache_key(scene.model_copy(update={"text": scene.text + "!"}), model="m", prompt_version="v1")
    assert key != scene_cache_key(scene.model_copy(update={"heading": "EXT. ROAD"}), model="m", prompt_version="v1")
    assert key != scene_cache_key(scene, model="other", prompt_version="v1")
    assert key != scene_cache_key(scene, model="m", prompt_version="v1+abc")


def _status_error(status: int, headers: dict[str, str]) -> openai.APIStatusError:
    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(status, headers=headers, request=request)
    return openai.APIStatusError("scripted", response=response, body=None)


def test_retry_after_reads_seconds_milliseconds_and_dates() -> None:
    assert retry_after_seconds(_status_error(429, {"Retry-After": "3"})) == 3.0
    assert retry_after_seconds(_status_error(429, {"retry-after-ms": "250"})) == 0.25
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 < (retry_after_seconds(_status_error(429, {"Retry-After": later})) or 0) <= 30
    assert retry_after_seconds(_status_error(429, {})) is None
    assert retry_after_seconds(_status_error(429, {"Retry-After": "soon"})) is None
    assert retry_after_seconds(ValueError("no response")) is None


def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(attempt, base=1.0, cap=8.0, rng=rng) for attempt in range(6)]

    for attempt, delay in enumerate(delays):
        step = min(8.0, 2.0**attempt)
        assert step / 2 <= delay <= step


def test_which_errors_are_retried_and_which_stop_the_batch() -> None:
    assert is_retryable(_status_error(500, {}))
    assert is_retryable(_status_error(503, {}))
    assert is_retryable(_status_error(429, {}))
    assert is_retryable(ModelRateLimitError("slow down"))
    assert is_retryable(openai.APITimeoutError(httpx2.Request("POST", "http://127.0.0.1")))
    assert not is_retryable(_status_error(400, {}))
    assert not is_retryable(ValueError("bug"))

    assert is_configuration_problem(ModelAuthenticationError("bad key"))
    assert not is_configuration_problem(_status_error(500, {}))
