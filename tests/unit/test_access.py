"""Access control in every service operation: a table of operations × roles.

For each operation the minimum role is known; a user without any role on the script is told it does not exist
(NotFoundError), a user whose role is too low is refused (PermissionDeniedError), and everyone else succeeds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from cortexreel.adapters.ratelimit_memory import MemoryRateLimiter
from cortexreel.bootstrap import build_services
from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.domain.access import ROLE_ACTIONS, Action, allows
from cortexreel.domain.edits import FieldEdit
from cortexreel.domain.scripts import MemberRole, Script, ScriptStatus
from cortexreel.domain.users import User
from cortexreel.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from cortexreel.services import access, chat, exports, scenes, scripts, search
from tests.builders import fountain_script
from tests.fakes import HashingEmbedder, InMemoryBlobStore, InMemoryDocumentStore, SynchronousTaskQueue
from tests.fakes_users import InMemoryUserStore

OWNER, CO_OWNER, EDITOR, VIEWER, STRANGER = "ann", "olga", "eddie", "vic", "bob"
ROLE_OF: dict[str, MemberRole | None] = {
    OWNER: "owner",
    CO_OWNER: "owner",
    EDITOR: "editor",
    VIEWER: "viewer",
    STRANGER: None,
}
RANK: dict[MemberRole | None, int] = {None: 0, "viewer": 1, "editor": 2, "owner": 3}


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    yield build_services(
        settings.model_copy(update={"auth_required": True}),
        documents=InMemoryDocumentStore(),
        blobs=InMemoryBlobStore(),
        queue=SynchronousTaskQueue,
        embedder=HashingEmbedder(),
        users=InMemoryUserStore(),
        limiter=MemoryRateLimiter(),
    )


@pytest.fixture
def script(services: Services) -> Script:
    """Ann's three-scene script, shared with a co-owner, an editor and a viewer; Bob is a stranger to it."""
    for login in (*ROLE_OF, "zed"):
        services.users.add_user(User(login=login))
    script = scripts.ingest(services, fountain_script(3, title="Fish Story").encode(), "fish.fountain", owner=OWNER)
    for login, role in ROLE_OF.items():
        if role is not None and login != OWNER:
            access.share(services, OWNER, script.id, login, role)
    scripts.ingest(services, fountain_script(2, title="Bob's Own").encode(), "own.fountain", owner=STRANGER)
    return scripts.get_script(services, script.id)


def _first_scene_id(services: Services, script: Script) -> str:
    return services.documents.list_scenes(script.id)[0].id


def _read(services: Services, user: str, script: Script) -> object:
    return scenes.list_scenes(services, user, script.id)


def _read_scene(services: Services, user: str, script: Script) -> object:
    return scenes.history(services, user, _first_scene_id(services, script))


def _chat(services: Services, user: str, script: Script) -> object:
    return chat.send(services, user, script.id, "which scenes are at night?")


def _edit(services: Services, user: str, script: Script) -> object:
    scene = services.documents.list_scenes(script.id)[0]
    edit = FieldEdit("narrative.emotional_tone", "set", "serene")
    return scenes.edit_fields(services, user, scene.id, [edit], expected_version=scene.version)


def _revert(services: Services, user: str, script: Script) -> object:
    scene = services.documents.list_scenes(script.id)[0]
    scenes.edit_fields(
        services, OWNER, scene.id, [FieldEdit("narrative.emotional_tone", "set", "x")], expected_version=scene.version
    )
    return scenes.revert(services, user, scene.id, 1)


def _export(services: Services, user: str, script: Script) -> object:
    return exports.export_script(services, user, script.id, "csv")


def _delete(services: Services, user: str, script: Script) -> object:
    scripts.delete(services, user, script.id)
    return None


def _retry(services: Services, user: str, script: Script) -> object:
    services.documents.update_script(script.id, status=ScriptStatus.FAILED)
    return scripts.retry(services, user, script.id)


def _share(services: Services, user: str, script: Script) -> object:
    return access.share(services, user, script.id, "zed", "viewer")


def _unshare(services: Services, user: str, script: Script) -> object:
    return access.unshare(services, user, script.id, VIEWER)


def _more_like_this(services: Services, user: str, script: Script) -> object:
    return search.more_like_this(services, user, _first_scene_id(services, script))


@dataclass(frozen=True)
class Operation:
    name: str
    needs: MemberRole
    run: Callable[[Services, str, Script], object]


OPERATIONS = [
    Operation("read", "viewer", _read),
    Operation("history", "viewer", _read_scene),
    Operation("more like this", "viewer", _more_like_this),
    Operation("export", "viewer", _export),
    Operation("chat", "editor", _chat),
    Operation("edit", "editor", _edit),
    Operation("revert", "editor", _revert),
    Operation("delete", "owner", _delete),
    Operation("retry", "owner", _retry),
    Operation("share", "owner", _share),
    Operation("unshare", "owner", _unshare),
]
CASES = [
    pytest.param(operation, login, id=f"{operation.name}-{ROLE_OF[login] or 'stranger'}-{login}")
    for operation in OPERATIONS
    for login in ROLE_OF
]


@pytest.mark.parametrize(("operation", "login"), CASES)
def test_every_operation_checks_the_role(services: Services, script: Script, operation: Operation, login: str) -> None:
    role = ROLE_OF[login]
    if role is None:
        with pytest.raises(NotFoundError):
            operation.run(services, login, script)
    elif RANK[role] < RANK[operation.needs]:
        with pytest.raises(PermissionDeniedError, match="cannot"):
            operation.run(services, login, script)
    else:
        operation.run(services, login, script)


@pytest.mark.parametrize("login", list(ROLE_OF))
def test_listing_shows_only_owned_and_shared_scripts(services: Services, script: Script, login: str) -> None:
    titles = {found.title for found in scripts.list_scripts(services, login)}
    assert ("Fish Story" in titles) == (ROLE_OF[login] is not None)
    assert ("Bob's Own" in titles) == (login == STRANGER)


def test_the_role_table_is_cumulative() -> None:
    assert ROLE_ACTIONS["viewer"] < ROLE_ACTIONS["editor"] < ROLE_ACTIONS["owner"]
    assert not allows(None, Action.READ)
    assert allows("viewer", Action.SEARCH) and not allows("viewer", Action.EDIT)
    assert allows("editor", Action.CHAT) and not allows("editor", Action.SHARE)


def test_search_never_returns_another_users_scenes_even_for_an_exact_match(services: Services, script: Script) -> None:
    scene = services.documents.list_scenes(script.id)[0]
    exact = scene.text
    assert any(hit.script_id == script.id for hit in search.search(services, OWNER, exact))
    assert any(hit.script_id == script.id for hit in search.search(services, VIEWER, exact))
    found = search.search(services, STRANGER, exact, limit=50)
    assert found, "Bob's own script matches too"
    assert all(hit.script_id != script.id for hit in found)
    assert search.search(services, STRANGER, exact, script_ids=[script.id]) == []
    assert search.filter_options(services, STRANGER, [script.id]).locations == []


def test_chat_never_answers_from_another_users_scenes(services: Services, script: Script) -> None:
    (own,) = [found for found in scripts.list_scripts(services, STRANGER) if found.owner == STRANGER]
    ann_scene = services.documents.list_scenes(script.id)[0]
    question = f"where is {ann_scene.text.splitlines()[1]}?"
    reply = chat.send(services, STRANGER, own.id, question)
    own_numbers = {scene.number for scene in services.documents.list_scenes(own.id)}
    assert set(reply.scene_numbers) <= own_numbers
    with pytest.raises(NotFoundError):
        chat.send(services, STRANGER, script.id, question)
    session = chat.list_sessions(services, OWNER, script.id)
    assert all(item.user == OWNER for item in session)


def test_a_removed_member_loses_access_at_once(services: Services, script: Script) -> None:
    access.unshare(services, OWNER, script.id, EDITOR)
    with pytest.raises(NotFoundError):
        scenes.list_scenes(services, EDITOR, script.id)
    assert all(hit.script_id != script.id for hit in search.search(services, EDITOR, "witch"))


def test_sharing_needs_an_existing_active_account(services: Services, script: Script) -> None:
    with pytest.raises(InvalidInputError, match="no active account"):
        access.share(services, OWNER, script.id, "ghost", "viewer")
    services.users.update_user("zed", disabled=True)
    with pytest.raises(InvalidInputError, match="no active account"):
        access.share(services, OWNER, script.id, "zed", "viewer")
    with pytest.raises(InvalidInputError, match="owns"):
        access.share(services, CO_OWNER, script.id, OWNER, "viewer")
    with pytest.raises(InvalidInputError, match="owner"):
        access.unshare(services, CO_OWNER, script.id, OWNER)


@pytest.mark.parametrize(("shared_as", "removed_as"), [(" Zed ", "ZED"), ("ZED", " zed "), ("zed\t", " Zed")])
def test_share_and_unshare_read_a_login_the_same_way(
    services: Services, script: Script, shared_as: str, removed_as: str
) -> None:
    shared = access.share(services, OWNER, script.id, shared_as, "viewer")
    assert ("zed", "viewer") in [(member.login, member.role) for member in shared.members]
    _read(services, "zed", shared)
    removed = access.unshare(services, OWNER, script.id, removed_as)
    assert "zed" not in [member.login for member in removed.members]
    with pytest.raises(NotFoundError):
        _read(services, "zed", removed)


def test_share_and_unshare_refuse_what_cannot_be_a_login_alike(services: Services, script: Script) -> None:
    with pytest.raises(InvalidInputError, match="A login is 1 to 64 characters"):
        access.share(services, OWNER, script.id, "vic smith", "viewer")
    with pytest.raises(InvalidInputError, match="A login is 1 to 64 characters"):
        access.unshare(services, OWNER, script.id, "vic smith")


def test_an_upload_for_an_owner_written_another_way_is_theirs(services: Services, script: Script) -> None:
    uploaded = scripts.ingest(services, fountain_script(1).encode(), "mine.fountain", owner=" Eddie ")
    assert uploaded.owner == EDITOR
    assert uploaded.id in [visible.id for visible in scripts.list_scripts(services, EDITOR)]


def test_resharing_changes_the_role(services: Services, script: Script) -> None:
    updated = access.share(services, OWNER, script.id, VIEWER, "editor")
    assert [(m.login, m.role) for m in updated.members if m.login == VIEWER] == [(VIEWER, "editor")]
    _edit(services, VIEWER, updated)


def test_a_stalled_script_retry_is_owner_only(services: Services, script: Script) -> None:
    services.documents.update_script(script.id, status=ScriptStatus.ANALYZING)
    with pytest.raises(PermissionDeniedError):
        scripts.retry(services, EDITOR, script.id)
    assert scripts.retry(services, OWNER, script.id).attempt == 2
