"""The RateLimiter contract on the in-process buckets and on Redis (the test Redis, database flushed)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from cortexreel.adapters.ratelimit_memory import MemoryRateLimiter
from cortexreel.adapters.ratelimit_redis import RedisRateLimiter
from cortexreel.ports import Bucket, RateLimiter
from tests import servers


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "redis"])
def limiter(request: pytest.FixtureRequest, clock: Clock) -> Iterator[RateLimiter]:
    if request.param == "memory":
        yield MemoryRateLimiter(clock=clock)
    else:
        yield RedisRateLimiter(servers.redis_url(), clock=clock)


def _key() -> str:
    return f"test:{uuid.uuid4().hex}"


def test_ping(limiter: RateLimiter) -> None:
    limiter.ping()
    assert limiter.describe()


def test_a_full_bucket_allows_a_burst_then_refills_evenly(limiter: RateLimiter, clock: Clock) -> None:
    key = _key()
    assert [limiter.take(key, capacity=3, period_seconds=60) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take(key, capacity=3, period_seconds=60) == pytest.approx(20.0)
    clock.now += 10
    assert limiter.take(key, capacity=3, period_seconds=60) == pytest.approx(10.0)
    clock.now += 10
    assert limiter.take(key, capacity=3, period_seconds=60) == 0.0
    assert limiter.take(key, capacity=3, period_seconds=60) > 0


def test_wait_time_only_looks_and_reset_refills(limiter: RateLimiter) -> None:
    key = _key()
    assert limiter.wait_time(key, capacity=1, period_seconds=30) == 0.0
    assert limiter.wait_time(key, capacity=1, period_seconds=30) == 0.0
    assert limiter.take(key, capacity=1, period_seconds=30) == 0.0
    assert limiter.wait_time(key, capacity=1, period_seconds=30) == pytest.approx(30.0)
    limiter.reset(key)
    assert limiter.take(key, capacity=1, period_seconds=30) == 0.0


def test_buckets_are_separate_and_a_refused_take_spends_nothing(limiter: RateLimiter, clock: Clock) -> None:
    first, second = _key(), _key()
    assert limiter.take(first, capacity=2, period_seconds=10, cost=2) == 0.0
    assert limiter.take(second, capacity=2, period_seconds=10) == 0.0
    assert limiter.take(first, capacity=2, period_seconds=10, cost=2) == pytest.approx(10.0)
    clock.now += 5
    assert limiter.take(first, capacity=2, period_seconds=10) == 0.0


def test_take_all_spends_from_every_bucket_or_from_none(limiter: RateLimiter, clock: Clock) -> None:
    roomy, tight = Bucket(_key(), 5, 50), Bucket(_key(), 1, 10)
    assert limiter.take_all([roomy, tight]) == 0.0
    # The tight bucket is empty: nothing is taken from the roomy one, and the wait is the tight one's.
    assert limiter.take_all([roomy, tight]) == pytest.approx(10.0)
    assert limiter.take(roomy.key, capacity=5, period_seconds=50, cost=4) == 0.0
    assert limiter.take(roomy.key, capacity=5, period_seconds=50) > 0
    clock.now += 10
    assert limiter.take_all([roomy, tight]) == 0.0


def test_give_back_returns_tokens_up_to_the_capacity(limiter: RateLimiter) -> None:
    bucket = Bucket(_key(), 2, 60)
    assert limiter.take_all([bucket], cost=2) == 0.0
    limiter.give_back(bucket)
    assert limiter.take(bucket.key, capacity=2, period_seconds=60) == 0.0
    assert limiter.take(bucket.key, capacity=2, period_seconds=60) > 0
    for _ in range(5):
        limiter.give_back(bucket)
    assert limiter.take_all([bucket], cost=2) == 0.0
    assert limiter.take_all([bucket]) > 0
