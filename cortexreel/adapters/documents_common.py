"""Rules shared by every DocumentStore adapter, so they behave the same."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from cortexreel.domain.base import utcnow
from cortexreel.domain.chat import ChatMessage, ChatSession
from cortexreel.domain.scenes import SceneVersion
from cortexreel.domain.schedule import Schedule
from cortexreel.domain.scripts import Script
from cortexreel.errors import InvalidInputError, NotFoundError

IMMUTABLE_SCRIPT_FIELDS = frozenset({"id", "created_at"})
# Fields of a scene that come from the parse; re-parsing refreshes these and leaves the analysis alone.
PARSE_FIELDS = ("label", "heading", "setting", "location", "time_of_day", "pages", "elements", "text")


def apply_script_changes(script: Script, changes: Mapping[str, object]) -> Script:
    """The script with `changes` applied and validated, and updated_at bumped."""
    unknown = set(changes) - set(Script.model_fields)
    if unknown:
        raise InvalidInputError(f"Unknown script fields: {', '.join(sorted(unknown))}.")
    frozen = set(changes) & IMMUTABLE_SCRIPT_FIELDS
    if frozen:
        raise InvalidInputError(f"Script fields cannot be changed: {', '.join(sorted(frozen))}.")
    data = script.model_dump()
    data.update(changes)
    data["updated_at"] = utcnow()
    return Script.model_validate(data)


def check_entry(entry: SceneVersion) -> None:
    if entry.version < 1:
        raise InvalidInputError("A scene version starts at 1.")


def with_message_added(session: ChatSession, message: ChatMessage) -> ChatSession:
    """The session with `message` appended and updated_at moved on."""
    return session.model_copy(update={"messages": [*session.messages, message], "updated_at": _later(session)})


def with_message_changed(session: ChatSession, index: int, changes: Mapping[str, object]) -> ChatSession:
    """The session with fields of message `index` changed and validated, and updated_at moved on."""
    unknown = set(changes) - set(ChatMessage.model_fields)
    if unknown:
        raise InvalidInputError(f"Unknown chat message fields: {', '.join(sorted(unknown))}.")
    if not 0 <= index < len(session.messages):
        raise NotFoundError(f"Chat session {session.id} has no message {index}.")
    messages = list(session.messages)
    messages[index] = ChatMessage.model_validate({**messages[index].model_dump(), **changes})
    return session.model_copy(update={"messages": messages, "updated_at": _later(session)})


def _later(session: ChatSession) -> datetime:
    """Now, but always after the session's last change, so the latest change of a session is always its latest
    updated_at (what lists of sessions are ordered by), even within one tick of the clock."""
    return max(utcnow(), session.updated_at + timedelta(microseconds=1))


def check_schedule(schedule: Schedule) -> None:
    if schedule.version < 1:
        raise InvalidInputError("A schedule version starts at 1.")


def schedule_conflict(newest: int) -> str:
    return (
        f"This schedule was saved by someone else meanwhile (it is now at version {newest}); reload it and make your "
        "change again."
    )
