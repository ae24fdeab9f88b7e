"""The chat: a message about one script becomes a change set, an answer, or a history action.

Change sets are proposed first (the user sees scene, field, old → new and applies or discards), unless the
caller asks to apply at once. Applying writes one new version per scene, compare-and-set on the version the
proposal was computed against, so an edit made in between is reported, never overwritten.

Chatting needs the editor role on the script (`services.access`), and every message counts against the user's
chat rate limit (and the LLM limit when an LLM answers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cortexreel.chat import grammar, planner, tools
from cortexreel.container import Services
from cortexreel.domain.access import Action
from cortexreel.domain.chat import AppliedChange, ChatMessage, ChatSession, ProposalStatus
from cortexreel.domain.edits import FieldEdit, apply_edits, get_path
from cortexreel.domain.scenes import Scene, VersionSource, scene_id
from cortexreel.errors import ConfigurationError, ConflictError, InvalidInputError, NotFoundError
from cortexreel.services import limits
from cortexreel.services import scenes as scene_service
from cortexreel.services.access import authorize


@dataclass
class ChatReply:
    session_id: str
    reply: str
    changes: list[AppliedChange] = field(default_factory=list)
    applied: bool = False
    message_index: int = -1
    scene_numbers: list[int] = field(default_factory=list)


def send(
    services: Services,
    user: str,
    script_id: str,
    message: str,
    *,
    scene_number: int | None = None,
    session_id: str | None = None,
    apply: bool = False,
) -> ChatReply:
    """Handle one user message and record both it and the reply in the session."""
    authorize(services, user, script_id, Action.CHAT)
    offline = services.chat_model is None  # the offline grammar understands messages, else the model's tool calling
    limits.spend(services, user, *(("chat",) if offline else ("chat", "llm")))
    intent = grammar.parse(message) if offline else None
    scenes = _scenes_needed(services, script_id, intent, scene_number)
    selected = _selected(scenes, scene_number)
    session = _session(services, user, script_id, session_id, title=message)
    services.documents.append_chat_message(
        session.id, ChatMessage(role="user", content=message, scene_id=selected.id if selected else None)
    )
    try:
        if intent is not None:
            reply = _handle(services, user, session, intent, scenes, selected, message, apply)
        else:
            reply = _handle_with_llm(services, user, session, scenes, selected, message, apply)
    except InvalidInputError as error:
        reply = ChatMessage(role="assistant", content=error.message)
    updated = services.documents.append_chat_message(session.id, reply)
    return _reply(updated, len(updated.messages) - 1)


def apply_proposal(services: Services, user: str, session_id: str, message_index: int) -> ChatReply:
    """Apply a pending change set from the session."""
    session = get_session(services, user, session_id)
    message = _proposal(session, message_index)
    applied, problems = _apply(services, user, message.proposed_changes, note=_note_for(session, message_index))
    status = "applied" if applied else "discarded"
    text = _applied_text(applied, problems)
    _update_message(services, session, message_index, status=status, applied_changes=applied, content=text)
    return ChatReply(session.id, text, applied, bool(applied), message_index)


def discard_proposal(services: Services, user: str, session_id: str, message_index: int) -> ChatReply:
    session = get_session(services, user, session_id)
    _proposal(session, message_index)
    _update_message(services, session, message_index, status="discarded", content="Discarded; nothing changed.")
    return ChatReply(session.id, "Discarded; nothing changed.", message_index=message_index)


def list_sessions(services: Services, user: str, script_id: str) -> list[ChatSession]:
    authorize(services, user, script_id, Action.CHAT)
    return services.documents.list_chats(script_id, user)


def get_session(services: Services, user: str, session_id: str) -> ChatSession:
    session = services.documents.get_chat(session_id)
    if session is None or session.user != user:
        raise NotFoundError("That conversation does not exist.")
    authorize(services, user, session.script_id, Action.CHAT)
    return session


# ---------------------------------------------------------------------------------------------------------------


def _handle(
    services: Services,
    user: str,
    session: ChatSession,
    intent: grammar.Intent,
    scenes: Sequence[Scene],
    selected: Scene | None,
    message: str,
    apply: bool,
) -> ChatMessage:
    if isinstance(intent, grammar.Unknown):
        return ChatMessage(role="assistant", content=intent.reason)
    if isinstance(intent, grammar.Question) and intent.kind == "search":
        return _search_answer(services, user, session.script_id, intent.subject)
    if isinstance(intent, grammar.Question):
        answer = planner.answer(intent, scenes, selected)
        if intent.kind == "which" and intent.subject and not answer.scene_numbers:
            # Words outside the analysis vocabulary ("a candle"): the text, searched within the group asked about.
            group = planner.in_group(scenes, intent.scenes)
            return _search_answer(services, user, session.script_id, intent.subject, group, answer.text)
        return ChatMessage(role="assistant", content=answer.text, scene_numbers=answer.scene_numbers)
    if isinstance(intent, grammar.ShowHistory):
        return _history(services, user, planner.select_scenes(scenes, intent.scenes, selected))
    if isinstance(intent, grammar.Revert):
        return _revert(services, user, scenes, intent)
    if isinstance(intent, grammar.Undo):
        return _undo(services, user, session.script_id, intent.count)
    if isinstance(intent, grammar.Rename):
        plan = planner.plan_rename(intent, planner.select_scenes(scenes, intent.scenes, selected))
    else:
        plan = planner.plan_edit(intent, planner.select_scenes(scenes, intent.scenes, selected))
    if not plan.changes:
        return ChatMessage(role="assistant", content="Nothing to change: the analysis already says that.")
    if not apply:
        return ChatMessage(
            role="assistant",
            content=f"Proposed {_count(plan.changes)}. Apply or discard?",
            proposed_changes=plan.changes,
            status="pending",
        )
    applied, problems = _apply(services, user, plan.changes, note=f"Chat: {message}")
    return ChatMessage(
        role="assistant",
        content=_applied_text(applied, problems),
        proposed_changes=plan.changes,
        status="applied" if applied else "discarded",
        applied_changes=applied,
    )


def _handle_with_llm(
    services: Services,
    user: str,
    session: ChatSession,
    scenes: Sequence[Scene],
    selected: Scene | None,
    message: str,
    apply: bool,
) -> ChatMessage:
    """Free language through LLM tool calling; each tool call is handled like the same request in the grammar."""
    from cortexreel.services.search import search

    def search_script(query: str) -> list[dict[str, object]]:
        results = search(services, user, query, script_ids=[session.script_id], limit=5)
        return [{"scene_number": r.scene_number, "heading": r.heading, "snippet": r.snippet} for r in results]

    if services.chat_model is None:
        raise ConfigurationError("Free-language chat needs an LLM provider; the offline analyser has none.")
    interpretation = tools.interpret(services.chat_model, message, scenes, selected, search_script)
    # Plan every call before applying any, each on top of the previous ones, so two calls that touch the same
    # field of a scene (two props added) add up instead of overwriting each other.
    working = {scene.id: scene for scene in scenes}
    texts = [interpretation.text]
    proposed: list[AppliedChange] = []
    done: list[AppliedChange] = []
    cited = list(interpretation.scene_numbers)
    for intent in interpretation.intents:
        current = list(working.values())
        chosen = working.get(selected.id) if selected else None
        try:
            reply = _handle(services, user, session, intent, current, chosen, message, apply=False)
        except InvalidInputError as error:
            texts.append(error.message)
            continue
        proposed.extend(reply.proposed_changes)
        done.extend(reply.applied_changes)  # undo and revert act at once
        cited.extend(reply.scene_numbers)
        if not reply.proposed_changes:
            texts.append(reply.content)
        for change in reply.proposed_changes:
            working[change.scene_id] = _with_change(working[change.scene_id], change)
    if interpretation.refused:
        texts.append("Not done: " + "; ".join(interpretation.refused) + ".")
    status: ProposalStatus | None = None
    applied: list[AppliedChange] = []
    if proposed:
        proposed = _merged(proposed)
        if apply:
            applied, problems = _apply(services, user, proposed, note=f"Chat: {message}")
            texts.append(_applied_text(applied, problems))
            status = "applied" if applied else "discarded"
        else:
            texts.append(f"Proposed {_count(proposed)}. Apply or discard?")
            status = "pending"
    return ChatMessage(
        role="assistant",
        content="\n".join(text for text in texts if text) or "I have nothing to change or say about that.",
        proposed_changes=proposed,
        applied_changes=applied + done,
        status=status,
        scene_numbers=list(dict.fromkeys(cited)),
    )


def _with_change(scene: Scene, change: AppliedChange) -> Scene:
    if scene.analysis is None:
        return scene
    analysis, _ = apply_edits(scene.analysis, [FieldEdit(change.path, "set", change.new)])
    return scene.model_copy(update={"analysis": analysis})


def _merged(changes: Sequence[AppliedChange]) -> list[AppliedChange]:
    """One change per (scene, field): the first old value and the last new one."""
    merged: dict[tuple[str, str], AppliedChange] = {}
    for change in changes:
        key = (change.scene_id, change.path)
        first = merged.get(key)
        merged[key] = change if first is None else first.model_copy(update={"new": change.new})
    return list(merged.values())


def _apply(
    services: Services, user: str, changes: Sequence[AppliedChange], *, note: str
) -> tuple[list[AppliedChange], list[str]]:
    """Write the changes, one new version per scene; scenes edited meanwhile are reported and left alone."""
    applied: list[AppliedChange] = []
    problems: list[str] = []
    for target_id, scene_changes in _by_scene(changes).items():
        first = scene_changes[0]
        edits = [FieldEdit(change.path, "set", change.new) for change in scene_changes]
        try:
            scene, _ = scene_service.edit_fields(
                services,
                user,
                target_id,
                edits,
                expected_version=first.base_version or 0,
                source=VersionSource.CHAT,
                note=note,
            )
        except ConflictError:
            problems.append(f"scene {first.scene_number} was changed by someone else meanwhile, so it was left alone")
            continue
        except InvalidInputError as error:
            problems.append(f"scene {first.scene_number}: {error.message}")
            continue
        applied.extend(change.model_copy(update={"version": scene.version}) for change in scene_changes)
    return applied, problems


def _undo(services: Services, user: str, script_id: str, count: int) -> ChatMessage:
    """Undo the user's last `count` applied chat change sets in this script, newest first."""
    done: list[tuple[ChatSession, int, ChatMessage]] = []
    for session in services.documents.list_chats(script_id, user):
        for index, message in enumerate(session.messages):
            if message.status == "applied" and message.applied_changes:
                done.append((session, index, message))
    done.sort(key=lambda item: item[2].created_at, reverse=True)
    if not done:
        return ChatMessage(role="assistant", content="There is nothing to undo.")
    undone: list[AppliedChange] = []
    problems: list[str] = []
    for session, index, message in done[:count]:
        reverse, stale = _reverse(services, user, message.applied_changes)
        problems.extend(stale)
        if not reverse:
            continue
        applied, failed = _apply(services, user, reverse, note="Chat: undo")
        problems.extend(failed)
        if applied:
            undone.extend(applied)
            _update_message(services, session, index, status="undone")
    if not undone:
        return ChatMessage(role="assistant", content="Nothing was undone: " + "; ".join(problems) + ".")
    text = f"Undone: {_count(undone)}." + (" Not undone: " + "; ".join(problems) + "." if problems else "")
    # No status: an undo is recorded with its changes but is not itself a change set that "undo" takes back.
    return ChatMessage(role="assistant", content=text, applied_changes=undone)


def _reverse(services: Services, user: str, changes: Sequence[AppliedChange]) -> tuple[list[AppliedChange], list[str]]:
    """Changes that restore the old values, for fields that still hold what the chat wrote."""
    reverse: list[AppliedChange] = []
    stale: list[str] = []
    for change in changes:
        scene = scene_service.get_scene(services, user, change.scene_id)
        current = get_path(scene.analysis, change.path) if scene.analysis else None
        if current != change.new:
            stale.append(f"{change.path} of scene {change.scene_number} was changed again since")
            continue
        reverse.append(change.model_copy(update={"old": change.new, "new": change.old, "base_version": scene.version}))
    return reverse, stale


def _history(services: Services, user: str, targets: Sequence[Scene]) -> ChatMessage:
    lines = []
    for scene in targets:
        lines.append(f"Scene {scene.number}:")
        for version in scene_service.history(services, user, scene.id):
            when = version.created_at.strftime("%Y-%m-%d %H:%M")
            note = f" — {version.note}" if version.note else ""
            lines.append(f"  v{version.version} {when} {version.source.value} by {version.author}{note}")
    return ChatMessage(role="assistant", content="\n".join(lines), scene_numbers=[s.number for s in targets])


def _revert(services: Services, user: str, scenes: Sequence[Scene], intent: grammar.Revert) -> ChatMessage:
    scene = planner.select_scenes(scenes, grammar.SceneSelector(numbers=(intent.scene,)), None)[0]
    reverted = scene_service.revert(services, user, scene.id, intent.version)
    changes = [
        planner.scene_change(scene, change, version=reverted.version)
        for change in (reverted.last_change.changes if reverted.last_change else [])
    ]
    return ChatMessage(
        role="assistant",
        content=f"Scene {scene.number} is back to version {intent.version} (saved as version {reverted.version}).",
        applied_changes=changes,
        status="applied",
        scene_numbers=[scene.number],
    )


def _search_answer(
    services: Services,
    user: str,
    script_id: str,
    query: str,
    within: Sequence[Scene] | None = None,
    preface: str = "",
) -> ChatMessage:
    """An open question: the scenes of this script closest to it by meaning and words, with why they matched;
    only scenes among `within` when given (a group the question named, such as night exteriors)."""
    from cortexreel.services.search import search

    results = search(services, user, query, script_ids=[script_id], limit=MAX_SEARCH_RESULTS)
    if within is not None:
        allowed = {scene.number for scene in within}
        results = [result for result in results if result.scene_number in allowed]
    results = results[:5]
    if not results:
        nothing = f"Nothing in this script is close to “{query}”."
        return ChatMessage(role="assistant", content=f"{preface} {nothing}".strip())
    lines = [f"{preface} The closest scenes by their text:".strip() if preface else "The closest scenes:"]
    # Plain text: a chat message is shown as written (escaped), so Markdown marks would show as asterisks.
    lines += [f"- scene {r.scene_number} ({r.heading}): {r.snippet}" for r in results]
    return ChatMessage(role="assistant", content="\n".join(lines), scene_numbers=[r.scene_number for r in results])


# Search results asked for before keeping only the scenes of the group a question named.
MAX_SEARCH_RESULTS = 20


def _scenes_needed(
    services: Services, script_id: str, intent: grammar.Intent | None, scene_number: int | None
) -> list[Scene]:
    """Only the scenes a request names when it names them by number (scene ids derive from the number), so an
    edit of one scene does not read the whole script; every scene otherwise."""
    numbers: tuple[int, ...] | None = None
    if isinstance(intent, grammar.Edit | grammar.ShowHistory):
        selector = intent.scenes
        if selector.numbers:
            numbers = selector.numbers
        elif selector.here or not selector.given:
            numbers = ()
    elif isinstance(intent, grammar.Revert):
        numbers = (intent.scene,)
    if numbers is None:
        return services.documents.list_scenes(script_id)
    wanted = dict.fromkeys((*numbers, *(() if scene_number is None else (scene_number,))))
    found = [services.documents.get_scene(scene_id(script_id, number)) for number in wanted]
    if any(scene is None for scene in found):
        return services.documents.list_scenes(script_id)  # let the planner name the missing scene
    return [scene for scene in found if scene is not None]


def _selected(scenes: Sequence[Scene], scene_number: int | None) -> Scene | None:
    if scene_number is None:
        return None
    for scene in scenes:
        if scene.number == scene_number:
            return scene
    raise NotFoundError(f"This script has no scene {scene_number}.")


def _session(services: Services, user: str, script_id: str, session_id: str | None, *, title: str) -> ChatSession:
    if session_id is not None:
        session = get_session(services, user, session_id)
        if session.script_id != script_id:
            raise NotFoundError("That conversation belongs to another script.")
        return session
    session = ChatSession(script_id=script_id, user=user, title=title[:80])
    services.documents.save_chat(session)
    return session


def _proposal(session: ChatSession, index: int) -> ChatMessage:
    if not 0 <= index < len(session.messages):
        raise NotFoundError("That message does not exist.")
    message = session.messages[index]
    if message.status != "pending":
        raise InvalidInputError("That change set was already applied or discarded.")
    return message


def _update_message(services: Services, session: ChatSession, index: int, **changes: object) -> None:
    # One message changed in place by the store: messages another tab appended meanwhile are kept.
    services.documents.update_chat_message(session.id, index, changes)


def _note_for(session: ChatSession, index: int) -> str:
    request = next((m.content for m in reversed(session.messages[:index]) if m.role == "user"), "")
    return f"Chat: {request}"


def _reply(session: ChatSession, index: int) -> ChatReply:
    message = session.messages[index]
    changes = message.applied_changes or message.proposed_changes
    return ChatReply(
        session_id=session.id,
        reply=message.content,
        changes=changes,
        applied=message.status == "applied" or (message.status is None and bool(message.applied_changes)),
        message_index=index,
        scene_numbers=message.scene_numbers or sorted({c.scene_number for c in changes if c.scene_number}),
    )


def _by_scene(changes: Sequence[AppliedChange]) -> dict[str, list[AppliedChange]]:
    grouped: dict[str, list[AppliedChange]] = {}
    for change in changes:
        grouped.setdefault(change.scene_id, []).append(change)
    return grouped


def _count(changes: Sequence[AppliedChange]) -> str:
    scenes = len({change.scene_id for change in changes})
    return f"{len(changes)} change{'s' if len(changes) != 1 else ''} in {scenes} scene{'s' if scenes != 1 else ''}"


def _applied_text(applied: Sequence[AppliedChange], problems: Sequence[str]) -> str:
    parts = [f"Applied {_count(applied)}." if applied else "Nothing was applied."]
    if problems:
        parts.append("Not applied: " + "; ".join(problems) + ".")
    return " ".join(parts)
