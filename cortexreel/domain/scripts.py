"""A script: one uploaded screenplay and the analysis job that runs over it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import Field

from cortexreel.domain.analysis import AnalyserInfo
from cortexreel.domain.base import Model, new_id, utcnow
from cortexreel.domain.rollups import ScriptRollups
from cortexreel.domain.screenplay import ScriptFormat


class ScriptStatus(StrEnum):
    QUEUED = "queued"
    PARSING = "parsing"
    ANALYZING = "analyzing"
    INDEXING = "indexing"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (ScriptStatus.COMPLETED, ScriptStatus.FAILED)


MemberRole = Literal["viewer", "editor", "owner"]


class Member(Model):
    login: str
    role: MemberRole = "viewer"


class Progress(Model):
    stage: str = "queued"
    done: int = Field(default=0, ge=0)
    total: int = Field(default=0, ge=0)


class JobFailure(Model):
    """Why a script failed: `message` is for the user, `detail` for the operator."""

    stage: str
    message: str
    detail: str = ""


class Script(Model):
    id: str = Field(default_factory=new_id)
    owner: str
    members: list[Member] = Field(default_factory=list)
    title: str
    filename: str
    format: ScriptFormat
    blob_key: str
    sha256: str
    size_bytes: int = Field(ge=0)
    page_count: int | None = None
    scene_count: int = 0
    status: ScriptStatus = ScriptStatus.QUEUED
    attempt: int = Field(default=1, ge=1)
    progress: Progress = Field(default_factory=Progress)
    # Scenes indexed for search so far (stage "indexing", then "done"): a completed script can be browsed, edited and
    # exported at once while its indexing runs behind it. None before indexing starts.
    search_index: Progress | None = None
    error: JobFailure | None = None
    warnings: list[str] = Field(default_factory=list)
    analyser: AnalyserInfo | None = None
    timings: dict[str, float] = Field(default_factory=dict)
    token_usage: dict[str, int] = Field(default_factory=dict)
    rollups: ScriptRollups | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None

    @property
    def indexing(self) -> bool:
        """Completed, with its scenes still being indexed for search."""
        index = self.search_index
        return self.status is ScriptStatus.COMPLETED and index is not None and index.stage != "done"

    def visible_to(self, login: str) -> bool:
        return login == self.owner or any(member.login == login for member in self.members)
