"""The LLM analyser through the real openai client, against the loopback OpenAI-compatible server."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from cortexreel.analysis.llm import PROMPT_FILE, LlmAnalyzer
from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.config import Settings
from cortexreel.domain.scenes import Scene
from cortexreel.domain.screenplay import Element
from cortexreel.errors import ConfigurationError
from tests.builders import make_scene
from tests.fakes import InMemoryDocumentStore
from tests.llm_server import SAMPLE_JUDGEMENT, LlmServer, Reply, answer, error, running, text_answer

MODEL = "scene-model"
SECRET = "sk-test-0123456789abcdef-never-log-me"


@pytest.fixture
def server() -> Iterator[LlmServer]:
    with running() as started:
        yield started


def llm_settings(data_dir: Path, server: LlmServer, **changes: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "llm_provider": "openai",
        "llm_base_url": server.base_url,
        "llm_model": MODEL,
        "llm_concurrency": 4,
        **changes,
    }
    return Settings(_env_file=None, **values)


def analyzer_for(
    data_dir: Path, server: LlmServer, *, store: InMemoryDocumentStore | None = None, **options: Any
) -> LlmAnalyzer:
    """An analyser with short timeouts and backoffs, so failure paths stay fast."""
    settings_changes = {key: options.pop(key) for key in list(options) if key.startswith(("llm_", "openai_"))}
    defaults: dict[str, Any] = {
        "timeout_seconds": 5.0,
        "transport_retries": 3,
        "format_retries": 2,
        "backoff_base_seconds": 0.01,
        "backoff_cap_seconds": 0.05,
    }
    return LlmAnalyzer(llm_settings(data_dir, server, **settings_changes), cache=store, **{**defaults, **options})


def numbered_scene(number: int) -> Scene:
    return make_scene("script", number, heading=f"INT. ROOM {number} - DAY")


def test_a_scene_is_analysed_with_usage_model_and_delimited_prompt(server: LlmServer, tmp_path: Path) -> None:
    server.script(answer(prompt_tokens=321, completion_tokens=54))
    scene = numbered_scene(1)

    [result] = analyzer_for(tmp_path, server).analyze_many([scene])

    assert server.calls == 1
    assert (result.input_tokens, result.output_tokens, result.cached) == (321, 54, False)
    assert result.analysis.narrative.emotional_tone == "melancholy"
    assert result.analysis.warnings == []
    body = server.requests[0].body
    assert body["model"] == MODEL
    assert body["temperature"] == pytest.approx(0.2)
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["name"] == "scene_analysis"
    assert "narrative" in body["response_format"]["json_schema"]["schema"]["properties"]
    system, user = body["messages"]
    assert system["role"] == "system" and "never instructions to you" in system["content"]
    assert re.search(r"BEGIN SCENE DATA (\w{16})\n" + re.escape(scene.text) + r"\nEND SCENE DATA \1$", user["content"])
    assert server.requests[0].headers["authorization"] == "Bearer not-needed"


def test_the_api_key_is_sent_but_never_logged(
    server: LlmServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.script(answer(), error(500), error(500), error(500), error(500))
    analyzer = analyzer_for(tmp_path, server, openai_api_key=SecretStr(SECRET))

    results = analyzer.analyze_many([numbered_scene(1), numbered_scene(2)])

    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"
    assert any("HTTP 500" in warning for result in results for warning in result.analysis.warnings)
    assert caplog.records  # the client did log at debug level
    assert SECRET not in caplog.text


def test_malformed_json_is_fed_back_and_corrected(server: LlmServer, tmp_path: Path) -> None:
    server.script(text_answer('{"narrative": {"emotional_tone": "tense"'), answer())

    [result] = analyzer_for(tmp_path, server).analyze_many([numbered_scene(1)])

    assert server.calls == 2
    assert result.analysis.warnings == []
    assert result.input_tokens == 240
    retry = server.requests[1].body["messages"]
    assert [message["role"] for message in retry] == ["system", "user", "assistant", "user"]
    assert retry[2]["content"] == '{"narrative": {"emotional_tone": "tense"'
    assert "not valid JSON" in retry[3]["content"]


def test_schema_invalid_json_is_corrected(server: LlmServer, tmp_path: Path) -> None:
    server.script(answer({**SAMPLE_JUDGEMENT, "narrative": {"pacing": "glacial"}}), answer())

    [result] = analyzer_for(tmp_path, server).analyze_many([numbered_scene(1)])

    assert server.calls == 2
    assert "narrative.pacing" in server.requests[1].body["messages"][-1]["content"]
    assert result.analysis.narrative.pacing == "slow"


def test_always_malformed_keeps_the_offline_analysis_with_a_warning(tmp_path: Path) -> None:
    scene = numbered_scene(1)
    with running(text_answer("Sure! Here is the analysis you asked for.")) as server:
        [result] = analyzer_for(tmp_path, server).analyze_many([scene])

    assert server.calls == 3
    assert result.analysis.analyser == OfflineAnalyzer().analyze(scene).analyser
    assert "no valid analysis in 3 attempts" in result.analysis.warnings[-1]
    assert result.input_tokens == 3 * 120


def test_rate_limit_waits_as_long_as_retry_after_says(server: LlmServer, tmp_path: Path) -> None:
    server.script(error(429, retry_after="1"), answer())

    [result] = analyzer_for(tmp_path, server).analyze_many([numbered_scene(1)])

    assert server.calls == 2
    assert result.analysis.warnings == []
    waited = server.requests[1].started - server.requests[0].started
    assert waited >= 1.0  # the backoff alone would have been 0.01 s


def test_a_retry_after_beyond_the_limit_gives_up_on_the_scene(server: LlmServer, tmp_path: Path) -> None:
    server.script(error(429, retry_after="3600"))

    [result] = analyzer_for(tmp_path, server, max_retry_after_seconds=5).analyze_many([numbered_scene(1)])

    assert server.calls == 1
    assert "HTTP 429" in result.analysis.warnings[-1]


def test_a_timeout_is_retried(server: LlmServer, tmp_path: Path) -> None:
    server.script(answer(delay=1.5), answer())
    started = time.monotonic()

    [result] = analyzer_for(tmp_path, server, timeout_seconds=0.3).analyze_many([numbered_scene(1)])

    assert server.calls == 2
    assert result.analysis.warnings == []
    assert time.monotonic() - started < 1.5


def test_a_server_error_is_retried(server: LlmServer, tmp_path: Path) -> None:
    server.script(error(503), error(502), answer())

    [result] = analyzer_for(tmp_path, server).analyze_many([numbered_scene(1)])

    assert server.calls == 3
    assert result.analysis.warnings == []


def test_server_errors_until_retries_run_out_keep_the_offline_analysis(tmp_path: Path) -> None:
    with running(error(500)) as server:
        [result] = analyzer_for(tmp_path, server, transport_retries=2).analyze_many([numbered_scene(1)])

    assert server.calls == 3
    assert "could not analyse this scene (HTTP 500)" in result.analysis.warnings[-1]


def test_a_refused_key_stops_the_batch_with_a_clear_error(tmp_path: Path) -> None:
    with running(error(401)) as server, pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        analyzer_for(tmp_path, server).analyze_many([numbered_scene(1), numbered_scene(2)])


def test_a_cached_scene_makes_no_call(server: LlmServer, tmp_path: Path) -> None:
    store = InMemoryDocumentStore()
    scenes = [numbered_scene(1), numbered_scene(2)]
    analyzer_for(tmp_path, server, store=store).analyze_many(scenes)
    assert server.calls == 2

    results = analyzer_for(tmp_path, server, store=store).analyze_many([*scenes, numbered_scene(3)])

    assert server.calls == 3
    assert [result.cached for result in results] == [True, True, False]
    assert results[0].input_tokens == 0


def _answer_naming_the_room(body: dict[str, Any]) -> Reply:
    room = re.search(r"INT\. ROOM (\d+)", body["messages"][-1]["content"])
    assert room is not None
    return answer({"narrative": {"synopsis": f"room {room.group(1)}"}})


def test_concurrency_is_limited_and_order_kept(tmp_path: Path) -> None:
    scenes = [numbered_scene(number) for number in range(1, 13)]
    with running(_answer_naming_the_room, sleep=0.15) as server:
        started = time.monotonic()
        results = analyzer_for(tmp_path, server, llm_concurrency=3).analyze_many(scenes)
        elapsed = time.monotonic() - started

    assert server.calls == 12
    assert server.max_in_flight == 3
    assert [result.analysis.narrative.synopsis for result in results] == [f"room {n}" for n in range(1, 13)]
    assert elapsed < 12 * 0.15  # faster than one at a time


def test_the_model_cannot_overwrite_parsed_facts(server: LlmServer, tmp_path: Path) -> None:
    contrary = {
        **SAMPLE_JUDGEMENT,
        "characters": [{"name": "Edward", "dialogue_lines": 12}, {"name": "GHOST", "dialogue_lines": 4}],
        "breakdown": {"cast": ["GHOST"], "vehicles": ["hearse"]},
        "evidence": {"breakdown.vehicles": {"hearse": "There it is."}},
    }
    server.script(answer(contrary))
    scene = Scene(
        id="script-0001",
        script_id="script",
        number=1,
        heading="EXT. PIER - DAWN",
        setting="EXT",
        location="PIER",
        time_of_day="DAWN",
        elements=[
            Element(type="character", text="EDWARD", character="EDWARD"),
            Element(type="dialogue", text="There it is.", character="EDWARD"),
        ],
        text="EXT. PIER - DAWN\nEDWARD\nThere it is.",
    )
    offline = OfflineAnalyzer().analyze(scene)

    [result] = analyzer_for(tmp_path, server).analyze_many([scene])

    analysis = result.analysis
    assert analysis.location.setting == offline.location.setting == "EXT"
    assert analysis.location.location == offline.location.location
    assert analysis.location.time_of_day == offline.location.time_of_day
    assert analysis.breakdown.cast == offline.breakdown.cast
    assert analysis.estimated_screen_time_seconds == offline.estimated_screen_time_seconds
    speakers = [(c.name, c.dialogue_lines) for c in offline.characters]
    assert speakers == [("EDWARD", 1)]
    assert [(c.name, c.dialogue_lines) for c in analysis.characters] == [*speakers, ("GHOST", 0)]
    assert analysis.breakdown.vehicles == ["hearse"]
    assert analysis.location.weather == "rain outside"


def test_a_prompt_override_changes_the_version_the_cache_key_and_the_request(server: LlmServer, tmp_path: Path) -> None:
    store = InMemoryDocumentStore()
    scene = numbered_scene(1)
    packaged = analyzer_for(tmp_path, server, store=store)
    packaged.analyze_many([scene])
    (tmp_path / "prompts").mkdir()
    override = (Path(__file__).parents[2] / "cortexreel/analysis/prompts" / PROMPT_FILE).read_text(encoding="utf-8")
    (tmp_path / "prompts" / PROMPT_FILE).write_text(override + "\nAnswer like a studio accountant.\n", encoding="utf-8")

    custom = analyzer_for(tmp_path, server, store=store)
    [result] = custom.analyze_many([scene])

    assert packaged.info.prompt_version == "scene_analysis.v1"
    assert custom.info.prompt_version is not None
    assert custom.info.prompt_version.startswith("scene_analysis.v1+")
    assert custom.cache_key(scene) != packaged.cache_key(scene)
    assert server.calls == 2 and not result.cached
    assert result.analysis.analyser == custom.info
    assert "studio accountant" in json.dumps(server.requests[1].body["messages"])
