"""RateLimiter on Redis: one hash per bucket (tokens, time counted), read and updated by a Lua script so that
every app process and worker shares the same counts, two requests cannot spend the same token, and several
buckets are checked and spent together in one step.

The time comes from the caller's clock (wall-clock seconds by default), so all processes must agree on it roughly;
a bucket expires once it would be full again, so idle users cost no memory.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

from redis import Redis
from redis.exceptions import RedisError

from cortexreel.config import redact_url
from cortexreel.errors import BackendUnavailableError
from cortexreel.ports import Bucket

# KEYS: the buckets; ARGV: cost, now, dry run (1/0), then capacity and tokens per second for each bucket. Spends
# from every bucket or from none, in one step, and returns the longest wait in seconds as a string (Lua numbers
# become integers on the way out otherwise). A cost of -n gives n tokens back.
TAKE_SCRIPT = """
local cost = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local dry_run = ARGV[3] == "1"
local tokens, capacities, rates = {}, {}, {}
local wait = 0
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[2 + 2 * i])
  local rate = tonumber(ARGV[3 + 2 * i])
  local state = redis.call("HMGET", key, "tokens", "counted")
  local available = tonumber(state[1]) or capacity
  local counted = tonumber(state[2]) or now
  if now > counted then
    available = math.min(capacity, available + (now - counted) * rate)
  end
  if available < cost then
    wait = math.max(wait, (cost - available) / rate)
  end
  tokens[i], capacities[i], rates[i] = available, capacity, rate
end
for i, key in ipairs(KEYS) do
  local left = tokens[i]
  if wait == 0 and not dry_run then left = math.min(capacities[i], left - cost) end
  redis.call("HSET", key, "tokens", tostring(left), "counted", tostring(now))
  redis.call("EXPIRE", key, math.ceil((capacities[i] - left) / rates[i]) + 1)
end
return tostring(wait)
"""
KEY_PREFIX = "cortexreel:ratelimit:"


class RedisRateLimiter:
    kind = "redis"

    def __init__(self, url: str, *, clock: Callable[[], float] = time.time) -> None:
        self._url = url
        self._clock = clock
        # Redis.from_url does not connect; the first command does.
        self._redis: Redis[bytes] = Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5)
        self._script = self._redis.register_script(TAKE_SCRIPT)

    def describe(self) -> str:
        return redact_url(self._url)

    def ping(self) -> None:
        try:
            self._redis.ping()
        except RedisError as error:
            raise BackendUnavailableError(
                f"Redis at {redact_url(self._url)} is not reachable.", detail=str(error)
            ) from error

    def take(self, key: str, *, capacity: int, period_seconds: float, cost: int = 1) -> float:
        return self._run([Bucket(key, capacity, period_seconds)], cost, dry_run=False)

    def wait_time(self, key: str, *, capacity: int, period_seconds: float, cost: int = 1) -> float:
        return self._run([Bucket(key, capacity, period_seconds)], cost, dry_run=True)

    def take_all(self, buckets: Sequence[Bucket], cost: int = 1) -> float:
        return self._run(buckets, cost, dry_run=False)

    def give_back(self, bucket: Bucket, cost: int = 1) -> None:
        self._run([bucket], -cost, dry_run=False)

    def reset(self, key: str) -> None:
        try:
            self._redis.delete(KEY_PREFIX + key)
        except RedisError as error:
            raise BackendUnavailableError("Redis cannot be reached to reset a limit.", detail=str(error)) from error

    def _run(self, buckets: Sequence[Bucket], cost: int, *, dry_run: bool) -> float:
        arguments: list[str | int] = [cost, repr(self._clock()), "1" if dry_run else "0"]
        for bucket in buckets:
            arguments += [bucket.capacity, repr(bucket.capacity / bucket.period_seconds)]
        try:
            answer = self._script(keys=[KEY_PREFIX + bucket.key for bucket in buckets], args=arguments)
        except RedisError as error:
            raise BackendUnavailableError(
                "Redis cannot be reached to check a rate limit.", detail=str(error)
            ) from error
        wait = float(answer.decode() if isinstance(answer, bytes) else answer)
        return 0.0 if wait <= 0 or math.isnan(wait) else wait
