"""Twenty threads applying chat edits to the same scenes: no lost update, every success has its version, every
conflict was reported."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from cortexreel.bootstrap import build_services
from cortexreel.config import Settings
from cortexreel.services import chat, scenes, scripts
from cortexreel.services.chat import ChatReply
from tests.builders import fountain_script
from tests.fakes import HashingEmbedder, SynchronousTaskQueue

THREADS = 20
TARGETS = (1, 2, 3)


def value(index: int) -> float:
    """A tension no other thread and no analysis uses, so every write really changes the scene."""
    return round(index * 0.45 + 0.013, 3)


def test_twenty_threads_editing_the_same_scenes(settings: Settings) -> None:
    services = build_services(settings, queue=SynchronousTaskQueue, embedder=HashingEmbedder())
    script = scripts.ingest(services, fountain_script(5).encode(), "fish.fountain", owner="ann")
    start = threading.Barrier(THREADS)

    def edit(index: int) -> tuple[int, ChatReply]:
        start.wait()
        message = f"set the tension of scenes 1, 2 and 3 to {value(index)}"
        return index, chat.send(services, "ann", script.id, message, apply=True)

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(edit, range(THREADS)))

    successes: Counter[int] = Counter()
    for index, reply in results:
        applied = [change for change in reply.changes if change.version is not None]
        assert reply.applied == bool(applied)
        applied_scenes = {change.scene_number for change in applied}
        for change in applied:
            assert change.version is not None
            successes[change.scene_number or 0] += 1
            entry = services.documents.get_version(change.scene_id, change.version)
            assert entry is not None and entry.author == "ann"
            assert entry.analysis.narrative.emotions.tension == value(index)
        for number in set(TARGETS) - applied_scenes:
            assert f"scene {number} was changed by someone else" in reply.reply, reply.reply

    assert sum(successes.values()) >= len(TARGETS)
    for number in TARGETS:
        scene = scenes.scene_by_number(services, "ann", script.id, number)
        history = scenes.history(services, "ann", scene.id)
        assert scene.version == 1 + successes[number] == len(history)
        assert [v.version for v in history] == list(range(1, scene.version + 1))
