"""UserStore on MongoDB: collection `users`, the login as `_id` (so it is unique)."""

from __future__ import annotations

from typing import TypeVar

from pymongo import ReturnDocument
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from cortexreel.adapters.mongo_common import Document, MongoAdapter, guarded
from cortexreel.domain.users import User, with_changes
from cortexreel.errors import ConflictError, NotFoundError

R = TypeVar("R")
# A marker document in its own collection makes "the first user" a single insert that only one caller can win.
FIRST_USER_MARKER = "first-user"


class MongoUserStore(MongoAdapter):
    def describe(self) -> str:
        return f"{super().describe()}, collection users"

    @property
    def _users(self) -> Collection[Document]:
        return self._db.users

    def add_user(self, user: User) -> None:
        guarded(lambda: self._insert(user))

    def add_first_user(self, user: User) -> None:
        def insert_first() -> None:
            if self._users.count_documents({}, limit=1):
                raise ConflictError("An account already exists; ask an admin to create yours.")
            try:
                self._db.user_bootstrap.insert_one({"_id": FIRST_USER_MARKER, "login": user.login})
            except DuplicateKeyError:
                raise ConflictError("An account already exists; ask an admin to create yours.") from None
            self._insert(user)

        guarded(insert_first)

    def get_user(self, login: str) -> User | None:
        found = guarded(lambda: self._users.find_one({"_id": login}))
        return _user(found) if found else None

    def list_users(self) -> list[User]:
        return guarded(lambda: [_user(doc) for doc in self._users.find({}).sort("_id", 1)])

    def count_users(self) -> int:
        return guarded(lambda: int(self._users.count_documents({})))

    def update_user(self, login: str, **changes: object) -> User:
        def update() -> User:
            found = self._users.find_one({"_id": login})
            if found is None:
                raise NotFoundError(f"There is no user {login}.")
            user = with_changes(_user(found), changes)
            fields = user.model_dump(mode="json", exclude={"login"})
            self._users.find_one_and_update({"_id": login}, {"$set": fields}, return_document=ReturnDocument.AFTER)
            return user

        return guarded(update)

    def _insert(self, user: User) -> None:
        document = user.model_dump(mode="json", exclude={"login"})
        document["_id"] = user.login
        try:
            self._users.insert_one(document)
        except DuplicateKeyError:
            raise ConflictError(f"The login {user.login} is taken.") from None


def _user(document: Document) -> User:
    data = {key: value for key, value in document.items() if key != "_id"}
    return User.model_validate({"login": document["_id"], **data})
