"""Shared pieces of the domain models."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

Setting = Literal["INT", "EXT", "INT/EXT"]
RiskLevel = Literal["LOW", "MEDIUM", "HIGH", "EXTREME"]
RISK_LEVELS: tuple[RiskLevel, ...] = ("LOW", "MEDIUM", "HIGH", "EXTREME")


class Model(BaseModel):
    """Base for every domain model: unknown fields are errors, so a typo in an edit path is caught."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex
