"""A worker killed with SIGKILL in the middle of a batch, and a new worker finishing the script: every scene
exactly once, one version 1 each, nothing duplicated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue, Worker
from rq.serializers import JSONSerializer

from cortexreel.bootstrap import build_services
from cortexreel.config import load_settings
from cortexreel.container import Services
from cortexreel.domain.scripts import ScriptStatus
from cortexreel.services import scripts
from tests import servers
from tests.builders import fountain_script
from tests.llm_server import LlmServer, running

ROOT = Path(__file__).resolve().parents[2]
SCENES = 30


@pytest.fixture
def slow_llm() -> Iterator[LlmServer]:
    # Every model call takes 0.25 s, so a batch of ten scenes at two calls at a time lasts over a second.
    with running(sleep=0.25) as server:
        yield server


@pytest.fixture
def worker_env(
    monkeypatch: pytest.MonkeyPatch, slow_llm: LlmServer, isolated_environment: Path
) -> Iterator[dict[str, str]]:
    url = servers.redis_url()
    Redis.from_url(url).flushdb()
    for name, value in {
        "CORTEXREEL_REDIS_URL": url,
        "CORTEXREEL_QUEUES": "fault-test",
        "CORTEXREEL_LLM_PROVIDER": "openai",
        "CORTEXREEL_LLM_BASE_URL": slow_llm.base_url,
        "CORTEXREEL_LLM_CONCURRENCY": "2",
        "CORTEXREEL_TASK_RETRIES": "0",
    }.items():
        monkeypatch.setenv(name, value)
    yield {**os.environ, "PYTHONPATH": str(ROOT)}
    Redis.from_url(url).flushdb()


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    # Its own session, so SIGKILL reaches the worker and the work horse it forked for the job.
    return subprocess.Popen([sys.executable, str(ROOT / "worker.py")], cwd=ROOT, env=env, start_new_session=True)


def test_killed_worker_mid_batch_then_a_new_worker_finishes(worker_env: dict[str, str]) -> None:
    services: Services = build_services(load_settings())
    script = scripts.ingest(services, fountain_script(SCENES).encode(), "long.fountain")
    first = start_worker(worker_env)
    try:
        # Kill once some scenes are written and the worker is in the middle of a batch.
        queue = Queue("fault-test", connection=Redis.from_url(servers.redis_url()), serializer=JSONSerializer)

        def mid_batch() -> bool:
            running = [(worker.get_current_job_id() or "") for worker in Worker.all(queue=queue)]
            analysed = services.documents.count_scenes(script.id, analysed=True)
            return analysed >= 3 and any(job_id.startswith("analyse-") for job_id in running)

        servers.wait_for(mid_batch)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    analysed_at_kill = services.documents.count_scenes(script.id, analysed=True)
    assert 3 <= analysed_at_kill < SCENES
    assert scripts.get_script(services, script.id).status is ScriptStatus.ANALYZING

    second = start_worker(worker_env)
    try:
        # With no automatic retries, Retry is allowed as soon as the dead worker's job is provably not running
        # (its heartbeat expired, or the cleanup marked the script failed), not after an hour. If the kill landed
        # just as a batch finished, nothing was abandoned and the new worker simply finishes the script.
        def retryable_or_done() -> bool:
            current = scripts.get_script(services, script.id)
            return current.status is ScriptStatus.COMPLETED or scripts.retryable(services, current)

        servers.wait_for(retryable_or_done, timeout=60)
        if scripts.get_script(services, script.id).status is not ScriptStatus.COMPLETED:
            retried = scripts.retry(services, script.owner, script.id)
            assert retried.attempt == 2
        def all_done() -> bool:
            current = scripts.get_script(services, script.id)
            return current.status.finished and not current.indexing

        servers.wait_for(all_done)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=60)

    final = scripts.get_script(services, script.id)
    assert final.status is ScriptStatus.COMPLETED, final.error
    scenes = services.documents.list_scenes(script.id)
    assert [scene.number for scene in scenes] == list(range(1, SCENES + 1))
    for scene in scenes:
        assert scene.version == 1
        assert [version.version for version in services.documents.list_versions(scene.id)] == [1]
    assert services.vectors.count(script.id) == SCENES
    assert final.analyser is not None and final.analyser.name == "llm"
    assert final.token_usage["input_tokens"] > 0 and final.token_usage["output_tokens"] > 0
