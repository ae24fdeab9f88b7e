"""An in-memory UserStore for unit tests; it passes the same contract suite as the real adapters."""

from __future__ import annotations

import threading

from cortexreel.domain.users import User, with_changes
from cortexreel.errors import ConflictError, NotFoundError


class InMemoryUserStore:
    kind = "memory"

    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self._lock = threading.Lock()

    def describe(self) -> str:
        return "memory"

    def ping(self) -> None:
        return None

    def add_user(self, user: User) -> None:
        with self._lock:
            self._insert(user)

    def add_first_user(self, user: User) -> None:
        with self._lock:
            if self.users:
                raise ConflictError("An account already exists; ask an admin to create yours.")
            self._insert(user)

    def get_user(self, login: str) -> User | None:
        found = self.users.get(login)
        return found.model_copy(deep=True) if found else None

    def list_users(self) -> list[User]:
        return [self.users[login].model_copy(deep=True) for login in sorted(self.users)]

    def count_users(self) -> int:
        return len(self.users)

    def update_user(self, login: str, **changes: object) -> User:
        with self._lock:
            if login not in self.users:
                raise NotFoundError(f"There is no user {login}.")
            self.users[login] = with_changes(self.users[login], changes)
            return self.users[login].model_copy(deep=True)

    def _insert(self, user: User) -> None:
        if user.login in self.users:
            raise ConflictError(f"The login {user.login} is taken.")
        self.users[user.login] = user.model_copy(deep=True)
