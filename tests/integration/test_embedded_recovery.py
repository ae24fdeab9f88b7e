"""The embedded app dies mid-analysis (the in-process runner dies with it): on the next start the work is carried on,
and a script that brings the process down every time is marked failed instead of looping."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cortexreel.adapters.documents_sqlite import SqliteDocumentStore
from cortexreel.adapters.queue_inline import InlineTaskQueue
from cortexreel.bootstrap import build_services
from cortexreel.config import Settings, load_settings
from cortexreel.container import Services
from cortexreel.domain.scripts import ScriptStatus
from cortexreel.domain.users import LOCAL_USER
from cortexreel.services import scripts
from tests import servers
from tests.builders import fountain_script
from tests.fakes import DyingTaskQueue, HashingEmbedder, InMemoryBlobStore, InMemoryDocumentStore
from tests.llm_server import running

ROOT = Path(__file__).resolve().parents[2]
SCENES = 30


@pytest.fixture
def slow_llm_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with running(sleep=0.25) as llm:
        monkeypatch.setenv("CORTEXREEL_LLM_PROVIDER", "openai")
        monkeypatch.setenv("CORTEXREEL_LLM_BASE_URL", llm.base_url)
        monkeypatch.setenv("CORTEXREEL_LLM_CONCURRENCY", "2")
        yield


@pytest.mark.slow
def test_work_killed_with_its_process_is_carried_on_at_the_next_start(
    slow_llm_env: None, isolated_environment: Path, tmp_path: Path
) -> None:
    source = tmp_path / "long.fountain"
    source.write_text(fountain_script(SCENES))
    # The embedded CLI analyses in its own process, like the app: kill it mid-analysis.
    process = subprocess.Popen(
        [sys.executable, "-m", "cortexreel", "ingest", str(source), "--json"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    documents = SqliteDocumentStore(isolated_environment / "cortexreel.sqlite3")
    try:
        servers.wait_for(
            lambda: any(documents.count_scenes(s.id, analysed=True) >= 3 for s in documents.list_scripts())
        )
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    [script] = documents.list_scripts()
    assert script.status is ScriptStatus.ANALYZING
    assert documents.count_scenes(script.id, analysed=True) < SCENES

    restarted = build_services(load_settings())
    assert isinstance(restarted.queue, InlineTaskQueue)
    try:
        assert scripts.work_state(restarted, script) == "stalled"
        assert [found.id for found in scripts.recover_interrupted(restarted)] == [script.id]
        assert restarted.queue.drain(timeout=120)
    finally:
        restarted.queue.shutdown()
    final = scripts.get_script(restarted, script.id)
    assert final.status is ScriptStatus.COMPLETED, final.error
    assert final.attempt == 2
    for scene in restarted.documents.list_scenes(script.id):
        assert [version.version for version in restarted.documents.list_versions(scene.id)] == [1]


def test_a_script_that_brings_the_process_down_every_time_fails_with_a_reason(settings: Settings) -> None:
    documents, blobs = InMemoryDocumentStore(), InMemoryBlobStore()

    def start() -> Services:
        return build_services(
            settings, documents=documents, blobs=blobs, queue=DyingTaskQueue, embedder=HashingEmbedder()
        )

    script = scripts.ingest(start(), fountain_script(3).encode(), "a.fountain")
    running_app = start()
    assert scripts.work_state(running_app, script) == "stalled"  # its runner died with the first process
    for attempt in range(2, settings.task_retries + 2):
        assert [found.attempt for found in scripts.recover_interrupted(running_app)] == [attempt]
        assert scripts.recover_interrupted(running_app) == []  # queued now, in this process: nothing to do
        running_app = start()
    assert scripts.recover_interrupted(running_app) == []
    failed = scripts.get_script(running_app, script.id)
    assert failed.status is ScriptStatus.FAILED and failed.error is not None
    assert f"stopped {settings.task_retries + 1} times" in failed.error.message
    # The owner may still try again; that starts the count afresh.
    assert scripts.retry(running_app, LOCAL_USER, script.id).status is ScriptStatus.QUEUED
    assert scripts.recover_interrupted(start())[0].attempt == settings.task_retries + 3
