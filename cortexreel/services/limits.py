"""Rate limits per user for uploads, chat messages and LLM-backed work.

Each is a token bucket of the configured size that refills evenly over its period, so a user can burst up to the
limit and then continues at the steady rate. Limits apply when accounts are required: the single-user embedded
default has no one else to share the server with. A limit of 0 is off.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from cortexreel.container import Services
from cortexreel.errors import RateLimitedError
from cortexreel.ports import Bucket

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


def spend(services: Services, user: str, *kinds: Kind, cost: int = 1) -> list[Bucket]:
    """Count one (or `cost`) of each of `kinds` for `user`, from all of them or, when one is over its limit, from
    none: RateLimitedError then says when to try again. Returns the buckets counted, for `give_back`."""
    buckets = _buckets(services, user, kinds)
    if not buckets:
        return []
    cost = _capped(buckets, cost)
    wait = services.limiter.take_all([bucket for _, bucket in buckets], cost)
    if wait > 0:
        raise _refusal(services, buckets, cost, wait)
    return [bucket for _, bucket in buckets]


def check(services: Services, user: str, *kinds: Kind, cost: int = 1) -> None:
    """RateLimitedError when `user` is over the limit of any of `kinds` now; counts nothing. For refusing early,
    before work that may still be refused for other reasons and so should not be counted."""
    buckets = _buckets(services, user, kinds)
    if not buckets:
        return
    cost = _capped(buckets, cost)
    limiter = services.limiter
    wait = max(
        limiter.wait_time(b.key, capacity=b.capacity, period_seconds=b.period_seconds, cost=cost) for _, b in buckets
    )
    if wait > 0:
        raise _refusal(services, buckets, cost, wait)


def give_back(services: Services, buckets: Sequence[Bucket], cost: int = 1) -> None:
    """Return what `spend` counted, when the work it was counted for did not happen after all."""
    for bucket in buckets:
        services.limiter.give_back(bucket, cost)


def _buckets(services: Services, user: str, kinds: Sequence[Kind]) -> list[tuple[Kind, Bucket]]:
    """The user's bucket of each limited kind: none without accounts, none for a limit of 0 (off)."""
    if not services.settings.auth_required:
        return []
    buckets = []
    for kind in kinds:
        capacity, period = limit_of(services, kind)
        if capacity > 0:
            buckets.append((kind, Bucket(f"{kind}:{user}", capacity, period)))
    return buckets


def _capped(buckets: Sequence[tuple[Kind, Bucket]], cost: int) -> int:
    """A request bigger than a whole bucket waits for a full one."""
    return min(cost, *(bucket.capacity for _, bucket in buckets))


def _refusal(services: Services, buckets: Sequence[tuple[Kind, Bucket]], cost: int, wait: float) -> RateLimitedError:
    """The error for a refused request, naming the limit that is short (the one with the longest wait)."""
    limiter = services.limiter
    waits = [
        (limiter.wait_time(b.key, capacity=b.capacity, period_seconds=b.period_seconds, cost=cost), kind, b)
        for kind, b in buckets
    ]
    longest, kind, bucket = max(waits, key=lambda item: item[0])
    unit = "hour" if bucket.period_seconds >= 3600 else "minute"
    return RateLimitedError(
        f"Too many {_WHAT[kind]}: the limit is {bucket.capacity} per {unit}. "
        f"Try again in {math.ceil(max(wait, longest))} s."
    )


def uses_llm(services: Services) -> bool:
    """Whether analysis and chat call an LLM (and so count against the LLM limit)."""
    return services.settings.llm_provider != "offline"
