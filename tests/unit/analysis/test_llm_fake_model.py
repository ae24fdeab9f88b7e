"""The LLM analyser over LangChain's fake chat models: validation, corrections, fallback and the cache."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from cortexreel.analysis.llm import CACHE_NAMESPACE, LlmAnalyzer, judgement_schema
from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.config import Settings
from cortexreel.errors import ConfigurationError
from tests.builders import make_scene
from tests.fakes import InMemoryDocumentStore
from tests.llm_server import SAMPLE_JUDGEMENT

VALID = json.dumps(SAMPLE_JUDGEMENT)


class Answers:
    """Scripted model answers that count how many were used."""

    def __init__(self, *answers: AIMessage | str) -> None:
        self._answers = list(answers)
        self.used = 0

    def __iter__(self) -> Iterator[AIMessage | str]:
        for answer in self._answers:
            self.used += 1
            yield answer


def analyzer_with(settings: Settings, answers: Answers, store: InMemoryDocumentStore | None = None) -> LlmAnalyzer:
    model = GenericFakeChatModel(messages=iter(answers))
    return LlmAnalyzer(settings, cache=store, chat_model=model, format_retries=2)


def usage(content: str, input_tokens: int, output_tokens: int) -> AIMessage:
    return AIMessage(
        content=content,
        usage_metadata={
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "total_tokens": input_tokens + output_tokens,
        },
    )


def test_a_valid_answer_becomes_the_analysis_with_its_usage(settings: Settings) -> None:
    answers = Answers(usage(VALID, 300, 90))
    store = InMemoryDocumentStore()
    analyzer = analyzer_with(settings, answers, store)

    [result] = analyzer.analyze_many([make_scene("s", 1)])

    assert answers.used == 1
    assert (result.input_tokens, result.output_tokens, result.cached) == (300, 90, False)
    assert result.analysis.narrative.emotional_tone == "melancholy"
    assert result.analysis.breakdown.props[0].name == "wedding ring"
    assert result.analysis.analyser == analyzer.info
    assert analyzer.info.name == "llm" and analyzer.info.model == settings.llm_model
    assert result.analysis.warnings == []
    assert list(store.cache) == [(CACHE_NAMESPACE, analyzer.cache_key(make_scene("s", 1)))]


def test_json_in_a_markdown_fence_is_accepted(settings: Settings) -> None:
    answers = Answers(f"```json\n{VALID}\n```")

    [result] = analyzer_with(settings, answers).analyze_many([make_scene("s", 1)])

    assert result.analysis.narrative.pacing == "slow"
    assert result.analysis.warnings == []


def test_malformed_then_valid_is_corrected_and_costs_both_calls(settings: Settings) -> None:
    answers = Answers(usage('{"narrative": {', 100, 5), usage(VALID, 150, 80))

    [result] = analyzer_with(settings, answers).analyze_many([make_scene("s", 1)])

    assert answers.used == 2
    assert result.analysis.warnings == []
    assert (result.input_tokens, result.output_tokens) == (250, 85)


def test_schema_violations_are_corrected(settings: Settings) -> None:
    invalid = json.dumps({**SAMPLE_JUDGEMENT, "narrative": {"conflict_level": 99}})
    answers = Answers(invalid, VALID)

    [result] = analyzer_with(settings, answers).analyze_many([make_scene("s", 1)])

    assert answers.used == 2
    assert result.analysis.narrative.conflict_level == 3


def test_always_invalid_keeps_the_offline_analysis_with_a_warning(settings: Settings) -> None:
    answers = Answers("not json", '{"mood": "sad"}', "[1, 2]", VALID)
    scene = make_scene("s", 1)

    [result] = analyzer_with(settings, answers).analyze_many([scene])

    assert answers.used == 3  # one call and two corrections, never the fourth
    offline = OfflineAnalyzer().analyze(scene)
    assert result.analysis.model_copy(update={"warnings": []}) == offline.model_copy(update={"warnings": []})
    assert len(result.analysis.warnings) == len(offline.warnings) + 1
    assert "no valid analysis in 3 attempts" in result.analysis.warnings[-1]


def test_a_cached_analysis_costs_no_call(settings: Settings) -> None:
    store = InMemoryDocumentStore()
    scene = make_scene("s", 1)
    analyzer_with(settings, Answers(usage(VALID, 300, 90)), store).analyze_many([scene])

    answers = Answers()  # any call would fail: the fake has nothing to say
    [result] = analyzer_with(settings, answers, store).analyze_many([scene])

    assert answers.used == 0
    assert result.cached
    assert (result.input_tokens, result.output_tokens) == (0, 0)
    assert result.analysis.narrative.emotional_tone == "melancholy"


def test_a_fallback_is_not_cached(settings: Settings) -> None:
    store = InMemoryDocumentStore()

    analyzer_with(settings, Answers("x", "y", "z"), store).analyze_many([make_scene("s", 1)])

    assert store.cache == {}


def test_without_a_key_or_a_base_url_no_model_is_built(settings: Settings) -> None:
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        LlmAnalyzer(settings, cache=None)


def test_items_and_hazards_the_model_cannot_quote_the_scene_for_are_left_out(settings: Settings) -> None:
    answer = {
        **SAMPLE_JUDGEMENT,
        "breakdown": {"props": [{"name": "wedding ring"}, {"name": "harpoon"}], "vehicles": ["hearse"]},
        "safety": {
            "risk_level": "EXTREME",
            "hazards": [
                {"category": "weapons", "description": "Harpoon", "level": "HIGH"},
                {"category": "water", "description": "Fishing tale", "level": "MEDIUM"},
            ],
        },
        "evidence": {
            "breakdown.props": {"Wedding Ring": "i caught the  fish with my wedding ring"},  # case and spacing
            "breakdown.vehicles": {"hearse": "A hearse pulls up outside."},  # not in the scene
            "safety.hazards": {"water": "I caught the fish with my wedding ring."},
        },
    }
    [result] = analyzer_with(settings, Answers(json.dumps(answer))).analyze_many([make_scene("s", 1)])

    analysis = result.analysis
    assert [prop.name for prop in analysis.breakdown.props] == ["wedding ring"]
    assert analysis.breakdown.vehicles == []
    assert [hazard.category for hazard in analysis.safety.hazards] == ["water"]
    assert analysis.safety.risk_level == "MEDIUM"  # from the hazards kept, not the model's EXTREME
    assert analysis.evidence_for("breakdown.props", "wedding ring") == "i caught the  fish with my wedding ring"
    assert analysis.evidence_for("breakdown.cast", "EDWARD") == "EDWARD: I caught the fish with my wedding ring."
    assert any("harpoon, hearse, weapons hazard" in warning for warning in analysis.warnings)


def test_the_schema_asks_for_evidence() -> None:
    schema = judgement_schema()
    assert "evidence" in schema["properties"] and "quoted exactly" in schema["properties"]["evidence"]["description"]
