"""Admin settings changed from the app: LLM provider, model, base URL, temperature, concurrency and upload limits
stored as overrides in the document store and layered over the environment's Settings; and the prompt templates,
edited as overrides in `<data_dir>/prompts/` (where `cortexreel.analysis.prompts` reads them) with every save kept
in a version history.

The API key is never part of this: it is read only from the environment, and the view says whether one is set,
never what it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cortexreel.analysis.prompts import PACKAGED_DIR, content_hash, load_prompt, parse_template
from cortexreel.config import Settings, load_settings
from cortexreel.container import Services
from cortexreel.domain.base import utcnow
from cortexreel.errors import ConfigurationError, InvalidInputError, NotFoundError
from cortexreel.ports import DocumentStore, RecordKind, RecordStore
from cortexreel.services.accounts import require_admin

log = logging.getLogger(__name__)

SETTINGS_KEY = "current"
# Where libraries made before the record store kept these, in the analysis cache (see move_out_of_the_cache).
LEGACY_CACHE_NAMESPACES: dict[RecordKind, str] = {"settings": "app-settings", "prompt-history": "prompt-history"}
# The only settings an admin may change from the app; secrets and server URLs stay in the environment.
EDITABLE_SETTINGS = (
    "llm_provider",
    "llm_model",
    "llm_base_url",
    "llm_temperature",
    "llm_concurrency",
    "max_upload_mb",
    "max_pages",
)


@dataclass(frozen=True)
class SettingsView:
    """What the Settings page shows: the effective values, which of them are overrides, and whether an API key
    is configured (a yes/no, never the key)."""

    values: dict[str, Any]
    overridden: frozenset[str]
    api_key_configured: bool
    updated_by: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True)
class PromptView:
    file_name: str
    text: str
    version: str
    overridden: bool
    default_text: str


@dataclass(frozen=True)
class PromptVersion:
    """One saved state of a prompt template."""

    number: int
    text: str
    author: str
    saved_at: datetime
    action: str
    note: str = ""


def stored_overrides(records: RecordStore) -> dict[str, Any]:
    """The admin's overrides as stored (only editable keys)."""
    record = records.get_record("settings", SETTINGS_KEY) or {}
    values = record.get("values", {})
    return {name: values[name] for name in EDITABLE_SETTINGS if name in values}


def effective_settings(base: Settings, records: RecordStore) -> Settings:
    """`base` (from the environment) with the stored overrides applied. Overrides that no longer validate (for
    example the environment lost the API key an LLM provider needs) are ignored with a warning."""
    overrides = stored_overrides(records)
    if not overrides:
        return base
    try:
        return _validated(base, overrides)
    except InvalidInputError as error:
        log.warning("Ignoring stored admin settings: %s", error.message)
        return base


def view_settings(services: Services, user: str) -> SettingsView:
    """The settings as an admin sees them."""
    require_admin(services, user)
    record = services.records.get_record("settings", SETTINGS_KEY) or {}
    overrides = stored_overrides(services.records)
    current = effective_settings(services.settings, services.records)
    return SettingsView(
        values={name: getattr(current, name) for name in EDITABLE_SETTINGS},
        overridden=frozenset(overrides),
        api_key_configured=current.openai_api_key is not None and bool(current.openai_api_key.get_secret_value()),
        updated_by=record.get("updated_by"),
        updated_at=record.get("updated_at"),
    )


def save_settings(services: Services, user: str, changes: dict[str, Any]) -> Settings:
    """Validate `changes` with the Settings class over the environment's values and store them as overrides.
    Returns the new effective Settings; the caller rebuilds its services with them."""
    require_admin(services, user)
    unknown = set(changes) - set(EDITABLE_SETTINGS)
    if unknown:
        raise InvalidInputError(f"These settings cannot be changed from the app: {', '.join(sorted(unknown))}.")
    merged = {**stored_overrides(services.records), **changes}
    # services.settings may already carry earlier overrides; applying them again changes nothing.
    updated = _validated(services.settings, merged)
    # Only what differs from the environment is an override (a form saves every field, changed or not).
    environment = load_settings()
    overrides = {name: value for name, value in merged.items() if getattr(environment, name) != value}
    services.records.put_record(
        "settings",
        SETTINGS_KEY,
        {"values": overrides, "updated_by": user, "updated_at": utcnow().isoformat()},
    )
    log.info("Admin settings changed by %s: %s", user, ", ".join(sorted(overrides)) or "back to the environment")
    return updated


def reset_settings(services: Services, user: str) -> None:
    """Drop every override: the environment's values apply again once services are rebuilt."""
    require_admin(services, user)
    services.records.put_record(
        "settings", SETTINGS_KEY, {"values": {}, "updated_by": user, "updated_at": utcnow().isoformat()}
    )
    log.info("Admin settings reset to the environment by %s", user)


def _validated(base: Settings, overrides: dict[str, Any]) -> Settings:
    data = base.model_dump()
    data.update(overrides)
    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        reasons = []
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"])
            reasons.append(f"{where}: {item['msg']}".removeprefix(": ").replace("Value error, ", ""))
        raise InvalidInputError("These settings are not usable: " + "; ".join(reasons)) from None


# --- prompt templates -------------------------------------------------------------------------------------------


def list_prompts() -> list[str]:
    """The file names of the packaged prompt templates."""
    return sorted(path.name for path in PACKAGED_DIR.glob("*.txt"))


def view_prompt(services: Services, user: str, file_name: str) -> PromptView:
    """The template in effect (an admin's override or the packaged default) and the default's text."""
    require_admin(services, user)
    _check_name(file_name)
    default_text = (PACKAGED_DIR / file_name).read_text(encoding="utf-8")
    override = _override_path(services, file_name)
    loaded = load_prompt(file_name, data_dir=services.settings.data_dir)
    text = override.read_text(encoding="utf-8") if override.is_file() else default_text
    return PromptView(file_name, text, loaded.version, loaded.overridden, default_text)


def save_prompt(services: Services, user: str, file_name: str, text: str, *, note: str = "") -> PromptView:
    """Store `text` as the override of `file_name` and record it in the history. The text must have the
    `[system]` and `[user]` parts and keep the placeholders the analyser needs."""
    require_admin(services, user)
    _check_name(file_name)
    text = text.replace("\r\n", "\n")
    try:
        template = parse_template(file_name, text, version="check")
    except ConfigurationError as error:
        raise InvalidInputError(error.message) from None
    missing = _required(file_name) - template.placeholders()
    if missing:
        names = ", ".join(sorted("$" + name for name in missing))
        raise InvalidInputError(f"The template must keep the placeholders {names}.")
    current = view_prompt(services, user, file_name)
    if text == current.text:
        raise InvalidInputError("The template is unchanged.")
    path = _override_path(services, file_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    _record(services, user, file_name, text, "edit", note)
    return view_prompt(services, user, file_name)


def reset_prompt(services: Services, user: str, file_name: str) -> PromptView:
    """Remove the override so the packaged default applies again; the reset is kept in the history."""
    require_admin(services, user)
    _check_name(file_name)
    path = _override_path(services, file_name)
    if not path.is_file():
        raise InvalidInputError("This template is already the default.")
    path.unlink()
    default = (PACKAGED_DIR / file_name).read_text(encoding="utf-8")
    _record(services, user, file_name, default, "reset", "Reset to the default")
    return view_prompt(services, user, file_name)


def prompt_history(services: Services, user: str, file_name: str) -> list[PromptVersion]:
    """Every save and reset of the template, newest first."""
    require_admin(services, user)
    _check_name(file_name)
    record = services.records.get_record("prompt-history", file_name) or {}
    versions = [
        PromptVersion(
            number=item["number"],
            text=item["text"],
            author=item["author"],
            saved_at=datetime.fromisoformat(item["saved_at"]),
            action=item["action"],
            note=item.get("note", ""),
        )
        for item in record.get("versions", [])
    ]
    return sorted(versions, key=lambda version: version.number, reverse=True)


def _record(services: Services, user: str, file_name: str, text: str, action: str, note: str) -> None:
    record = services.records.get_record("prompt-history", file_name) or {"versions": []}
    versions: list[dict[str, Any]] = list(record.get("versions", []))
    versions.append(
        {
            "number": len(versions) + 1,
            "text": text,
            "hash": content_hash(text),
            "author": user,
            "saved_at": utcnow().isoformat(),
            "action": action,
            "note": note,
        }
    )
    services.records.put_record("prompt-history", file_name, {"versions": versions})
    log.info("Prompt template %s: %s by %s", file_name, action, user)


def move_out_of_the_cache(documents: DocumentStore, records: RecordStore) -> None:
    """Libraries made before the record store kept the admin's settings and prompt history in the analysis cache:
    copy them over once, so an upgrade keeps them."""
    for kind, namespace in LEGACY_CACHE_NAMESPACES.items():
        keys = [SETTINGS_KEY] if kind == "settings" else list_prompts()
        for key in keys:
            legacy = documents.get_cached(namespace, key)
            if legacy is not None and records.get_record(kind, key) is None:
                records.put_record(kind, key, legacy)


def _required(file_name: str) -> frozenset[str]:
    from cortexreel.analysis.llm import PROMPT_FILE, REQUIRED_PLACEHOLDERS

    return REQUIRED_PLACEHOLDERS if file_name == PROMPT_FILE else frozenset()


def _check_name(file_name: str) -> None:
    if file_name not in list_prompts():
        raise NotFoundError(f"There is no prompt template {file_name}.")


def _override_path(services: Services, file_name: str) -> Path:
    return services.settings.data_dir / "prompts" / file_name
