"""Chat sessions: the conversation a user has with the analysis of one script."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from cortexreel.domain.base import Model, new_id, utcnow

ProposalStatus = Literal["pending", "applied", "discarded", "undone"]


class AppliedChange(Model):
    """One field of one scene changed (or proposed to change) by the chat."""

    scene_id: str
    scene_number: int | None = None
    path: str
    old: Any = None
    new: Any = None
    base_version: int | None = None  # the scene version the change was computed against
    version: int | None = None  # the version it created, once applied


class ChatMessage(Model):
    role: Literal["user", "assistant"]
    content: str
    scene_id: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    proposed_changes: list[AppliedChange] = Field(default_factory=list)
    status: ProposalStatus | None = None
    applied_changes: list[AppliedChange] = Field(default_factory=list)
    scene_numbers: list[int] = Field(default_factory=list)  # scenes an answer is based on


class ChatSession(Model):
    id: str = Field(default_factory=new_id)
    script_id: str
    user: str
    title: str = ""
    status: Literal["open", "archived"] = "open"
    messages: list[ChatMessage] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
