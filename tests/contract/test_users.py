"""The UserStore contract, run on SQLite, the in-memory fake, the MongoDB wire server and (when
CORTEXREEL_TEST_MONGODB_URI is set) a real MongoDB."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cortexreel.adapters.documents_sqlite import SqliteDocumentStore
from cortexreel.adapters.users_mongo import MongoUserStore
from cortexreel.adapters.users_sqlite import SqliteUserStore
from cortexreel.domain.users import User
from cortexreel.errors import ConflictError, InvalidInputError, NotFoundError
from cortexreel.ports import UserStore
from tests import servers
from tests.builders import make_script
from tests.fakes_users import InMemoryUserStore

ADAPTERS = ["sqlite", "memory", "mongo-wire", "mongodb"]


@pytest.fixture(params=ADAPTERS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UserStore]:
    kind = request.param
    if kind == "sqlite":
        yield SqliteUserStore(tmp_path / "cortexreel.sqlite3")
    elif kind == "memory":
        yield InMemoryUserStore()
    else:
        uri = servers.mongo_uri(request, kind)
        mongo = MongoUserStore(uri, f"test_{uuid.uuid4().hex[:12]}")
        yield mongo
        mongo.close()


def _user(login: str, **fields: object) -> User:
    return User.model_validate({"login": login, "password_hash": f"hash-of-{login}", **fields})


def test_ping_answers(store: UserStore) -> None:
    store.ping()
    assert store.describe()


def test_user_round_trip(store: UserStore) -> None:
    ann = _user("ann", display_name="Ann Lee", roles=["admin"], created_at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))
    store.add_user(ann)
    assert store.get_user("ann") == ann
    assert store.get_user("nobody") is None


def test_logins_are_unique(store: UserStore) -> None:
    store.add_user(_user("ann"))
    with pytest.raises(ConflictError):
        store.add_user(_user("ann", display_name="another Ann"))
    assert store.count_users() == 1


def test_list_by_login_and_count(store: UserStore) -> None:
    for login in ("carol", "ann", "bob"):
        store.add_user(_user(login))
    assert [user.login for user in store.list_users()] == ["ann", "bob", "carol"]
    assert store.count_users() == 3


def test_first_user_only_when_there_is_none(store: UserStore) -> None:
    store.add_first_user(_user("ann", roles=["admin"]))
    with pytest.raises(ConflictError):
        store.add_first_user(_user("bob", roles=["admin"]))
    assert [user.login for user in store.list_users()] == ["ann"]


def test_first_user_race_has_one_winner(store: UserStore) -> None:
    outcomes: list[str] = []

    def attempt(login: str) -> None:
        try:
            store.add_first_user(_user(login, roles=["admin"]))
            outcomes.append("won")
        except ConflictError:
            outcomes.append("lost")

    threads = [threading.Thread(target=attempt, args=(f"admin{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lost", "lost", "lost", "won"]
    assert store.count_users() == 1


def test_update_sets_fields_and_refuses_unknown_ones(store: UserStore) -> None:
    store.add_user(_user("ann"))
    moment = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    updated = store.update_user("ann", disabled=True, last_login_at=moment)
    assert (updated.disabled, updated.last_login_at) == (True, moment)
    assert store.get_user("ann") == updated
    with pytest.raises(InvalidInputError):
        store.update_user("ann", favourite_colour="red")
    with pytest.raises(NotFoundError):
        store.update_user("nobody", disabled=True)


def test_sqlite_users_share_the_documents_file(tmp_path: Path) -> None:
    path = tmp_path / "cortexreel.sqlite3"
    documents = SqliteDocumentStore(path)
    documents.add_script(make_script("ann"))
    users = SqliteUserStore(path)
    users.add_user(_user("ann"))
    assert documents.list_scripts(visible_to="ann") and users.get_user("ann") is not None
