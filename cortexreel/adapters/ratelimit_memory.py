"""RateLimiter in this process: token buckets in a dict behind a lock. Used when no Redis is configured; the
embedded default runs everything in one process, so that is where the counts belong."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class MemoryRateLimiter:
    kind = "in-process"

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when they were counted)
        self._lock = threading.Lock()

    def describe(self) -> str:
        return "in-process token buckets"

    def ping(self) -> None:
        return None

    def take(self, key: str, *, capacity: int, period_seconds: float, cost: int = 1) -> float:
        return self._spend(key, capacity, period_seconds, cost, dry_run=False)

    def wait_time(self, key: str, *, capacity: int, period_seconds: float, cost: int = 1) -> float:
        return self._spend(key, capacity, period_seconds, cost, dry_run=True)

    def reset(self, key: str) -> None:
        with self._lock:
            self._buckets.pop(key, None)

    def _spend(self, key: str, capacity: int, period_seconds: float, cost: int, *, dry_run: bool) -> float:
        rate = capacity / period_seconds  # tokens per second
        with self._lock:
            now = self._clock()
            tokens, counted = self._buckets.get(key, (float(capacity), now))
            tokens = min(float(capacity), tokens + (now - counted) * rate)
            if tokens >= cost:
                if not dry_run:
                    tokens -= cost
                self._buckets[key] = (tokens, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (cost - tokens) / rate
