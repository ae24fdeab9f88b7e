"""Rate limits per user for uploads, chat messages and LLM-backed work.

Each is a token bucket of the configured size that refills evenly over its period, so a user can burst up to the
limit and then continues at the steady rate. Limits apply when accounts are required: the single-user embedded
default has no one else to share the server with. A limit of 0 is off.
"""

from __future__ import annotations

import math
from typing import Literal

from cortexreel.container import Services
from cortexreel.errors import RateLimitedError

Kind = Literal["upload", "chat", "llm"]

_WHAT: dict[Kind, str] = {"upload": "uploads", "chat": "chat messages", "llm": "LLM requests"}


def limit_of(services: Services, kind: Kind) -> tuple[int, float]:
    """(capacity, period in seconds) of a limit from the settings."""
    settings = services.settings
    if kind == "upload":
        return settings.uploads_per_hour, 3600.0
    if kind == "chat":
        return settings.chat_messages_per_minute, 60.0
    return settings.llm_jobs_per_hour, 3600.0


def spend(services: Services, user: str, kind: Kind, cost: int = 1) -> None:
    """Count one (or `cost`) of `kind` for `user`; RateLimitedError, saying when to try again, when over the limit."""
    _apply(services, user, kind, cost, spend=True)


def check(services: Services, user: str, kind: Kind, cost: int = 1) -> None:
    """RateLimitedError when `user` is over the limit of `kind` now; counts nothing. For refusing early, before work
    that may still be refused for other reasons and so should not be counted."""
    _apply(services, user, kind, cost, spend=False)


def _apply(services: Services, user: str, kind: Kind, cost: int, *, spend: bool) -> None:
    if not services.settings.auth_required:
        return
    capacity, period = limit_of(services, kind)
    if capacity <= 0:
        return
    cost = min(cost, capacity)  # a request bigger than the whole bucket waits for a full one
    key = f"{kind}:{user}"
    limiter = services.limiter
    if spend:
        wait = limiter.take(key, capacity=capacity, period_seconds=period, cost=cost)
    else:
        wait = limiter.wait_time(key, capacity=capacity, period_seconds=period, cost=cost)
    if wait > 0:
        unit = "hour" if period >= 3600 else "minute"
        raise RateLimitedError(
            f"Too many {_WHAT[kind]}: the limit is {capacity} per {unit}. Try again in {math.ceil(wait)} s."
        )


def uses_llm(services: Services) -> bool:
    """Whether analysis and chat call an LLM (and so count against the LLM limit)."""
    return services.settings.llm_provider != "offline"
