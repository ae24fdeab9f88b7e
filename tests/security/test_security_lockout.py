"""The login lockout holds against parallel attackers: with a limit of 5, 100 wrong passwords sent at once get 5
password checks and 95 refusals, on the in-process limiter and on Redis."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from redis import Redis

from cortexreel.adapters.ratelimit_memory import MemoryRateLimiter
from cortexreel.adapters.ratelimit_redis import RedisRateLimiter
from cortexreel.bootstrap import build_services
from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.errors import InvalidInputError, RateLimitedError
from cortexreel.ports import RateLimiter
from cortexreel.services import accounts
from tests import servers
from tests.fakes import HashingEmbedder, InMemoryBlobStore, InMemoryDocumentStore, SynchronousTaskQueue
from tests.fakes_users import InMemoryUserStore

ATTEMPTS = 100
LIMIT = 5
PASSWORD = "correct horse battery"  # noqa: S105 - a test password


@pytest.fixture(params=["memory", "redis"])
def limiter(request: pytest.FixtureRequest) -> Iterator[RateLimiter]:
    if request.param == "memory":
        yield MemoryRateLimiter()
        return
    url = servers.redis_url()
    Redis.from_url(url).flushdb()
    yield RedisRateLimiter(url)
    Redis.from_url(url).flushdb()


@pytest.fixture
def services(settings: Settings, limiter: RateLimiter) -> Services:
    return build_services(
        settings.model_copy(
            update={"auth_required": True, "lockout_attempts": LIMIT, "lockout_client_attempts": LIMIT + 1}
        ),
        documents=InMemoryDocumentStore(),
        blobs=InMemoryBlobStore(),
        queue=SynchronousTaskQueue,
        embedder=HashingEmbedder(),
        users=InMemoryUserStore(),
        limiter=limiter,
    )


def _attack(services: Services, login: str, clients: list[str], password: str) -> Counter[str]:
    """Send one login attempt per client entry, all released at the same moment; count the outcomes."""
    start = threading.Barrier(len(clients))

    def attempt(client: str) -> str:
        start.wait()
        try:
            accounts.authenticate(services, login, password, client=client)
        except RateLimitedError:
            return "locked"
        except InvalidInputError:
            return "checked"
        return "logged in"

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        return Counter(pool.map(attempt, clients))


def test_parallel_wrong_passwords_for_one_login_get_only_the_limit(services: Services) -> None:
    login = f"ann{uuid.uuid4().hex[:8]}"
    accounts.create_user(services, login, PASSWORD)
    # Each attempt from its own client, so only the per-login limit applies.
    outcomes = _attack(services, login, [f"10.0.{n // 250}.{n % 250}" for n in range(ATTEMPTS)], "wrong password")
    assert outcomes == {"checked": LIMIT, "locked": ATTEMPTS - LIMIT}
    # Locked now even for the right password.
    with pytest.raises(RateLimitedError):
        accounts.authenticate(services, login, PASSWORD, client="10.9.9.9")


def test_parallel_guesses_from_one_client_get_only_the_client_limit(services: Services) -> None:
    # One client guessing many logins at once: the per-client limit holds (each login is tried only once).
    client_limit = services.settings.lockout_client_attempts
    logins = [f"guess{n}" for n in range(ATTEMPTS)]
    start = threading.Barrier(ATTEMPTS)

    def attempt(login: str) -> str:
        start.wait()
        try:
            accounts.authenticate(services, login, "wrong password", client="10.6.6.6")
        except RateLimitedError:
            return "locked"
        except InvalidInputError:
            return "checked"
        return "logged in"

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        outcomes = Counter(pool.map(attempt, logins))
    assert outcomes == {"checked": client_limit, "locked": ATTEMPTS - client_limit}


def test_a_locked_client_spends_nothing_of_the_login(services: Services) -> None:
    # A client already locked cannot use up a login's tries (the buckets are spent together or not at all).
    login = f"bob{uuid.uuid4().hex[:8]}"
    accounts.create_user(services, login, PASSWORD)
    for attempt in range(services.settings.lockout_client_attempts):
        with pytest.raises(InvalidInputError):
            accounts.authenticate(services, f"other{attempt}", "wrong password", client="10.6.6.7")
    for _ in range(LIMIT * 2):
        with pytest.raises(RateLimitedError):
            accounts.authenticate(services, login, "wrong password", client="10.6.6.7")
    assert accounts.authenticate(services, login, PASSWORD, client="10.0.0.1").login == login


def test_successful_logins_do_not_use_up_the_client(services: Services) -> None:
    login = f"cy{uuid.uuid4().hex[:8]}"
    accounts.create_user(services, login, PASSWORD)
    for _ in range(services.settings.lockout_client_attempts + 1):
        assert accounts.authenticate(services, login, PASSWORD, client="10.1.1.1").login == login
