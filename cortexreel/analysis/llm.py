"""The LLM analyser: one chat-model call per scene through LangChain, its JSON validated against the analysis model.

What the parse knows for certain (setting, location, time of day, who speaks and how often, screen time) comes
from the offline analyser and is never overwritten; the model adds the judgement (tone, pacing, technical notes,
breakdown, safety). A scene whose answer stays invalid after a few corrections, or whose calls keep failing,
keeps its offline analysis with a warning, so one bad scene never fails a batch.

Retries are ours, not the openai client's (`max_retries=0`): rate limits (honouring Retry-After), timeouts,
connection failures and 5xx are retried with exponential backoff and jitter, within limits set on the analyser.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import re
import time
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal, Protocol

import openai
from langchain_core.exceptions import (
    ModelAuthenticationError,
    ModelError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
)
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import Runnable
from langchain_core.utils.json import parse_json_markdown
from langchain_openai import ChatOpenAI
from pydantic import Field, SecretStr, ValidationError

from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.analysis.prompts import PromptTemplate, load_prompt
from cortexreel.config import Settings
from cortexreel.domain.analysis import (
    EVIDENCE_DESCRIPTION,
    AnalyserInfo,
    Breakdown,
    CharacterAnalysis,
    Evidence,
    Narrative,
    Prop,
    Safety,
    SceneAnalysis,
    Technical,
)
from cortexreel.domain.base import Model
from cortexreel.domain.risk import settled_safety
from cortexreel.domain.scenes import Scene
from cortexreel.errors import ConfigurationError
from cortexreel.ports import AnalysisResult

log = logging.getLogger(__name__)

ANALYSER_NAME = "llm"
ANALYSER_VERSION = "1.1"  # 1.1: every item and hazard quotes its evidence (cached answers of 1.0 have none)
CACHE_NAMESPACE = "llm-analysis"
PROMPT_FILE = "scene_analysis.v1.txt"
# An admin's prompt override must still carry the scene and its delimiter.
REQUIRED_PLACEHOLDERS = frozenset({"scene", "boundary"})
# Local servers (Ollama, vLLM, LM Studio) ignore the key, but the openai client refuses to start without one.
PLACEHOLDER_API_KEY = "not-needed"  # noqa: S105 - not a secret
_RETRYABLE_STATUS = frozenset({408, 409, 429})


class LocationJudgement(Model):
    """The parts of a scene's location the model judges; setting, place and time of day come from the parse."""

    weather: str | None = None
    props: list[str] = Field(default_factory=list)
    accessibility_notes: list[str] = Field(default_factory=list)


class SceneJudgement(Model):
    """What the model is asked for: the judgement sections of SceneAnalysis, without the parse's facts."""

    technical: Technical = Field(default_factory=Technical)
    narrative: Narrative = Field(default_factory=Narrative)
    characters: list[CharacterAnalysis] = Field(default_factory=list)
    location: LocationJudgement = Field(default_factory=LocationJudgement)
    safety: Safety = Field(default_factory=Safety)
    breakdown: Breakdown = Field(default_factory=Breakdown)
    complexity: Literal["low", "medium", "high"] | None = None
    evidence: Evidence = Field(default_factory=dict, description=EVIDENCE_DESCRIPTION)


class AnalysisCache(Protocol):
    """The part of the DocumentStore the analyser needs: a content-addressed cache."""

    def get_cached(self, namespace: str, key: str) -> dict[str, Any] | None: ...

    def put_cached(self, namespace: str, key: str, value: dict[str, Any]) -> None: ...


class SceneAnalyser(Protocol):
    """The offline analyser's interface: deterministic facts for one scene."""

    def analyze(self, scene: Scene, script_cast: Collection[str] = ()) -> SceneAnalysis: ...


def judgement_schema() -> dict[str, Any]:
    """The JSON schema the model must follow, without pydantic's `title` noise (it only costs tokens)."""
    schema: dict[str, Any] = _without_titles(SceneJudgement.model_json_schema())
    return schema


def response_format() -> dict[str, Any]:
    """The `json_schema` response format, non-strict: OpenAI's strict mode forbids optional keys, defaults and
    ranges, which our schema uses; local servers enforce the schema by constrained decoding either way."""
    return {"name": "scene_analysis", "schema": judgement_schema(), "strict": False}


def build_chat_model(settings: Settings, *, timeout_seconds: float) -> ChatOpenAI:
    """A ChatOpenAI for any OpenAI-compatible server, with the client's own retries off (ours handle them)."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key is not None else ""
    if not key:
        if not settings.llm_base_url:
            raise ConfigurationError(
                "The openai LLM provider needs OPENAI_API_KEY (or CORTEXREEL_LLM_BASE_URL for a local server)."
            )
        key = PLACEHOLDER_API_KEY
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=SecretStr(key),
        temperature=settings.llm_temperature,
        timeout=timeout_seconds,
        max_retries=0,
        use_responses_api=False,  # chat completions is what every OpenAI-compatible server implements
    )


def merge_judgement(offline: SceneAnalysis, judgement: SceneJudgement, info: AnalyserInfo) -> SceneAnalysis:
    """The model's judgement over the offline analysis, keeping every field the parse determines: setting,
    location, time of day, the cast of speakers and their dialogue counts, and the estimated screen time."""
    base = offline.model_copy(deep=True)
    judged = judgement.model_copy(deep=True)
    by_name: dict[str, CharacterAnalysis] = {}
    for character in judged.characters:
        by_name.setdefault(_name_key(character.name), character)
    characters: list[CharacterAnalysis] = []
    for known in base.characters:
        found = by_name.pop(_name_key(known.name), None)
        if found is None:
            characters.append(known)
        else:
            characters.append(found.model_copy(update={"name": known.name, "dialogue_lines": known.dialogue_lines}))
    # Characters the model saw but the parse never heard speak: present, with no dialogue by definition.
    characters.extend(extra.model_copy(update={"dialogue_lines": 0}) for extra in by_name.values())
    location = base.location.model_copy(
        update={
            "weather": judged.location.weather,
            "props": judged.location.props,
            "accessibility_notes": judged.location.accessibility_notes,
        }
    )
    breakdown = judged.breakdown.model_copy(update={"cast": base.breakdown.cast})
    evidence = {path: quotes for path, quotes in judged.evidence.items() if path != "breakdown.cast"}
    if "breakdown.cast" in base.evidence:
        evidence["breakdown.cast"] = base.evidence["breakdown.cast"]
    return SceneAnalysis(
        technical=judged.technical,
        narrative=judged.narrative,
        characters=characters,
        location=location,
        safety=judged.safety,
        breakdown=breakdown,
        estimated_screen_time_seconds=base.estimated_screen_time_seconds,
        complexity=judged.complexity or base.complexity,
        analyser=info,
        warnings=base.warnings,
        imported=base.imported,
        evidence=evidence,
    )


_QUOTE_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2014": "-", "\u2013": "-"})


def _searchable(text: str) -> str:
    """Text as quotes are compared: one line, lower case, straight quotes and dashes, no trailing ellipsis."""
    return " ".join(text.translate(_QUOTE_FOLD).lower().split()).rstrip(".\u2026 ")


def ground_judgement(judgement: SceneJudgement, scene: Scene) -> tuple[SceneJudgement, list[str]]:
    """The judgement keeping only the breakdown items and hazards whose evidence quotes the scene (its heading or
    any of its elements), and the names of those left out. The risk level is then derived from the hazards kept."""
    text = _searchable("\n".join([scene.heading, *(element.text for element in scene.elements)]))

    def grounded(path: str, name: str) -> str | None:
        quotes = {key.casefold(): quote for key, quote in judgement.evidence.get(path, {}).items()}
        quote = quotes.get(name.casefold(), "")
        return quote if len(_searchable(quote)) >= 3 and _searchable(quote) in text else None

    evidence: Evidence = {}
    dropped: list[str] = []
    lists: dict[str, list[Any]] = {}
    for field_name in Breakdown.model_fields:
        if field_name == "cast":
            continue  # the cast comes from the parse
        path = f"breakdown.{field_name}"
        kept = []
        for item in getattr(judgement.breakdown, field_name):
            name = item.name if isinstance(item, Prop) else str(item)
            quote = grounded(path, name)
            if quote is None:
                dropped.append(name)
            else:
                kept.append(item)
                evidence.setdefault(path, {})[name] = quote
        lists[field_name] = kept
    hazards = []
    for hazard in judgement.safety.hazards:
        quote = grounded("safety.hazards", hazard.category)
        if quote is None:
            dropped.append(f"{hazard.category} hazard")
        else:
            hazards.append(hazard)
            evidence.setdefault("safety.hazards", {})[hazard.category] = quote
    safety = settled_safety(judgement.safety.model_copy(update={"hazards": hazards, "risk_override": None}))
    grounded_judgement = judgement.model_copy(
        update={"breakdown": judgement.breakdown.model_copy(update=lists), "safety": safety, "evidence": evidence}
    )
    return grounded_judgement, dropped


def left_out_warning(dropped: list[str]) -> str:
    names = ", ".join(dropped[:8]) + (", …" if len(dropped) > 8 else "")
    return (
        f"The language model named {len(dropped)} item(s) without quoting the scene for them, so they were left "
        f"out: {names}."
    )


def scene_cache_key(scene: Scene, *, model: str, prompt_version: str) -> str:
    """The cache key of a scene's analysis: its heading and text, the model and the prompt version."""
    content = hashlib.sha256(json.dumps([scene.heading, scene.text]).encode("utf-8")).hexdigest()
    return hashlib.sha256(json.dumps([content, model, prompt_version, ANALYSER_VERSION]).encode("utf-8")).hexdigest()


def retry_after_seconds(error: BaseException) -> float | None:
    """The wait a server asked for in a `Retry-After` (seconds or HTTP date) or `retry-after-ms` header."""
    headers = getattr(getattr(error, "response", None), "headers", None)
    if headers is None:
        return None
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(0.0, float(milliseconds) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def backoff_delay(attempt: int, *, base: float, cap: float, rng: random.Random) -> float:
    """Exponential backoff with equal jitter: half of the step is fixed, half random, so parallel retries
    spread out instead of arriving together."""
    step = min(cap, base * 2.0**attempt)
    return step / 2 + rng.uniform(0, step / 2)


def is_retryable(error: BaseException) -> bool:
    """Rate limits, timeouts, dropped connections and server errors: the same request may succeed later."""
    if isinstance(error, ModelError):
        return error.is_retryable
    if isinstance(error, openai.APITimeoutError | openai.APIConnectionError | TimeoutError):
        return True
    if isinstance(error, openai.APIStatusError):
        return error.status_code in _RETRYABLE_STATUS or error.status_code >= 500
    return False


def is_configuration_problem(error: BaseException) -> bool:
    """Errors that no scene will get past (bad key, no such model or endpoint): fail the batch, not each scene."""
    return isinstance(
        error,
        ModelAuthenticationError
        | ModelPermissionDeniedError
        | ModelNotFoundError
        | openai.AuthenticationError
        | openai.PermissionDeniedError
        | openai.NotFoundError,
    )


class LlmAnalyzer:
    """The Analyzer port over a LangChain chat model (ChatOpenAI for OpenAI, Ollama, vLLM, LM Studio).

    Structured output uses `with_structured_output(method="json_schema", include_raw=True)` with a JSON-schema
    dict. `response_format: json_schema` is the one structured-output form that OpenAI, vLLM, Ollama (0.5+) and
    LM Studio all accept (LM Studio rejects `json_object`, i.e. json_mode), and unlike function_calling it needs no
    tool-calling support from the model or its chat template; local servers enforce it by constrained decoding.
    Non-strict, because OpenAI's strict mode forbids the optional keys, defaults and ranges our schema has. A dict
    rather than the pydantic class keeps the openai SDK from forcing strict mode and parsing the reply itself (its
    errors would escape include_raw). The raw message gives token usage; parsing and validation against
    SceneJudgement are ours, so a malformed or invalid answer is fed back to the model and retried.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        cache: AnalysisCache | None,
        chat_model: BaseChatModel | None = None,
        offline: SceneAnalyser | None = None,
        timeout_seconds: float = 120.0,
        transport_retries: int = 4,
        format_retries: int = 2,
        backoff_base_seconds: float = 1.0,
        backoff_cap_seconds: float = 30.0,
        max_retry_after_seconds: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._model = (
            chat_model if chat_model is not None else build_chat_model(settings, timeout_seconds=timeout_seconds)
        )
        self._structured: Runnable[Any, Any] | None = None
        if isinstance(self._model, ChatOpenAI):
            self._structured = self._model.with_structured_output(
                response_format(), method="json_schema", include_raw=True
            )
        self._cache = cache
        self._offline: SceneAnalyser = offline if offline is not None else OfflineAnalyzer()
        self._prompt: PromptTemplate = load_prompt(
            PROMPT_FILE, data_dir=settings.data_dir, required=REQUIRED_PLACEHOLDERS
        )
        self._schema_text = json.dumps(judgement_schema(), separators=(",", ":"), ensure_ascii=False)
        self._model_name = settings.llm_model
        self._concurrency = settings.llm_concurrency
        self._transport_retries = transport_retries
        self._format_retries = format_retries
        self._backoff_base = backoff_base_seconds
        self._backoff_cap = backoff_cap_seconds
        self._max_retry_after = max_retry_after_seconds
        self._sleep = sleep
        self._rng = random.Random()  # noqa: S311 - jitter, not security
        self.info = AnalyserInfo(
            name=ANALYSER_NAME, version=ANALYSER_VERSION, model=settings.llm_model, prompt_version=self._prompt.version
        )

    def analyze_many(self, scenes: Sequence[Scene], script_cast: Collection[str] = ()) -> list[AnalysisResult]:
        """Analyses in the order of `scenes`, with at most `llm_concurrency` model calls in flight."""
        workers = min(self._concurrency, len(scenes))
        if workers <= 1:
            return [self.analyze(scene, script_cast) for scene in scenes]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="llm-analysis") as pool:
            futures = [pool.submit(self.analyze, scene, script_cast) for scene in scenes]
            try:
                return [future.result() for future in futures]
            except BaseException:
                for future in futures:
                    future.cancel()
                raise

    def analyze(self, scene: Scene, script_cast: Collection[str] = ()) -> AnalysisResult:
        """One scene: from the cache, or from the model with corrections, or the offline analysis with a warning.
        Raises ConfigurationError only when the service refuses us outright (key, model or URL wrong)."""
        offline = self._offline.analyze(scene, script_cast)
        key = self.cache_key(scene)
        cached = self._from_cache(key, scene, offline)
        if cached is not None:
            return cached
        messages = self.messages(scene)
        input_tokens = output_tokens = 0
        problem = ""
        attempts = self._format_retries + 1
        for attempt in range(1, attempts + 1):
            try:
                reply = self._call(messages)
            except Exception as error:
                if is_configuration_problem(error):
                    raise ConfigurationError(
                        f"The language model service refused the request ({_describe(error)}): check "
                        "OPENAI_API_KEY, CORTEXREEL_LLM_MODEL and CORTEXREEL_LLM_BASE_URL.",
                        detail=f"{type(error).__name__} for model {self._model_name}",
                    ) from error
                # A traceback only for what is not a service failure: that is likely a bug worth seeing.
                expected = isinstance(error, ModelError | openai.APIError | TimeoutError)
                log.warning(
                    "LLM analysis of scene %s failed (%s); keeping the offline analysis",
                    scene.id,
                    _describe(error),
                    exc_info=not expected,
                )
                warning = (
                    f"The language model could not analyse this scene ({_describe(error)}); offline analysis kept."
                )
                return self._fallback(offline, warning, input_tokens, output_tokens)
            usage = reply.usage_metadata
            if usage is not None:
                input_tokens += usage["input_tokens"]
                output_tokens += usage["output_tokens"]
            judgement, problem = parse_reply(reply.text)
            if judgement is not None:
                self._store(key, judgement, input_tokens, output_tokens)
                analysis = self._grounded(scene, offline, judgement)
                return AnalysisResult(analysis=analysis, input_tokens=input_tokens, output_tokens=output_tokens)
            log.info("Scene %s: model answer rejected on attempt %d of %d: %s", scene.id, attempt, attempts, problem)
            messages = [
                *messages,
                AIMessage(content=reply.text),
                HumanMessage(content=f"{problem} Reply again with only the corrected JSON object for the same scene."),
            ]
        warning = (
            f"The language model gave no valid analysis in {attempts} attempts ({problem}); offline analysis kept."
        )
        return self._fallback(offline, warning, input_tokens, output_tokens)

    def cache_key(self, scene: Scene) -> str:
        return scene_cache_key(scene, model=self._model_name, prompt_version=self._prompt.version)

    def messages(self, scene: Scene) -> list[BaseMessage]:
        """The system instructions and the scene as delimited data. The delimiter is derived from the scene's
        own hash, so the text cannot contain its closing line and pretend the data has ended."""
        block = scene.text if scene.text.startswith(scene.heading) else f"{scene.heading}\n{scene.text}"
        boundary = hashlib.sha256(block.encode("utf-8")).hexdigest()[:16].upper()
        system, user = self._prompt.render(
            {"scene": block, "boundary": boundary, "schema": self._schema_text, "facts": parsed_facts(scene)}
        )
        return [SystemMessage(content=system), HumanMessage(content=user)]

    def _call(self, messages: list[BaseMessage]) -> AIMessage:
        """One model answer, retrying transient failures with backoff; raises what is not transient."""
        attempt = 0
        while True:
            try:
                return self._ask(messages)
            except Exception as error:
                if not is_retryable(error) or attempt >= self._transport_retries:
                    raise
                delay = self._retry_delay(error, attempt)
                if delay is None:
                    raise
                log.info("LLM call failed (%s); retry %d in %.2f s", _describe(error), attempt + 1, delay)
                self._sleep(delay)
                attempt += 1

    def _retry_delay(self, error: BaseException, attempt: int) -> float | None:
        """Retry-After when the server gave one (plus a little jitter, never less), else exponential backoff.
        None when the server asks for a longer wait than we accept."""
        asked = retry_after_seconds(error)
        if asked is None:
            return backoff_delay(attempt, base=self._backoff_base, cap=self._backoff_cap, rng=self._rng)
        if asked > self._max_retry_after:
            return None
        return asked + self._rng.uniform(0, self._backoff_base / 2)

    def _ask(self, messages: list[BaseMessage]) -> AIMessage:
        # LangChain's own parse of the reply ("parsed") is ignored: its JSON parser completes truncated JSON, and a
        # cut-off analysis must be corrected, not accepted; the raw message is parsed strictly instead. Chat models
        # without OpenAI's response_format (the fakes in unit tests) are asked plainly.
        structured = self._structured
        raw = structured.invoke(messages)["raw"] if structured is not None else self._model.invoke(messages)
        if not isinstance(raw, AIMessage):
            raise TypeError(f"expected an AIMessage from the chat model, got {type(raw).__name__}")
        return raw

    def _grounded(self, scene: Scene, offline: SceneAnalysis, judgement: SceneJudgement) -> SceneAnalysis:
        """The model's judgement with what it could not quote the scene for left out, over the offline facts."""
        grounded, dropped = ground_judgement(judgement, scene)
        analysis = merge_judgement(offline, grounded, self.info)
        if dropped:
            analysis.warnings = [*analysis.warnings, left_out_warning(dropped)]
        return analysis

    def _from_cache(self, key: str, scene: Scene, offline: SceneAnalysis) -> AnalysisResult | None:
        if self._cache is None:
            return None
        entry = self._cache.get_cached(CACHE_NAMESPACE, key)
        if entry is None:
            return None
        try:
            judgement = SceneJudgement.model_validate(entry.get("judgement"))
        except ValidationError:
            log.warning("Ignoring an unreadable cached LLM analysis (key %s)", key[:12])
            return None
        return AnalysisResult(analysis=self._grounded(scene, offline, judgement), cached=True)

    def _store(self, key: str, judgement: SceneJudgement, input_tokens: int, output_tokens: int) -> None:
        if self._cache is None:
            return
        entry = {
            "judgement": judgement.model_dump(mode="json"),
            "model": self._model_name,
            "prompt_version": self._prompt.version,
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
        }
        self._cache.put_cached(CACHE_NAMESPACE, key, entry)

    def _fallback(self, offline: SceneAnalysis, warning: str, input_tokens: int, output_tokens: int) -> AnalysisResult:
        analysis = offline.model_copy(deep=True)
        analysis.warnings = [*analysis.warnings, warning]
        return AnalysisResult(analysis=analysis, input_tokens=input_tokens, output_tokens=output_tokens)


def parse_reply(text: str) -> tuple[SceneJudgement | None, str]:
    """The judgement in a model's reply, or a short description of what is wrong with it for the model to fix.
    JSON is parsed strictly (a markdown fence around it is tolerated), so truncated output is never accepted."""
    try:
        data = parse_json_markdown(text, parser=json.loads)
    except ValueError as error:
        return None, f"Your reply was not valid JSON ({_shorten(str(error))})."
    if not isinstance(data, dict):
        return None, "Your reply must be a single JSON object."
    try:
        return SceneJudgement.model_validate(data), ""
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(part) for part in item['loc']) or '(root)'}: {item['msg']}"
            for item in error.errors(include_url=False)[:10]
        ]
        return None, f"Your JSON does not match the schema: {'; '.join(problems)}."


def parsed_facts(scene: Scene) -> str:
    """What the parse established about the scene, one line, for the model's context."""
    facts = [
        f"setting {scene.setting or 'unknown'}",
        f"location {scene.location or 'unknown'}",
        f"time of day {scene.time_of_day or 'unknown'}",
        f"speaking characters {', '.join(scene.characters) or 'none'}",
    ]
    return "; ".join(facts) + "."


def _name_key(name: str) -> str:
    """Character names compared without case, extensions like (V.O.) or extra spaces."""
    return " ".join(re.sub(r"\(.*?\)", " ", name).split()).casefold()


def _describe(error: BaseException) -> str:
    """A short, secret-free description of a failed call, for warnings a user reads."""
    if isinstance(error, openai.APITimeoutError | TimeoutError):
        return "timed out"
    if isinstance(error, openai.APIStatusError):
        return f"HTTP {error.status_code}"
    if isinstance(error, openai.APIConnectionError):
        return "connection failed"
    return type(error).__name__


def _shorten(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _without_titles(schema: object) -> Any:
    if isinstance(schema, dict):
        return {
            key: _without_titles(value)
            for key, value in schema.items()
            if not (key == "title" and isinstance(value, str))
        }
    if isinstance(schema, list):
        return [_without_titles(item) for item in schema]
    return schema
