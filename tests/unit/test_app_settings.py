"""Admin settings layered over the environment, and versioned prompt templates."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import SecretStr

from cortexreel.analysis.prompts import load_prompt
from cortexreel.bootstrap import build_services
from cortexreel.container import Services
from cortexreel.errors import InvalidInputError, NotFoundError
from cortexreel.services import app_settings
from tests.fakes import SynchronousTaskQueue

PROMPT = "scene_analysis.v1.txt"


def test_overrides_are_validated_stored_and_layered(services: Services) -> None:
    updated = app_settings.save_settings(services, "admin", {"llm_temperature": 0.7, "max_upload_mb": 5})
    assert (updated.llm_temperature, updated.max_upload_mb) == (0.7, 5)
    assert services.records.get_record("settings", "current") is not None
    effective = app_settings.effective_settings(services.settings, services.records)
    assert (effective.llm_temperature, effective.max_upload_bytes) == (0.7, 5 * 1024 * 1024)
    view = app_settings.view_settings(services, "admin")
    assert view.overridden == {"llm_temperature", "max_upload_mb"}
    assert view.updated_by == "admin"
    app_settings.reset_settings(services, "admin")
    assert app_settings.effective_settings(services.settings, services.records).llm_temperature == 0.2


def test_saving_the_whole_form_overrides_only_what_differs_from_the_environment(services: Services) -> None:
    form = {
        "llm_provider": "offline",
        "llm_model": services.settings.llm_model,
        "llm_base_url": None,
        "llm_temperature": 0.9,
        "llm_concurrency": services.settings.llm_concurrency,
        "max_upload_mb": services.settings.max_upload_mb,
        "max_pages": services.settings.max_pages,
    }
    app_settings.save_settings(services, "admin", form)
    assert app_settings.view_settings(services, "admin").overridden == {"llm_temperature"}


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"llm_temperature": 3}, "less than or equal to 2"),
        ({"llm_concurrency": 0}, "greater than or equal to 1"),
        ({"llm_provider": "openai"}, "OPENAI_API_KEY"),
        ({"openai_api_key": "sk-x"}, "cannot be changed"),
        ({"mongodb_uri": "mongodb://x"}, "cannot be changed"),
    ],
)
def test_invalid_settings_are_refused_and_not_stored(
    services: Services, changes: dict[str, object], words: str
) -> None:
    with pytest.raises(InvalidInputError, match=words):
        app_settings.save_settings(services, "admin", changes)
    assert app_settings.stored_overrides(services.records) == {}


def test_the_api_key_is_never_shown_stored_or_logged(services: Services, caplog: pytest.LogCaptureFixture) -> None:
    secret = "sk-very-secret-123456"
    keyed = build_services(
        services.settings.model_copy(update={"openai_api_key": SecretStr(secret)}),
        documents=services.documents,
        blobs=services.blobs,
        queue=SynchronousTaskQueue,
        embedder=services.embedder,
    )
    with caplog.at_level(logging.DEBUG):
        app_settings.save_settings(keyed, "admin", {"llm_provider": "openai", "llm_model": "gpt-4.1-mini"})
        view = app_settings.view_settings(keyed, "admin")
    assert view.api_key_configured is True
    assert secret not in repr(view)
    assert secret not in str(services.records.get_record("settings", "current"))
    assert secret not in caplog.text


def test_prompt_edit_is_an_override_the_analyser_reads_and_is_versioned(services: Services) -> None:
    view = app_settings.view_prompt(services, "admin", PROMPT)
    assert not view.overridden and view.text == view.default_text
    edited = view.text.replace("experienced script supervisor", "meticulous script supervisor")
    saved = app_settings.save_prompt(services, "admin", PROMPT, edited, note="tone")
    assert saved.overridden and saved.version.startswith("scene_analysis.v1+")
    loaded = load_prompt(PROMPT, data_dir=services.settings.data_dir)
    assert loaded.overridden and "meticulous" in loaded.system.template
    app_settings.save_prompt(services, "bea", PROMPT, edited + "\nBe brief.")
    reset = app_settings.reset_prompt(services, "admin", PROMPT)
    assert not reset.overridden
    assert not (Path(services.settings.data_dir) / "prompts" / PROMPT).exists()
    history = app_settings.prompt_history(services, "admin", PROMPT)
    assert [(item.number, item.action, item.author) for item in history] == [
        (3, "reset", "admin"),
        (2, "edit", "bea"),
        (1, "edit", "admin"),
    ]
    assert history[2].note == "tone" and "meticulous" in history[2].text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("no markers at all", r"\[system\]"),
        ("[system]\nYou analyse.\n[user]\nHere it is.", r"\$boundary, \$scene"),
    ],
)
def test_broken_prompts_are_refused(services: Services, text: str, words: str) -> None:
    with pytest.raises(InvalidInputError, match=words):
        app_settings.save_prompt(services, "admin", PROMPT, text)
    assert app_settings.prompt_history(services, "admin", PROMPT) == []


def test_unknown_prompt_and_reset_of_default(services: Services) -> None:
    with pytest.raises(NotFoundError):
        app_settings.view_prompt(services, "admin", "../../etc/passwd")
    with pytest.raises(InvalidInputError, match="already the default"):
        app_settings.reset_prompt(services, "admin", PROMPT)


def test_settings_kept_in_the_cache_by_older_versions_are_moved_to_the_records(services: Services) -> None:
    stored = {"values": {"max_pages": 40}, "updated_by": "ann", "updated_at": "2026-01-02T03:04:05+00:00"}
    history = {"versions": [{"number": 1, "text": "old", "author": "ann", "saved_at": "2026-01-02T03:04:05+00:00"}]}
    services.documents.put_cached("app-settings", "current", stored)
    services.documents.put_cached("prompt-history", PROMPT, history)
    app_settings.move_out_of_the_cache(services.documents, services.records)
    assert app_settings.stored_overrides(services.records) == {"max_pages": 40}
    assert services.records.get_record("prompt-history", PROMPT) == history
    # Once moved, the records are what counts: a later save is not undone by the stale cache entry.
    app_settings.save_settings(services, "admin", {"max_pages": 50})
    app_settings.move_out_of_the_cache(services.documents, services.records)
    assert app_settings.stored_overrides(services.records) == {"max_pages": 50}
