"""RateLimiter in this process: token buckets in a dict behind a lock. Used when no Redis is configured; the
embedded default runs everything in one process, so that is where the counts belong.

Every operation holds the lock from reading a bucket to writing it back, so a check and a spend are one step.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from cortexreel.ports import Bucket


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
        return self.take_all([Bucket(key, capacity, period_seconds)], cost)

    def wait_time(self, key: str, *, capacity: int, period_seconds: float, cost: int = 1) -> float:
        return self._spend([Bucket(key, capacity, period_seconds)], cost, dry_run=True)

    def take_all(self, buckets: Sequence[Bucket], cost: int = 1) -> float:
        return self._spend(buckets, cost, dry_run=False)

    def give_back(self, bucket: Bucket, cost: int = 1) -> None:
        with self._lock:
            now = self._clock()
            self._buckets[bucket.key] = (min(float(bucket.capacity), self._refilled(bucket, now) + cost), now)

    def reset(self, key: str) -> None:
        with self._lock:
            self._buckets.pop(key, None)

    def _spend(self, buckets: Sequence[Bucket], cost: int, *, dry_run: bool) -> float:
        with self._lock:
            now = self._clock()
            tokens = [self._refilled(bucket, now) for bucket in buckets]
            waits = [
                (cost - available) / (bucket.capacity / bucket.period_seconds)
                for bucket, available in zip(buckets, tokens, strict=True)
                if available < cost
            ]
            spend = 0 if waits or dry_run else cost
            for bucket, available in zip(buckets, tokens, strict=True):
                self._buckets[bucket.key] = (available - spend, now)
            return max(waits, default=0.0)

    def _refilled(self, bucket: Bucket, now: float) -> float:
        """The bucket's tokens at `now` (lock held)."""
        tokens, counted = self._buckets.get(bucket.key, (float(bucket.capacity), now))
        rate = bucket.capacity / bucket.period_seconds
        return min(float(bucket.capacity), tokens + max(0.0, now - counted) * rate)
