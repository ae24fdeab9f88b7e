"""Accounts: first admin, passwords, lockout per login and per client, session expiry, admin-only settings, rate
limits, and the `users` CLI. Time is a fake clock; nothing sleeps."""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

import pytest
from pydantic import SecretStr

from cortexreel.adapters.ratelimit_memory import MemoryRateLimiter
from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.bootstrap import build_services
from cortexreel.cli import build_parser
from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.domain.users import LOCAL_USER
from cortexreel.errors import (
    BackendUnavailableError,
    ConflictError,
    FileTooLargeError,
    InvalidInputError,
    PermissionDeniedError,
    RateLimitedError,
)
from cortexreel.ports import BlobStore, RateLimiter, StoredBlob
from cortexreel.services import accounts, app_settings, chat, limits, scripts
from tests.builders import fountain_script
from tests.fakes import HashingEmbedder, InMemoryBlobStore, InMemoryDocumentStore, SynchronousTaskQueue
from tests.fakes_users import InMemoryUserStore

PASSWORD = "correct horse battery"  # noqa: S105 - a test password


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(settings: Settings, clock: Clock) -> Iterator[Services]:
    yield build_services(
        settings.model_copy(
            update={
                "auth_required": True,
                "lockout_attempts": 3,
                "lockout_client_attempts": 5,
                "lockout_minutes": 1.0,
                "uploads_per_hour": 2,
                "chat_messages_per_minute": 3,
            }
        ),
        documents=InMemoryDocumentStore(),
        blobs=InMemoryBlobStore(),
        queue=SynchronousTaskQueue,
        embedder=HashingEmbedder(),
        users=InMemoryUserStore(),
        limiter=MemoryRateLimiter(clock=clock),
    )


def test_first_admin_only_on_an_empty_install(services: Services) -> None:
    assert accounts.needs_first_admin(services)
    admin = accounts.create_first_admin(services, " Ann ", PASSWORD, display_name="Ann Lee")
    assert (admin.login, admin.is_admin, admin.label) == ("ann", True, "Ann Lee")
    assert not accounts.needs_first_admin(services)
    with pytest.raises(ConflictError):
        accounts.create_first_admin(services, "mallory", PASSWORD)


def test_passwords_are_hashed_and_never_logged(services: Services, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    user = accounts.create_user(services, "ann", PASSWORD)
    assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash
    accounts.authenticate(services, "ann", PASSWORD)
    with pytest.raises(InvalidInputError):
        accounts.authenticate(services, "ann", PASSWORD + "!")
    assert PASSWORD not in caplog.text
    with pytest.raises(InvalidInputError, match="at least 8"):
        accounts.create_user(services, "bob", "short")
    with pytest.raises(InvalidInputError, match="login"):
        accounts.create_user(services, "no spaces", PASSWORD)


def test_login_records_the_time_and_refuses_unknown_and_disabled(services: Services) -> None:
    accounts.create_user(services, "ann", PASSWORD)
    assert accounts.authenticate(services, "ANN", PASSWORD).last_login_at is not None
    with pytest.raises(InvalidInputError, match="Wrong login or password"):
        accounts.authenticate(services, "nobody", PASSWORD)
    accounts.disable_user(services, "ann")
    with pytest.raises(InvalidInputError, match="Wrong login or password"):
        accounts.authenticate(services, "ann", PASSWORD)


def test_lockout_per_login_refuses_even_the_right_password_until_it_refills(services: Services, clock: Clock) -> None:
    accounts.create_user(services, "ann", PASSWORD)
    for _ in range(3):
        with pytest.raises(InvalidInputError):
            accounts.authenticate(services, "ann", "wrong password", client="10.0.0.1")
    with pytest.raises(RateLimitedError, match=r"Try again in 20 s"):
        accounts.authenticate(services, "ann", PASSWORD, client="10.0.0.2")
    clock.now += 20  # one attempt back (1 minute / 3 attempts)
    assert accounts.authenticate(services, "ann", PASSWORD, client="10.0.0.2").login == "ann"
    # A success clears the login's count: three fresh failures are allowed again.
    for _ in range(3):
        with pytest.raises(InvalidInputError):
            accounts.authenticate(services, "ann", "wrong password", client="10.0.0.3")


def test_lockout_per_client_across_logins(services: Services, clock: Clock) -> None:
    for login in ("ann", "bob"):
        accounts.create_user(services, login, PASSWORD)
    for attempt in range(5):
        with pytest.raises(InvalidInputError):
            accounts.authenticate(services, f"guess{attempt}", "wrong password", client="10.6.6.6")
    with pytest.raises(RateLimitedError):
        accounts.authenticate(services, "bob", PASSWORD, client="10.6.6.6")
    assert accounts.authenticate(services, "bob", PASSWORD, client="10.0.0.9").login == "bob"
    clock.now += 60
    assert accounts.authenticate(services, "ann", PASSWORD, client="10.6.6.6").login == "ann"


def test_sessions_expire_and_end_when_the_account_is_disabled(services: Services) -> None:
    accounts.create_user(services, "ann", PASSWORD)
    start = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    token = accounts.issue_session(services, "ann", now=start)
    session = accounts.check_session(services, token, now=start + timedelta(hours=11, minutes=59))
    assert session is not None and session.login == "ann"
    assert accounts.check_session(services, token, now=start + timedelta(hours=12)) is None
    fresh = accounts.issue_session(services, "ann")
    assert accounts.check_session(services, fresh) is not None
    accounts.disable_user(services, "ann")
    assert accounts.check_session(services, fresh) is None


def test_forged_or_foreign_tokens_are_refused(services: Services) -> None:
    accounts.create_user(services, "ann", PASSWORD)
    accounts.create_user(services, "bob", PASSWORD)
    token = accounts.issue_session(services, "bob")
    body, _, signature = token.partition(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))  # issued unpadded
    forged_body = base64.urlsafe_b64encode(json.dumps({**claims, "login": "ann"}).encode()).decode()
    for bad in ("", "garbage", f"{forged_body}.{signature}", f"{body}.{'0' * len(signature)}"):
        assert accounts.check_session(services, bad) is None
    other_key = build_services(
        services.settings.model_copy(update={"secret_key": SecretStr("another-secret-key-of-enough-length-1234")}),
        documents=services.documents,
        users=services.users,
    )
    assert accounts.check_session(other_key, token) is None


def test_members_cannot_change_settings_or_manage_users(services: Services) -> None:
    accounts.create_user(services, "root", PASSWORD, admin=True)
    accounts.create_user(services, "ann", PASSWORD)
    with pytest.raises(PermissionDeniedError):
        app_settings.view_settings(services, "ann")
    with pytest.raises(PermissionDeniedError):
        app_settings.save_settings(services, "ann", {"max_upload_mb": 5})
    with pytest.raises(PermissionDeniedError):
        accounts.list_users(services, "ann")
    assert app_settings.view_settings(services, "root").values
    assert [user.login for user in accounts.list_users(services, "root")] == ["ann", "root"]
    accounts.set_disabled(services, "root", "ann")
    assert not accounts.is_admin(services, "ann")
    with pytest.raises(InvalidInputError):
        accounts.set_disabled(services, "root", "root")


def test_with_accounts_off_the_local_user_is_the_admin(settings: Settings) -> None:
    local = build_services(settings, documents=InMemoryDocumentStore(), users=InMemoryUserStore())
    assert accounts.is_admin(local, LOCAL_USER)
    limits.spend(local, LOCAL_USER, "upload", cost=10_000)  # no limits without accounts


def test_upload_limit_says_when_to_try_again(services: Services, clock: Clock) -> None:
    data = fountain_script(1).encode()
    scripts.ingest(services, data, "a.fountain", owner="ann")
    scripts.ingest(services, data, "b.fountain", owner="ann")
    with pytest.raises(RateLimitedError, match=r"Too many uploads: the limit is 2 per hour\. Try again in 1800 s\."):
        scripts.ingest(services, data, "c.fountain", owner="ann")
    scripts.ingest(services, data, "d.fountain", owner="bob")  # per user
    clock.now += 1800
    scripts.ingest(services, data, "e.fountain", owner="ann")
    assert len(scripts.list_scripts(services, "ann")) == 3


def test_chat_limit_per_user(services: Services, clock: Clock) -> None:
    script = scripts.ingest(services, fountain_script(2).encode(), "a.fountain", owner="ann")
    for _ in range(3):
        chat.send(services, "ann", script.id, "which scenes are at night?")
    with pytest.raises(RateLimitedError, match="Too many chat messages.*Try again in 20 s"):
        chat.send(services, "ann", script.id, "which scenes are at night?")
    clock.now += 20
    chat.send(services, "ann", script.id, "which scenes are at night?")


def test_llm_work_counts_against_its_own_limit(services: Services) -> None:
    llm = build_services(
        services.settings.model_copy(
            update={"llm_provider": "openai", "llm_base_url": "http://127.0.0.1:9/v1", "llm_jobs_per_hour": 1}
        ),
        documents=services.documents,
        users=services.users,
        limiter=services.limiter,
        queue=SynchronousTaskQueue,
        blobs=InMemoryBlobStore(),
        embedder=HashingEmbedder(),
    )
    limits.spend(llm, "ann", "llm")
    with pytest.raises(RateLimitedError, match="Too many LLM requests"):
        scripts.ingest(llm, b"INT. HOUSE - DAY\n\nAnn sits.", "a.fountain", owner="ann")


def test_cli_creates_lists_and_disables_users(
    services: Services, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*argv: str) -> int:
        args = build_parser().parse_args(list(argv))
        return int(args.handler(args, services))

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert run("users", "create", "Admin", "--admin", "--password-stdin") == 0
    prompts = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(prompts))
    assert run("users", "create", "ann", "--display-name", "Ann Lee") == 0
    assert run("users", "disable", "ann") == 0
    assert run("users", "list") == 0
    out = capsys.readouterr().out
    assert "Created admin admin." in out and "Created member ann." in out
    assert "disabled" in out.splitlines()[-1] and PASSWORD not in out
    assert accounts.authenticate(services, "admin", PASSWORD).is_admin
    assert run("users", "list", "--json") == 0
    assert "password_hash" not in capsys.readouterr().out


def test_odd_tokens_are_refused_without_raising(services: Services) -> None:
    accounts.create_user(services, "ann", PASSWORD)
    token = accounts.issue_session(services, "ann")
    body, _, signature = token.partition(".")
    assert accounts.check_session(services, f"{body}.{'é' * len(signature)}") is None
    assert accounts.check_session(services, f"{body}.\udcff") is None
    assert accounts.check_session(services, "ż.ż") is None
    # Correctly signed tokens whose expiry is not a finite time (only someone with the key can make these).
    for expires in ("NaN", "Infinity", "-Infinity", "1e308"):
        raw = '{"login":"ann","expires":' + expires + ',"nonce":"00"}'
        odd_body = base64.urlsafe_b64encode(raw.encode()).decode()
        assert accounts.check_session(services, f"{odd_body}.{accounts._signature(services, odd_body)}") is None


def llm_services(services: Services, *, limiter: RateLimiter | None = None, blobs: BlobStore | None = None) -> Services:
    """`services` analysing with an LLM (which is never reached: nothing is analysed before the limits are spent)."""
    return build_services(
        services.settings.model_copy(
            update={
                "llm_provider": "openai",
                "llm_base_url": "http://127.0.0.1:9/v1",
                "llm_jobs_per_hour": 2,
                "max_upload_mb": 1,
            }
        ),
        documents=services.documents,
        users=services.users,
        limiter=limiter or services.limiter,
        queue=SynchronousTaskQueue,
        blobs=blobs or InMemoryBlobStore(),
        embedder=HashingEmbedder(),
        analyzer=OfflineAnalyzer(),
    )


def is_full(limiter: RateLimiter, kind: str, user: str, capacity: int) -> bool:
    return limiter.wait_time(f"{kind}:{user}", capacity=capacity, period_seconds=3600.0, cost=capacity) == 0


@pytest.mark.parametrize(
    ("data", "name", "error"),
    [
        (b"   \n", "empty.fountain", InvalidInputError),
        (b"   \n", "blank.txt", InvalidInputError),
        (b"   \n", "nothing.pdf", InvalidInputError),
        (b"\x00\x01\x02 binary junk", "junk.bin", InvalidInputError),
        (b"Dear Ann,\n\nthe minutes of the meeting are attached.\n", "letter.txt", InvalidInputError),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "script.docx", InvalidInputError),
        (b"INT. HOUSE - DAY\n\n" + b"Ann sits. " * 120_000, "huge.fountain", FileTooLargeError),
    ],
)
def test_refused_uploads_spend_no_limit(services: Services, data: bytes, name: str, error: type[Exception]) -> None:
    llm = llm_services(services)
    with pytest.raises(error):
        scripts.ingest(llm, data, name, owner="ann")
    assert is_full(llm.limiter, "upload", "ann", 2) and is_full(llm.limiter, "llm", "ann", 2)
    good = fountain_script(1).encode()
    scripts.ingest(llm, good, "a.fountain", owner="ann")
    scripts.ingest(llm, good, "b.fountain", owner="ann")
    with pytest.raises(RateLimitedError):
        scripts.ingest(llm, good, "c.fountain", owner="ann")


class DownBlobStore(InMemoryBlobStore):
    def put(self, stream: BinaryIO) -> StoredBlob:
        raise BackendUnavailableError("The file store is down.")


def test_an_upload_that_could_not_be_stored_spends_no_limit(services: Services) -> None:
    down = llm_services(services, blobs=DownBlobStore())
    for _ in range(3):
        with pytest.raises(BackendUnavailableError):
            scripts.ingest(down, fountain_script(1).encode(), "a.fountain", owner="ann")
    assert is_full(down.limiter, "upload", "ann", 2) and is_full(down.limiter, "llm", "ann", 2)
    assert scripts.list_scripts(down, "ann") == []


class RacingLimiter(MemoryRateLimiter):
    """Another upload takes the last LLM token just after this one checked for it."""

    def wait_time(self, key: str, *, capacity: int, period_seconds: float, cost: int = 1) -> float:
        wait = super().wait_time(key, capacity=capacity, period_seconds=period_seconds, cost=cost)
        if key.startswith("llm:"):
            super().take(key, capacity=capacity, period_seconds=period_seconds, cost=capacity)
        return wait


def test_an_upload_refused_by_one_limit_spends_none_of_the_others(services: Services, clock: Clock) -> None:
    limiter = RacingLimiter(clock=clock)
    llm = llm_services(services, limiter=limiter)
    with pytest.raises(RateLimitedError, match="Too many LLM requests"):
        scripts.ingest(llm, fountain_script(1).encode(), "a.fountain", owner="ann")
    assert is_full(limiter, "upload", "ann", 2)
