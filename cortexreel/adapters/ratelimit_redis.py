"""RateLimiter on Redis: one hash per bucket (tokens, time counted), read and updated by a Lua script so that
every app process and worker shares the same counts and two requests cannot spend the same token.

The time comes from the caller's clock (wall-clock seconds by default), so all processes must agree on it roughly;
a bucket expires once it would be full again, so idle users cost no memory.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from redis import Redis
from redis.exceptions import RedisError

from cortexreel.config import redact_url
from cortexreel.errors import BackendUnavailableError

# KEYS[1] bucket; ARGV: capacity, tokens per second, cost, now, dry run (1/0). Returns the wait in seconds as a
# string (Lua numbers become integers on the way out otherwise).
TAKE_SCRIPT = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local dry_run = ARGV[5] == "1"
local state = redis.call("HMGET", KEYS[1], "tokens", "counted")
local tokens = tonumber(state[1]) or capacity
local counted = tonumber(state[2]) or now
if now > counted then
  tokens = math.min(capacity, tokens + (now - counted) * rate)
end
local wait = 0
if tokens >= cost then
  if not dry_run then tokens = tokens - cost end
else
  wait = (cost - tokens) / rate
end
redis.call("HSET", KEYS[1], "tokens", tostring(tokens), "counted", tostring(now))
redis.call("EXPIRE", KEYS[1], math.ceil((capacity - tokens) / rate) + 1)
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
        return self._run(key, capacity, period_seconds, cost, dry_run=False)

    def wait_time(self, key: str, *, capacity: int, period_seconds: float, cost: int = 1) -> float:
        return self._run(key, capacity, period_seconds, cost, dry_run=True)

    def reset(self, key: str) -> None:
        try:
            self._redis.delete(KEY_PREFIX + key)
        except RedisError as error:
            raise BackendUnavailableError("Redis cannot be reached to reset a limit.", detail=str(error)) from error

    def _run(self, key: str, capacity: int, period_seconds: float, cost: int, *, dry_run: bool) -> float:
        rate = capacity / period_seconds
        arguments = [capacity, repr(rate), cost, repr(self._clock()), "1" if dry_run else "0"]
        try:
            answer = self._script(keys=[KEY_PREFIX + key], args=arguments)
        except RedisError as error:
            raise BackendUnavailableError(
                "Redis cannot be reached to check a rate limit.", detail=str(error)
            ) from error
        wait = float(answer.decode() if isinstance(answer, bytes) else answer)
        return 0.0 if wait <= 0 or math.isnan(wait) else wait
