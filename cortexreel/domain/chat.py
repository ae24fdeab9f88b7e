"""Chat sessions: the conversation a user has with the analysis of one script."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from cortexreel.domain.base import Model, new_id, utcnow


class AppliedChange(Model):
    scene_id: str
    scene_number: int | None = None
    path: str
    old: Any = None
    new: Any = None
    version: int | None = None


class ChatMessage(Model):
    role: Literal["user", "assistant"]
    content: str
    scene_id: str | None = None
    created_at: datetime = Field(default_factory=utcnow)
    applied_changes: list[AppliedChange] = Field(default_factory=list)


class ChatSession(Model):
    id: str = Field(default_factory=new_id)
    script_id: str
    user: str
    title: str = ""
    status: Literal["open", "archived"] = "open"
    messages: list[ChatMessage] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
